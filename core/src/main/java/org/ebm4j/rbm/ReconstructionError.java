package org.ebm4j.rbm;

import org.ebm4j.eval.RowBatches;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * The deterministic (mean-field) reconstruction error: for each row {@code v},
 * {@code sum_i (v_i - vhat_i)^2} with {@code vhat = E[v | h = p(h | v)]}, averaged over rows.
 * Cheap to watch during training, but it is not the training objective: it can fall while the
 * model gets worse; the log-likelihood (small models) or pseudo-likelihood tell the truth.
 */
public final class ReconstructionError {
    private ReconstructionError() {
    }

    /** Mean over rows of the summed squared error, accumulated in double. */
    public static double mean(Rbm rbm, Tensor data) {
        FreeEnergies.checkShape(rbm, data);
        Backend b = rbm.backend();
        double total = 0;
        try (RowBatches batches = new RowBatches(data, FreeEnergies.BATCH);
             Workspace full = new Workspace(b, batches.batchRows(), rbm);
             Workspace tail = new Workspace(b, batches.tailRows(), rbm)) {
            for (int i = 0; i < batches.count(); i++) {
                Tensor v = batches.get(i);
                Workspace w = v.rows() == full.recon.rows() ? full : tail;
                rbm.hiddenProbabilities(v, w.hidden, w.hidden);
                rbm.visibleMean(w.hidden, w.recon);
                b.sub(v, w.recon, w.recon);
                total += b.dot(w.recon, w.recon);
            }
        }
        return total / data.rows();
    }

    private static final class Workspace implements AutoCloseable {
        final Tensor hidden;
        final Tensor recon;

        Workspace(Backend b, int rows, Rbm rbm) {
            hidden = b.allocate(rows, rbm.hidden());
            recon = b.allocate(rows, rbm.visible());
        }

        @Override
        public void close() {
            hidden.close();
            recon.close();
        }
    }
}
