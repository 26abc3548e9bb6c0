package org.ebm4j.tensor;

/**
 * Argument checks shared by every backend, so that all of them reject bad shapes with the same
 * message: the operation, what it expected, and both shapes it found.
 */
public final class Shapes {
    private Shapes() {
    }

    public static void checkDimensions(int rows, int cols) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("tensor dimensions must be positive, found " + rows + "x" + cols);
        }
        if ((long) rows * cols > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor " + rows + "x" + cols + " has " + ((long) rows * cols)
                    + " elements; at most " + (Integer.MAX_VALUE - 8) + " are supported");
        }
    }

    public static void checkHostRange(String op, float[] array, int offset, int count) {
        if (array == null) {
            throw new IllegalArgumentException(op + ": host array is null");
        }
        if (offset < 0 || (long) offset + count > array.length) {
            throw new IllegalArgumentException(op + ": needs " + count + " floats from offset " + offset
                    + " but the host array has length " + array.length);
        }
    }

    /** Throws unless {@code t} is non-null, open and owned by {@code backend}. */
    public static void checkUsable(Backend backend, String op, String name, Tensor t) {
        if (t == null) {
            throw new IllegalArgumentException(op + ": tensor '" + name + "' is null; expected a tensor of backend '"
                    + backend.name() + "'");
        }
        if (t.isClosed()) {
            throw new IllegalStateException(op + ": tensor '" + name + "' (" + t.shape() + ") was used after close(); expected an open tensor");
        }
        if (t.backend() != backend) {
            String theirs = t.backend().name();
            throw new IllegalArgumentException(op + ": tensor '" + name + "' belongs to backend '" + theirs
                    + (theirs.equals(backend.name()) ? "' (another instance), not this one"
                    : "', not '" + backend.name() + "'"));
        }
    }

    public static void checkSameShape(String op, String nameA, Tensor a, String nameB, Tensor b) {
        if (a.rows() != b.rows() || a.cols() != b.cols()) {
            throw new IllegalArgumentException(op + ": " + nameA + " is " + a.shape() + " but " + nameB + " is "
                    + b.shape() + "; they must have the same shape");
        }
    }

    public static void checkShape(String op, String name, Tensor t, int rows, int cols) {
        if (t.rows() != rows || t.cols() != cols) {
            throw new IllegalArgumentException(op + ": " + name + " must be " + rows + "x" + cols + " but is " + t.shape());
        }
    }

    /** {@code row} must be {@code 1 x x.cols()}. */
    public static void checkRowVector(String op, String name, Tensor row, String xName, Tensor x) {
        if (row.rows() != 1 || row.cols() != x.cols()) {
            throw new IllegalArgumentException(op + ": " + name + " must be 1x" + x.cols() + " to match " + xName + " "
                    + x.shape() + " but is " + row.shape());
        }
    }

    /** {@code col} must be {@code x.rows() x 1}. */
    public static void checkColumnVector(String op, String name, Tensor col, String xName, Tensor x) {
        if (col.cols() != 1 || col.rows() != x.rows()) {
            throw new IllegalArgumentException(op + ": " + name + " must be " + x.rows() + "x1 to match " + xName + " "
                    + x.shape() + " but is " + col.shape());
        }
    }

    /**
     * GEMM shapes ({@link Backend#gemm}): {@code op(a)} is {@code m x k}, {@code op(b)} is {@code k x n} and
     * {@code c} is {@code m x n}; the messages name every shape involved.
     */
    public static void checkGemm(String op, boolean transA, Tensor a, boolean transB, Tensor b, Tensor c) {
        int m = transA ? a.cols() : a.rows();
        int ka = transA ? a.rows() : a.cols();
        int kb = transB ? b.cols() : b.rows();
        int n = transB ? b.rows() : b.cols();
        if (ka != kb) {
            throw new IllegalArgumentException(op + ": op(a) is " + m + "x" + ka + " (a is " + a.shape()
                    + (transA ? ", transposed" : "") + ") but op(b) is " + kb + "x" + n + " (b is " + b.shape()
                    + (transB ? ", transposed" : "") + "); the inner dimensions must agree");
        }
        if (c.rows() != m || c.cols() != n) {
            throw new IllegalArgumentException(op + ": c must be " + m + "x" + n + " to hold op(a) * op(b) (a is "
                    + a.shape() + (transA ? ", transposed" : "") + ", b is " + b.shape()
                    + (transB ? ", transposed" : "") + ") but is " + c.shape());
        }
    }

    public static void checkFinite(String op, String name, float value) {
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException(op + ": " + name + " must be finite but is " + value);
        }
    }
}
