package org.ebm4j.tensor;

import java.util.Objects;

/**
 * Shape, ownership and close-state bookkeeping shared by the backends' tensors. Subclasses free
 * their storage in {@link #release()}, which runs exactly once.
 */
public abstract class AbstractTensor implements Tensor {
    private final Backend backend;
    private final int rows;
    private final int cols;
    private volatile boolean closed;

    protected AbstractTensor(Backend backend, int rows, int cols) {
        this.backend = Objects.requireNonNull(backend, "backend");
        Shapes.checkDimensions(rows, cols);
        this.rows = rows;
        this.cols = cols;
    }

    @Override
    public final int rows() {
        return rows;
    }

    @Override
    public final int cols() {
        return cols;
    }

    @Override
    public final Backend backend() {
        return backend;
    }

    @Override
    public final boolean isClosed() {
        return closed;
    }

    /** Throws {@link IllegalStateException} if this tensor has been closed. */
    public final void checkOpen() {
        if (closed) {
            throw new IllegalStateException("tensor " + shape() + " on backend '" + backend.name()
                    + "' was used after close()");
        }
    }

    @Override
    public final void copyFrom(float[] src, int offset) {
        checkOpen();
        Shapes.checkHostRange("copyFrom", src, offset, size());
        doCopyFrom(src, offset);
    }

    @Override
    public final void copyTo(float[] dst, int offset) {
        checkOpen();
        Shapes.checkHostRange("copyTo", dst, offset, size());
        doCopyTo(dst, offset);
    }

    protected abstract void doCopyFrom(float[] src, int offset);

    protected abstract void doCopyTo(float[] dst, int offset);

    @Override
    public final void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        release();
    }

    /** Frees the storage; called once, by the first {@link #close()}. */
    protected abstract void release();

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + shape() + (closed ? ", closed" : "") + "]";
    }
}
