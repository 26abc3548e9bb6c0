package org.ebm4j.cpu;

import org.ebm4j.tensor.AbstractTensor;

/** A tensor of the CPU backend: a row-major {@code float[rows * cols]} on the Java heap. */
public final class CpuTensor extends AbstractTensor {
    private float[] data;

    CpuTensor(CpuBackend backend, int rows, int cols) {
        super(backend, rows, cols);
        this.data = new float[rows * cols];
    }

    /**
     * The backing array (row-major, length {@code rows * cols}), for CPU kernels that work in place.
     *
     * @throws IllegalStateException if the tensor was closed
     */
    public float[] data() {
        checkOpen();
        return data;
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
