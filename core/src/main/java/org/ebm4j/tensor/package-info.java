/**
 * The backend-neutral SPI every model is written against: float32 row-major tensors owned by the
 * backend that allocated them, the backend's deterministic operations (GEMM, elementwise, reductions,
 * activations), the sampler through which every random draw goes, and the selection of a backend at
 * run time. It also holds what backend implementations share so that they cannot drift apart: the
 * argument checks of every operation, which make every backend reject a bad call with the same
 * message, and the tensors' ownership and close-state bookkeeping. Public API: models and
 * applications use it, backend modules implement it.
 */
package org.ebm4j.tensor;
