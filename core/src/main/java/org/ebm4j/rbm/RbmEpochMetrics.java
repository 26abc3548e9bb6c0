package org.ebm4j.rbm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.ebm4j.tensor.Tensor;

/**
 * The per-epoch metrics of an RBM being trained (what {@link Rbm#fit} hands to
 * {@link org.ebm4j.train.TrainingRun} as its metrics):
 * <ul>
 *   <li>{@code recon_error}: mean-field reconstruction error on the first {@value #MONITOR_ROWS}
 *       training rows;</li>
 *   <li>{@code recon_error_heldout} on the held-out rows, and {@code pseudo_likelihood_heldout}
 *       (Bernoulli visibles and binary data; per visible unit, all bits) on their first
 *       {@value #PSEUDO_LIKELIHOOD_ROWS}: it costs {@code rows * nv * nh} softplus evaluations;</li>
 *   <li>{@code free_energy_gap}: mean free energy of the held-out rows minus that of the training
 *       rows above; it grows when the model starts to overfit (Hinton's practical guide, section 6).</li>
 * </ul>
 * Without held-out rows only {@code recon_error} is reported.
 */
final class RbmEpochMetrics implements AutoCloseable {
    /** Training rows the metrics look at. */
    static final int MONITOR_ROWS = 1000;
    /** Held-out rows the pseudo-likelihood uses. */
    static final int PSEUDO_LIKELIHOOD_ROWS = 250;

    private final Rbm rbm;
    private final Tensor trainRows;
    private final Tensor heldOut;
    private final Tensor plRows;

    /**
     * @param train   the (preprocessed) training rows; the first {@value #MONITOR_ROWS} are copied
     * @param heldOut the (preprocessed) held-out rows, or null; not copied, must stay open
     */
    RbmEpochMetrics(Rbm rbm, Tensor train, Tensor heldOut) {
        this.rbm = Objects.requireNonNull(rbm, "rbm");
        this.trainRows = firstRows(train, MONITOR_ROWS);
        this.heldOut = heldOut;
        this.plRows = heldOut != null && rbm.visibleType() == VisibleType.BERNOULLI && isBinary(heldOut)
                ? firstRows(heldOut, PSEUDO_LIKELIHOOD_ROWS) : null;
    }

    private static Tensor firstRows(Tensor t, int n) {
        int rows = Math.min(n, t.rows());
        int[] idx = new int[rows];
        for (int i = 0; i < rows; i++) {
            idx[i] = i;
        }
        Tensor out = t.backend().allocate(rows, t.cols());
        t.backend().gatherRows(t, idx, 0, out);
        return out;
    }

    /** The metrics of the model as it stands. */
    Map<String, Double> evaluate() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("recon_error", ReconstructionError.mean(rbm, trainRows));
        if (heldOut != null) {
            m.put("recon_error_heldout", ReconstructionError.mean(rbm, heldOut));
            m.put("free_energy_gap", FreeEnergies.mean(rbm, heldOut) - FreeEnergies.mean(rbm, trainRows));
        }
        if (plRows != null) {
            m.put("pseudo_likelihood_heldout", PseudoLikelihood.mean(rbm, plRows));
        }
        return m;
    }

    @Override
    public void close() {
        trainRows.close();
        if (plRows != null) {
            plRows.close();
        }
    }

    /** Whether every element is 0 or 1. */
    static boolean isBinary(Tensor t) {
        for (float x : t.toArray()) {
            if (x != 0f && x != 1f) {
                return false;
            }
        }
        return true;
    }
}
