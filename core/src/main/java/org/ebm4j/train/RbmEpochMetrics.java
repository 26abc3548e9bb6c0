package org.ebm4j.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.ebm4j.eval.FreeEnergies;
import org.ebm4j.eval.PseudoLikelihood;
import org.ebm4j.eval.ReconstructionError;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.VisibleType;
import org.ebm4j.tensor.Tensor;

/**
 * Per-epoch metrics of an RBM being trained, handed to a consumer as an {@link EpochReport}:
 * <ul>
 *   <li>{@code recon_error}: mean-field reconstruction error on a sample of the training data;</li>
 *   <li>{@code recon_error_heldout}, {@code pseudo_likelihood_heldout} (Bernoulli visibles, per
 *       visible unit, all bits) on held-out data;</li>
 *   <li>{@code free_energy_gap}: mean free energy of the held-out rows minus that of the training
 *       sample; it grows when the model starts to overfit (Hinton's practical guide, section 6);</li>
 *   <li>{@code metrics_seconds}: the time these evaluations took.</li>
 * </ul>
 * Either data set may be null; its metrics are then left out.
 */
public final class RbmEpochMetrics implements TrainingListener {
    private final Rbm rbm;
    private final Tensor trainSample;
    private final Tensor heldOut;
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
    }

    @Override
    public void onStart(int firstEpoch, int epochs, int batchesPerEpoch) {
        this.epochs = epochs;
    }

    @Override
    public void onEpochEnd(int epoch, double learningRate, double seconds) {
        Map<String, Double> m = new LinkedHashMap<>();
        if (epoch % every == 0 || epoch == epochs) {
            m.putAll(evaluate(rbm, trainSample, heldOut));
        }
        sink.accept(new EpochReport(epoch, epochs, learningRate, seconds, examplesPerEpoch / seconds, m));
    }

    /** The metrics above for the given data (either may be null). */
    public static Map<String, Double> evaluate(Rbm rbm, Tensor trainSample, Tensor heldOut) {
        long start = System.nanoTime();
        Map<String, Double> m = new LinkedHashMap<>();
        if (trainSample != null) {
            m.put("recon_error", ReconstructionError.mean(rbm, trainSample));
        }
        if (heldOut != null) {
            m.put("recon_error_heldout", ReconstructionError.mean(rbm, heldOut));
            if (rbm.visibleType() == VisibleType.BERNOULLI && isBinary(heldOut)) {
                m.put("pseudo_likelihood_heldout", PseudoLikelihood.mean(rbm, heldOut));
            }
            if (trainSample != null) {
                m.put("free_energy_gap", FreeEnergies.mean(rbm, heldOut) - FreeEnergies.mean(rbm, trainSample));
            }
        }
        m.put("metrics_seconds", (System.nanoTime() - start) * 1e-9);
        return m;
    }

    private static boolean isBinary(Tensor t) {
        for (float x : t.toArray()) {
            if (x != 0f && x != 1f) {
                return false;
            }
        }
        return true;
    }
}
