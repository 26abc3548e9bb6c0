/**
 * The library's files and how they are written: the ebm4j model file (metadata and named float32
 * matrices, CRC-checked, no Java serialization), the contract of models that save and load
 * themselves, the provenance every model file records (options, data checksum, seed and random
 * stream positions, backend, library version), NumPy {@code .npz} export, PNG grids of images, and
 * atomic replacement of a file so that a crash never leaves half of one. Public API.
 */
package org.ebm4j.io;
