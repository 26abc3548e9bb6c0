package org.ebm4j.energy;

import org.ebm4j.hmc.EnergyFunction;
import org.ebm4j.hmc.HmcOptions;
import org.ebm4j.hmc.HmcResult;
import org.ebm4j.hmc.HmcSampler;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Shapes;
import org.ebm4j.tensor.Tensor;

/**
 * Fills in missing inputs with an energy model (Hinton's lecture 3b), the observed coordinates clamped:
 * {@link #posteriorMean} averages conditional HMC samples of the missing coordinates (the completion that
 * minimizes the expected squared error under the model); {@link #complete} and {@link #descend} descend
 * the energy gradient with respect to those coordinates only, which finds a low-energy completion (a mode
 * of the conditional) when the step is small against the energy's curvature.
 */
public final class MissingInputs {
    /** The most draws (floats) {@link #posteriorMean} keeps on the host at once: 64 MiB. */
    private static final long DRAW_BUDGET = 1L << 24;

    private MissingInputs() {
    }

    /**
     * Replaces the missing entries of {@code x} by their posterior mean under the model,
     * {@code E[x_missing | x_observed]} with {@code p(x) ~ exp(-E(x))}: every row gets
     * {@code options.chains()} HMC chains on its missing entries (observed ones clamped) that start at the
     * values {@code x} holds there, run {@code options.warmup()} transitions (step-size adaptation as
     * {@link HmcSampler} does it) and then {@code options.draws()} kept ones; the fill is the average of all
     * kept draws of the row's chains. Rows are processed in blocks that keep at most 64 MiB of draws.
     * The options' initial spread and seed are not used: the starts are {@code x} and the draws come from
     * {@code rng}.
     *
     * <p>Why a mean and not a mode: a mean is what minimizes the expected squared error of the completion,
     * and it stays where the model puts its probability mass. The energy of a contrastively trained model is
     * shaped only where its negatives went (near the data); gradient descent on it from the column mean is
     * unstable wherever the learned curvature exceeds {@code 2 / rate}, and otherwise can slide into minima
     * away from the data that short-run training never saw. Short HMC chains with an adapted step size do
     * what the training's negatives did, from the column mean.
     *
     * @param x {@code n x d}, finite; missing entries hold the chains' starting values and are overwritten,
     *     observed entries are kept bit for bit
     * @param observed {@code n x d} mask, 1 where observed and 0 where missing
     * @return the acceptance rate of the kept transitions, averaged over the blocks (1 when no row has a
     *     missing entry)
     */
    public static double posteriorMean(EnergyFunction energy, Tensor x, Tensor observed, HmcOptions options,
                                       RandomStream rng) {
        return posteriorMean(energy, x, observed, options, rng, DRAW_BUDGET);
    }

