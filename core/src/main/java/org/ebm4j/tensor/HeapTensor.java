package org.ebm4j.tensor;

/**
 * A tensor whose storage is a row-major {@code float[rows * cols]} on the Java heap, zero-filled when
 * created: the CPU backend's tensors and the test backends' share it.
 */
public abstract class HeapTensor extends AbstractTensor {
    private float[] data;

    protected HeapTensor(Backend backend, int rows, int cols) {
        super(backend, rows, cols);
        this.data = new float[rows * cols];
    }

    /**
     * The backing array (row-major, length {@code rows * cols}), for kernels that work in place.
     *
     * @throws IllegalStateException if the tensor was closed
     */
    public final float[] data() {
        checkOpen();
        return data;
    }

    @Override
    protected final void doCopyFrom(float[] src, int offset) {
        System.arraycopy(src, offset, data, 0, data.length);
    }

    @Override
    protected final void doCopyTo(float[] dst, int offset) {
        System.arraycopy(data, 0, dst, offset, data.length);
    }

    /** Drops the array, so that a closed tensor holds no memory. */
    @Override
    protected final void release() {
        data = null;
    }
}
