/**
 * Data sets held on the host and the readers that make them: validated IDX (the MNIST format,
 * plain or gzipped) and CSV readers, the MNIST subset embedded in this jar, and the preprocessing the
 * models expect (binarization, per-column standardization whose statistics travel with the model).
 * A file that is not what it claims to be is rejected with a message naming the file, what was
 * expected and what was found. Public API.
 */
package org.ebm4j.data;
