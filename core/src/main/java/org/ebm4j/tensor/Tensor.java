package org.ebm4j.tensor;

/**
 * A float32 matrix, 2-D and row-major ({@code rows x cols}; a vector is {@code 1 x n} or
 * {@code n x 1}), whose storage is owned by the {@link Backend} that allocated it: a Java array
 * on the CPU backend, device memory on the CUDA backend.
 *
 * <p>Tensors are {@link AutoCloseable}: {@link #close()} releases the storage and is idempotent;
 * any other use after close throws {@link IllegalStateException}. Tensors of different backends
 * must not be mixed in one operation.
 */
public interface Tensor extends AutoCloseable {

    int rows();

    int cols();

    /** {@code rows() * cols()}. */
    default int size() {
        return rows() * cols();
    }

    /** The backend that owns this tensor's storage. */
    Backend backend();

    /** Copies {@code size()} floats from {@code src[offset..]} into this tensor (row-major). */
    void copyFrom(float[] src, int offset);

    default void copyFrom(float[] src) {
        copyFrom(src, 0);
    }

    /** Copies this tensor (row-major) into {@code dst[offset..offset+size())}. */
    void copyTo(float[] dst, int offset);

    default void copyTo(float[] dst) {
        copyTo(dst, 0);
    }

    /** A new host array with this tensor's contents (row-major). */
    default float[] toArray() {
        float[] out = new float[size()];
        copyTo(out, 0);
        return out;
    }

    /** {@code "rows x cols"}, as error messages print shapes. */
    default String shape() {
        return rows() + "x" + cols();
    }

    boolean isClosed();

    /** Releases the storage; a second call does nothing. */
    @Override
    void close();

    /** Closes each of {@code tensors} that is not null (optional workspaces are held as null). */
    static void closeAll(Tensor... tensors) {
        for (Tensor t : tensors) {
            if (t != null) {
                t.close();
            }
        }
    }
}
