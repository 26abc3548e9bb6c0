package org.ebm4j.eval;

import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * Walks the rows of a data tensor in order, {@code batch} at a time, gathering each batch into a
 * tensor allocated once (a last partial batch into a second one), so evaluations over large data
 * sets run with fixed workspaces on any backend.
 */
public final class RowBatches implements AutoCloseable {
    private final Tensor data;
    private final Backend backend;
    private final int batch;
    private final int[] identity;
    private final Tensor full;
    private final Tensor tail;

    /** {@code data} is {@code n x d}; batches have {@code min(batch, n)} rows. */
    public RowBatches(Tensor data, int batch) {
        if (batch <= 0) {
            throw new IllegalArgumentException("batch size must be positive, found " + batch);
        }
        this.data = data;
        this.backend = data.backend();
        int n = data.rows();
        this.batch = Math.min(batch, n);
        this.identity = new int[n];
        for (int i = 0; i < n; i++) {
            identity[i] = i;
        }
        this.full = backend.allocate(this.batch, data.cols());
        int rest = n % this.batch;
        this.tail = rest == 0 ? null : backend.allocate(rest, data.cols());
    }

    /** Number of batches. */
    public int count() {
        return data.rows() / batch + (tail == null ? 0 : 1);
    }

    /** The largest batch's row count. */
    public int batchRows() {
        return batch;
    }

    /** Rows of the last batch (equal to {@link #batchRows()} when the size divides evenly). */
    public int tailRows() {
        return tail == null ? batch : tail.rows();
    }

    /** Fills and returns the tensor holding batch {@code i} (valid until the next call). */
    public Tensor get(int i) {
        Tensor t = (tail != null && i == count() - 1) ? tail : full;
        backend.gatherRows(data, identity, i * batch, t);
        return t;
    }

    @Override
    public void close() {
        Tensor.closeAll(full, tail);
    }
}