    /** {@link #posteriorMean} keeping at most {@code drawBudget} floats of draws at once: rows go in blocks. */
    static double posteriorMean(EnergyFunction energy, Tensor x, Tensor observed, HmcOptions options,
                                RandomStream rng, long drawBudget) {
        String op = "MissingInputs.posteriorMean";
        energy.checkPositions(op, x);
        Shapes.checkSameShape(op, "x", x, "observed", observed);
        int n = x.rows();
        int d = x.cols();
        int k = options.chains();
        float[] values = x.toArray();
        float[] mask = observed.toArray();
        long perRow = (long) k * d * options.draws();
        int block = (int) Math.max(1, Math.min(n, drawBudget / perRow));
        Backend b = energy.backend();
        double acceptance = 0;
        int blocks = 0;
        for (int r0 = 0; r0 < n; r0 += block) {
            int rows = Math.min(block, n - r0);
            float[] starts = new float[rows * k * d];
            float[] masks = new float[rows * k * d];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < k; c++) {
                    System.arraycopy(values, (r0 + r) * d, starts, (r * k + c) * d, d);
                    System.arraycopy(mask, (r0 + r) * d, masks, (r * k + c) * d, d);
                }
            }
            HmcResult result;
            try (ClampedEnergy clamped = new ClampedEnergy(energy, rows * k);
                 Tensor start = b.fromArray(starts, rows * k, d);
                 Tensor held = b.fromArray(masks, rows * k, d)) {
                clamped.hold(start, held);
                result = HmcSampler.sample(clamped, start, options.toBuilder().keepDraws(true).build(), rng);
            }
            acceptance += result.diagnostics().acceptanceRate();
            blocks++;
            averageDraws(result, values, mask, r0, rows, k, d);
        }
        x.copyFrom(values, 0);
        return blocks == 0 ? 1 : acceptance / blocks;
    }

    // values[missing entries of rows r0 ..] = the mean of the kept draws of each row's k chains.
    private static void averageDraws(HmcResult result, float[] values, float[] mask, int r0, int rows, int k, int d) {
        double[] sum = new double[rows * d];
        for (int t = 0; t < result.drawCount(); t++) {
            float[] draw = result.draw(t);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < k; c++) {
                    int at = (r * k + c) * d;
                    for (int j = 0; j < d; j++) {
                        sum[r * d + j] += draw[at + j];
                    }
                }
            }
        }
        double count = (double) result.drawCount() * k;
        for (int i = 0; i < rows * d; i++) {
            int at = r0 * d + i;
            if (mask[at] == 0f) {
                values[at] = (float) (sum[i] / count);
            }
        }
    }

    /**
     * Completes {@code x} in place.
     *
     * @param x {@code n x d}; observed entries are kept, missing ones overwritten
     * @param observed {@code n x d} mask, 1 where observed and 0 where missing
     * @param noise standard deviation of the random starting values (around 0)
     * @param rate gradient-descent step
     * @param steps number of descent steps
     * @return the energies of the completions (host copy)
     */
    public static float[] complete(EnergyFunction energy, Tensor x, Tensor observed, float noise, float rate, int steps,
                                   RandomStream rng) {
        String op = "MissingInputs.complete";
        energy.checkPositions(op, x);
        Shapes.checkSameShape(op, "x", x, "observed", observed);
        if (!(noise >= 0) || !Float.isFinite(noise)) {
            throw new IllegalArgumentException(op + ": noise must be finite and >= 0, found " + noise);
        }
        checkDescent(op, rate, steps);
        Backend b = energy.backend();
        int n = x.rows();
        int d = x.cols();
        try (Tensor missing = b.allocate(n, d);
             Tensor start = b.allocate(n, d)) {
            complement(b, observed, missing);
            b.sampler().fillNormal(start, 0f, noise, rng);
            b.mul(start, missing, start);
            b.mul(x, observed, x);
            b.add(x, start, x);
        }
        return descend(energy, x, observed, rate, steps);
    }

    /**
     * Samples the missing entries of {@code x} from the model's conditional
     * {@code p(x_missing | x_observed) ~ exp(-E(x))}: {@code trajectories} Metropolis-corrected HMC
     * trajectories on the missing entries only, the observed ones clamped, starting from the values
     * {@code x} holds there. Where {@link #complete} finds a mode, this draws a sample: averages over such
     * draws are the expectations that marginalize the missing entries (the data term of the gradient
     * when training with missing inputs, see {@link EnergyTrainer}).
     *
     * @param x {@code n x d}, finite; the missing entries are overwritten with the last state of the chains
     * @param observed {@code n x d} mask, 1 where observed and 0 where missing
     * @param stepSize leapfrog step ({@code > 0})
     * @param leapfrogSteps leapfrog steps per trajectory ({@code >= 1})
     * @param trajectories trajectories ({@code >= 0})
     * @return the mean acceptance probability of the trajectories (1 when there were none)
     */
    public static double sample(EnergyFunction energy, Tensor x, Tensor observed, float stepSize, int leapfrogSteps,
                                int trajectories, RandomStream rng) {
        String op = "MissingInputs.sample";
        energy.checkPositions(op, x);
        Shapes.checkSameShape(op, "x", x, "observed", observed);
        if (!(stepSize > 0) || !Float.isFinite(stepSize)) {
            throw new IllegalArgumentException(op + ": step size must be finite and > 0, found " + stepSize);
        }
        if (leapfrogSteps < 1 || trajectories < 0) {
            throw new IllegalArgumentException(op + ": leapfrog steps must be >= 1 and trajectories >= 0, found "
                    + leapfrogSteps + " and " + trajectories);
        }
        try (ConditionalChains chains = new ConditionalChains(energy, x.rows())) {
            return chains.move(x, observed, stepSize, leapfrogSteps, trajectories, rng);
        }
    }

    /**
     * Gradient descent on the free coordinates of {@code x} from their current values, the clamped
     * ones kept: the zero-temperature inference of a conditional energy {@code y* = argmin_y E(x, y)}
     * when the answer's columns are free, and the completion step of {@link #complete}.
     *
     * @param x {@code n x d}, updated in place
     * @param clamped {@code n x d} mask, 1 where a coordinate is held fixed and 0 where it descends
     * @param rate gradient-descent step ({@code > 0})
     * @param steps number of descent steps ({@code >= 0})
     * @return the energies at the end (host copy)
     */
    public static float[] descend(EnergyFunction energy, Tensor x, Tensor clamped, float rate, int steps) {
        String op = "MissingInputs.descend";
        energy.checkPositions(op, x);
        Shapes.checkSameShape(op, "x", x, "clamped", clamped);
        checkDescent(op, rate, steps);
        Backend b = energy.backend();
        int n = x.rows();
        int d = x.cols();
        try (Tensor free = b.allocate(n, d);
             Tensor grad = b.allocate(n, d);
             Tensor e = b.allocate(n, 1)) {
            complement(b, clamped, free);
            for (int s = 0; s < steps; s++) {
                energy.gradient(x, grad);
                b.mul(grad, free, grad);
                b.axpy(-rate, grad, x);
            }
            energy.energy(x, e);
            return e.toArray();
        }
    }

    private static void checkDescent(String op, float rate, int steps) {
        if (!(rate > 0) || !Float.isFinite(rate)) {
            throw new IllegalArgumentException(op + ": rate must be finite and > 0, found " + rate);
        }
        if (steps < 0) {
            throw new IllegalArgumentException(op + ": steps must be >= 0, found " + steps);
        }
    }

    // out = 1 - mask, elementwise.
    static void complement(Backend b, Tensor mask, Tensor out) {
        try (Tensor ones = b.allocate(1, mask.cols())) {
            b.fill(ones, 1f);
            b.scale(-1f, mask, out);
            b.addRowVector(out, ones, 1f, out);
        }
    }
}
