package org.ebm4j.train;

import java.util.Objects;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * The order in which a training loop visits a data set's rows in one epoch, held on the backend: the
 * epoch's permutation is uploaded once ({@link #upload}: one host-to-device copy, checked on the host
 * as it is converted) and every minibatch is then gathered on the device from it
 * ({@link Backend#gatherOrderedRows}), with no copy of indices per batch. The indices are floats,
 * exact up to {@value Backend#MAX_ORDERED_ROWS} rows; a larger data set (possible only with fewer than 128 columns)
 * is gathered from the host array instead ({@link Backend#gatherRows}), with the same result.
 */
public final class RowOrder implements AutoCloseable {
    private final Backend backend;
    private final int rows;
    private final Tensor order;
    private final float[] staging;
    private int[] hostOrder;
    private boolean uploaded;

    /** An order of {@code rows} rows ({@code >= 1}) on {@code backend}; {@link #upload} sets it. */
    public RowOrder(Backend backend, int rows) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.rows = SettingChecks.atLeast("rows of a row order", rows, 1);
        boolean onDevice = rows <= Backend.MAX_ORDERED_ROWS;
        this.order = onDevice ? backend.allocate(1, rows) : null;
        this.staging = onDevice ? new float[rows] : null;
    }

    /**
     * Makes {@code permutation} ({@code rows} entries, each in {@code [0, rows)}) the order that
     * {@link #gather} reads. The array is not copied when the order stays on the host: leave it unchanged
     * until the next upload.
     */
    public void upload(int[] permutation) {
        if (permutation.length != rows) {
            throw new IllegalArgumentException("row order has " + permutation.length + " entries but the data has "
                    + rows + " rows");
        }
        for (int i = 0; i < rows; i++) {
            int r = permutation[i];
            if (r < 0 || r >= rows) {
                throw new IllegalArgumentException("row order entry " + i + " is " + r + ", outside [0, " + rows + ")");
            }
            if (staging != null) {
                staging[i] = r;
            }
        }
        if (order != null) {
            order.copyFrom(staging);
        } else {
            hostOrder = permutation;
        }
        uploaded = true;
    }

    /** {@code dst[i, :] = src[order[offset + i], :]} for {@code i < dst.rows()}: a minibatch of the uploaded order. */
    public void gather(Tensor src, int offset, Tensor dst) {
        if (!uploaded) {
            throw new IllegalStateException("gather before any row order was uploaded");
        }
        if (order != null) {
            backend.gatherOrderedRows(src, order, offset, dst);
        } else {
            backend.gatherRows(src, hostOrder, offset, dst);
        }
    }

    @Override
    public void close() {
        if (order != null) {
            order.close();
        }
    }
}
