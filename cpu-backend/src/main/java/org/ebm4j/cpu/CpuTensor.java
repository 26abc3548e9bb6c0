package org.ebm4j.cpu;

import org.ebm4j.tensor.HeapTensor;

/** A tensor of the CPU backend: a row-major {@code float[rows * cols]} on the Java heap ({@link #data()}). */
public final class CpuTensor extends HeapTensor {

    CpuTensor(CpuBackend backend, int rows, int cols) {
        super(backend, rows, cols);
    }
}
