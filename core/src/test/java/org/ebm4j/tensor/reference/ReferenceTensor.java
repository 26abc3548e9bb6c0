package org.ebm4j.tensor.reference;

import org.ebm4j.tensor.HeapTensor;

/** A {@link ReferenceBackend} tensor: a plain row-major {@code float[]} on the Java heap, read by element. */
final class ReferenceTensor extends HeapTensor {

    ReferenceTensor(ReferenceBackend backend, int rows, int cols) {
        super(backend, rows, cols);
    }

    float get(int r, int c) {
        return data()[r * cols() + c];
    }

    void set(int r, int c, float v) {
        data()[r * cols() + c] = v;
    }
}
