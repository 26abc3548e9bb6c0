package org.ebm4j.rbm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.EpochReport;
import org.ebm4j.train.TrainingListener;

/**
 * Per-epoch metrics of an RBM being trained, handed to a consumer as an {@link EpochReport}:
 * <ul>
 *   <li>{@code recon_error}: mean-field reconstruction error on a sample of the training data;</li>
 *   <li>{@code recon_error_heldout} on held-out data, and {@code pseudo_likelihood_heldout}
 *       (Bernoulli visibles and binary data; per visible unit, all bits) on its first
 *       {@value #PSEUDO_LIKELIHOOD_ROWS} rows: it costs {@code rows * nv * nh} softplus evaluations;</li>
 *   <li>{@code free_energy_gap}: mean free energy of the held-out rows minus that of the training
 *       sample; it grows when the model starts to overfit (Hinton's practical guide, section 6);</li>
 *   <li>{@code metrics_seconds}: the time these evaluations took.</li>
 * </ul>
 * Either data set may be null; its metrics are then left out.
 */
public final class RbmEpochMetrics implements TrainingListener, AutoCloseable {
    /** Held-out rows the per-epoch pseudo-likelihood uses. */
    public static final int PSEUDO_LIKELIHOOD_ROWS = 250;

    private final Rbm rbm;
    private final Tensor trainSample;
    private final Tensor heldOut;
    private final Tensor plRows;
    private final int examplesPerEpoch;
    private final int every;
    private final Consumer<EpochReport> sink;
    private int epochs;

    /**
     * @param trainSample      a few training rows (for example 1,000), or null
     * @param heldOut          held-out rows, or null
     * @param examplesPerEpoch training rows per epoch (for the throughput)
     * @param every            evaluate every this many epochs (and at the last); other epochs report timing only
     */
    public RbmEpochMetrics(Rbm rbm, Tensor trainSample, Tensor heldOut, int examplesPerEpoch, int every,
                           Consumer<EpochReport> sink) {
        this.rbm = Objects.requireNonNull(rbm, "rbm");
        this.trainSample = trainSample;
        this.heldOut = heldOut;
        this.examplesPerEpoch = examplesPerEpoch;
        this.every = Math.max(1, every);
        this.sink = Objects.requireNonNull(sink, "sink");
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

    @Override
    public void onStart(int firstEpoch, int epochs, int batchesPerEpoch) {
        this.epochs = epochs;
    }

    @Override
    public void onEpochEnd(int epoch, double learningRate, double seconds) {
        Map<String, Double> m = new LinkedHashMap<>();
        if (epoch % every == 0 || epoch == epochs) {
            m.putAll(evaluate(rbm, trainSample, heldOut, plRows));
        }
        sink.accept(new EpochReport(epoch, epochs, learningRate, seconds, examplesPerEpoch / seconds, m));
    }

    /**
     * The metrics above for the given data (any may be null); the pseudo-likelihood on
     * {@code plData} (binary rows).
     */
    public static Map<String, Double> evaluate(Rbm rbm, Tensor trainSample, Tensor heldOut, Tensor plData) {
        long start = System.nanoTime();
        Map<String, Double> m = new LinkedHashMap<>();
        if (trainSample != null) {
            m.put("recon_error", ReconstructionError.mean(rbm, trainSample));
        }
        if (heldOut != null) {
            m.put("recon_error_heldout", ReconstructionError.mean(rbm, heldOut));
            if (trainSample != null) {
                m.put("free_energy_gap", FreeEnergies.mean(rbm, heldOut) - FreeEnergies.mean(rbm, trainSample));
            }
        }
        if (plData != null) {
            m.put("pseudo_likelihood_heldout", PseudoLikelihood.mean(rbm, plData));
        }
        m.put("metrics_seconds", (System.nanoTime() - start) * 1e-9);
        return m;
    }

    /** The held-out rows the pseudo-likelihood uses, or null when it is not computed. */
    public Tensor pseudoLikelihoodRows() {
        return plRows;
    }

    @Override
    public void close() {
        if (plRows != null) {
            plRows.close();
        }
    }

    /** Whether every element is 0 or 1. */
    public static boolean isBinary(Tensor t) {
        for (float x : t.toArray()) {
            if (x != 0f && x != 1f) {
                return false;
            }
        }
        return true;
    }
}
