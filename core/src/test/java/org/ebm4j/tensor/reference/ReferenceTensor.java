package org.ebm4j.tensor.reference;

import org.ebm4j.tensor.AbstractTensor;

/** A {@link ReferenceBackend} tensor: a plain row-major {@code float[]} on the Java heap. */
final class ReferenceTensor extends AbstractTensor {
    private float[] data;

    ReferenceTensor(ReferenceBackend backend, int rows, int cols) {
        super(backend, rows, cols);
        this.data = new float[rows * cols];
    }

    /** The storage; callers have already checked that this tensor is open. */
    float[] data() {
        checkOpen();
        return data;
    }

    float get(int r, int c) {
        return data[r * cols() + c];
    }

    void set(int r, int c, float v) {
        data[r * cols() + c] = v;
    }

    @Override
    protected void doCopyFrom(float[] src, int offset) {
        System.arraycopy(src, offset, data, 0, data.length);
    }

    @Override
    protected void doCopyTo(float[] dst, int offset) {
        System.arraycopy(data, 0, dst, offset, data.length);
    }

    @Override
    protected void release() {
        data = null;
    }
}
