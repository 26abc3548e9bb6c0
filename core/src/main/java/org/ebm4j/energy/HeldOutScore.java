package org.ebm4j.energy;

import org.ebm4j.data.Dataset;
import org.ebm4j.hmc.EnergyFunction;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * The held-out metric of energy-model training ({@link EnergyModel#HELDOUT_METRIC}): the denoising score
 * matching loss (Vincent 2011) of held-out rows, which needs no partition function and so fits every
 * energy model. Each held-out row {@code x} is perturbed once, {@code x~ = x + sigma eps} with
 * {@code eps ~ N(0, I)}, and the metric is
 * {@code mean over rows and coordinates of (sigma dE/dx(x~) - eps)^2}: the squared distance between the
 * model's score {@code -dE/dx} and the score {@code -eps / sigma} of the noise kernel, times
 * {@code sigma^2} so that it has no units. It is 1 for a flat energy, lower the better the model's score
 * matches the data's smoothed by the noise (up to a constant, the Fisher divergence between the two).
 *
 * <p>The noise is drawn once ({@link StreamId#ENERGY_HELDOUT} under the run's seed) and kept, so two
 * epochs' values differ by the model's change alone.
 */
final class HeldOutScore implements AutoCloseable {
    /** The noise level {@code sigma}, as a fraction of the training data's spread. */
    static final double NOISE = 0.1;

    private final Tensor noisy;
    private final Tensor gradient;
    private final float[] eps;
    private final float sigma;

    /**
     * @param heldOut the held-out rows, complete (no missing entries)
     * @param spread  the training data's spread ({@link DataMoments#spread()}), which scales the noise
     */
    HeldOutScore(Backend backend, Dataset heldOut, double spread, long seed) {
        float[] x = heldOut.values();
        for (int i = 0; i < x.length; i++) {
            if (Float.isNaN(x[i])) {
                throw new IllegalArgumentException("the held-out rows must be complete, but row "
                        + (i / heldOut.cols()) + " of the " + heldOut.rows() + " held out of " + heldOut.name()
                        + " has a missing entry (column " + (i % heldOut.cols()) + "); hold out fewer rows, or none");
            }
        }
        this.sigma = (float) (NOISE * spread);
        try (Tensor e = backend.allocate(heldOut.rows(), heldOut.cols())) {
            backend.sampler().fillNormal(e, 0f, 1f, StreamId.ENERGY_HELDOUT.open(seed));
            eps = e.toArray();
        }
        float[] q = new float[x.length];
        for (int i = 0; i < q.length; i++) {
            q[i] = x[i] + sigma * eps[i];
        }
        this.noisy = backend.fromArray(q, heldOut.rows(), heldOut.cols());
        this.gradient = backend.allocate(heldOut.rows(), heldOut.cols());
    }

    /** The metric of {@code energy} as its parameters stand. */
    double evaluate(EnergyFunction energy) {
        energy.gradient(noisy, gradient);
        float[] g = gradient.toArray();
        double sum = 0;
        for (int i = 0; i < g.length; i++) {
            double r = (double) sigma * g[i] - eps[i];
            sum += r * r;
        }
        return sum / g.length;
    }

    @Override
    public void close() {
        noisy.close();
        gradient.close();
    }
}
