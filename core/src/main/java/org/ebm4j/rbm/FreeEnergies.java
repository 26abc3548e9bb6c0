package org.ebm4j.rbm;

import org.ebm4j.eval.RowBatches;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/** Free energies of whole data sets, in batches on the model's backend. */
public final class FreeEnergies {
    /** Rows per batch in evaluations. */
    public static final int BATCH = 1000;

    private FreeEnergies() {
    }

    /** The mean free energy {@code (1/n) sum_r F(v_r)} of the rows of {@code data} (accumulated in double). */
    public static double mean(Rbm rbm, Tensor data) {
        return sum(rbm, data) / data.rows();
    }

    /** {@code sum_r F(v_r)}. */
    public static double sum(Rbm rbm, Tensor data) {
        checkShape(rbm, data);
        Backend b = rbm.backend();
        double total = 0;
        try (RowBatches batches = new RowBatches(data, BATCH);
             Workspace full = new Workspace(b, batches.batchRows(), rbm.hidden());
             Workspace tail = new Workspace(b, batches.tailRows(), rbm.hidden())) {
            for (int i = 0; i < batches.count(); i++) {
                Tensor v = batches.get(i);
                Workspace w = v.rows() == full.out.rows() ? full : tail;
                rbm.freeEnergy(v, w.pre, w.scratch, w.out);
                total += b.sum(w.out);
            }
        }
        return total;
    }

    /** Per-row free energies on the host. */
    public static double[] values(Rbm rbm, Tensor data) {
        checkShape(rbm, data);
        Backend b = rbm.backend();
        double[] out = new double[data.rows()];
        try (RowBatches batches = new RowBatches(data, BATCH);
             Workspace full = new Workspace(b, batches.batchRows(), rbm.hidden());
             Workspace tail = new Workspace(b, batches.tailRows(), rbm.hidden())) {
            float[] host = new float[batches.batchRows()];
            for (int i = 0; i < batches.count(); i++) {
                Tensor v = batches.get(i);
                Workspace w = v.rows() == full.out.rows() ? full : tail;
                rbm.freeEnergy(v, w.pre, w.scratch, w.out);
                w.out.copyTo(host, 0);
                for (int r = 0; r < v.rows(); r++) {
                    out[i * batches.batchRows() + r] = host[r];
                }
            }
        }
        return out;
    }

    static void checkShape(Rbm rbm, Tensor data) {
        if (data.cols() != rbm.visible()) {
            throw new IllegalArgumentException("data has " + data.cols() + " columns but the model has " + rbm.visible()
                    + " visible units");
        }
        if (data.backend() != rbm.backend()) {
            throw new IllegalArgumentException("data is on backend '" + data.backend().name() + "' but the model is on '"
                    + rbm.backend().name() + "'");
        }
    }

    private static final class Workspace implements AutoCloseable {
        final Tensor pre;
        final Tensor scratch;
        final Tensor out;

        Workspace(Backend b, int rows, int hidden) {
            pre = b.allocate(rows, hidden);
            scratch = b.allocate(rows, 1);
            out = b.allocate(rows, 1);
        }

        @Override
        public void close() {
            pre.close();
            scratch.close();
            out.close();
        }
    }
}
