package org.ebm4j.conditional;

import org.ebm4j.energy.loss.ContrastiveLoss;
import org.ebm4j.random.Philox;
import org.ebm4j.random.RandomStream;

/**
 * A loss of LeCun's table ({@link ContrastiveLoss}) applied to the energies {@code F(x, y)} of a
 * discrete answer, the contrastive answers chosen in one of two ways:
 * <ul>
 *   <li>exhaustively: every incorrect answer is a negative, so a loss of the most offending incorrect
 *       answer sees {@code argmin_{y- != y} (F(x, y-) - m(y, y-))}, and NLL/MMI sums over all answers;</li>
 *   <li>by sampling: {@code s} incorrect answers drawn from {@code p(y-) ~ exp(-beta F(x, y-))}
 *       (the most offending of the draws stands in for the exhaustive one).</li>
 * </ul>
 * The result is the loss summed over the examples and {@code dL/dF(x_i, y)} for every answer, ready for
 * {@link ConditionalEnergy#accumulateParameterGradient}.
 */
public final class AnswerLoss {
    private final ContrastiveLoss loss;
    private final AnswerMargin margin;
    private final int samples;
    private final double samplingBeta;

    private AnswerLoss(ContrastiveLoss loss, AnswerMargin margin, int samples, double samplingBeta) {
        if (loss == null || margin == null) {
            throw new IllegalArgumentException("an answer loss needs a loss and a margin (AnswerMargin.NONE for none)");
        }
        this.loss = loss;
        this.margin = margin;
        this.samples = samples;
        this.samplingBeta = samplingBeta;
    }

    /** Every incorrect answer is a contrastive answer. */
    public static AnswerLoss exhaustive(ContrastiveLoss loss, AnswerMargin margin) {
        return new AnswerLoss(loss, margin, 0, 0);
    }

    /** {@code samples} incorrect answers drawn from {@code exp(-beta F)} per example. */
    public static AnswerLoss sampled(ContrastiveLoss loss, AnswerMargin margin, int samples, double beta) {
        if (samples < 1) {
            throw new IllegalArgumentException("sampled contrastive answers need >= 1 sample, found " + samples);
        }
        if (!(beta > 0) || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("sampling beta must be finite and > 0, found " + beta);
        }
        return new AnswerLoss(loss, margin, samples, beta);
    }

    /** The loss of the table. */
    public ContrastiveLoss loss() {
        return loss;
    }

    /** Whether the contrastive answers are sampled (else exhaustive). */
    public boolean sampled() {
        return samples > 0;
    }

    /**
     * @param f {@code n K} energies {@code F(x_i, y)} at {@code i K + y}
     * @param labels the correct answers, {@code n} of them in {@code [0, K)}
     * @param dLdF output, {@code n K}: the derivative of the summed loss with respect to each energy
     * @param rng the draws of the sampled answers (not used, may be null, when exhaustive)
     * @return the loss summed over the examples
     */
    public double evaluate(double[] f, int[] labels, int answers, double[] dLdF, RandomStream rng) {
        int n = labels.length;
        if (f.length != n * answers || dLdF.length != f.length) {
            throw new IllegalArgumentException(loss.name() + " loss: " + n + " labels with " + answers
                    + " answers need " + n * answers + " energies and derivatives, found " + f.length + " and "
                    + dLdF.length);
        }
        int k = samples > 0 ? samples : answers - 1;
        int[] which = new int[n * k];
        for (int i = 0; i < n; i++) {
            int y = labels[i];
            if (y < 0 || y >= answers) {
                throw new IllegalArgumentException("label " + y + " of example " + i + " is outside 0.." + (answers - 1));
            }
            if (samples > 0) {
                sample(f, i, answers, y, which, i * k, rng);
            } else {
                for (int a = 0, j = i * k; a < answers; a++) {
                    if (a != y) {
                        which[j++] = a;
                    }
                }
            }
        }
        double[] ep = new double[n];
        double[] en = new double[n * k];
        double[] margins = new double[n * k];
        for (int i = 0; i < n; i++) {
            ep[i] = f[i * answers + labels[i]];
            for (int j = i * k; j < (i + 1) * k; j++) {
                en[j] = f[i * answers + which[j]];
                margins[j] = margin.margin(labels[i], which[j]);
            }
        }
        double[] gp = new double[n];
        double[] gn = new double[n * k];
        double total = loss.evaluate(ep, en, margins, k, gp, gn);
        java.util.Arrays.fill(dLdF, 0);
        for (int i = 0; i < n; i++) {
            dLdF[i * answers + labels[i]] += gp[i];
            for (int j = i * k; j < (i + 1) * k; j++) {
                dLdF[i * answers + which[j]] += gn[j];
            }
        }
        return total;
    }

    /**
     * The most offending incorrect answer of each example by exhaustive search:
     * {@code argmin_{y- != y} (F(x, y-) - m(y, y-))} (the lowest answer wins a tie).
     */
    public static int[] mostOffending(double[] f, int[] labels, int answers, AnswerMargin margin) {
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            int best = -1;
            double low = Double.POSITIVE_INFINITY;
            for (int a = 0; a < answers; a++) {
                double v = f[i * answers + a] - margin.margin(labels[i], a);
                if (a != labels[i] && (best < 0 || v < low)) {
                    best = a;
                    low = v;
                }
            }
            out[i] = best;
        }
        return out;
    }

    // s draws from exp(-beta F) over the incorrect answers of example i, by inversion of one uniform each.
    private void sample(double[] f, int i, int answers, int y, int[] out, int offset, RandomStream rng) {
        if (rng == null) {
            throw new IllegalArgumentException("sampled contrastive answers need a random stream");
        }
        double low = Double.POSITIVE_INFINITY;
        for (int a = 0; a < answers; a++) {
            if (a != y) {
                low = Math.min(low, f[i * answers + a]);
            }
        }
        double[] cumulative = new double[answers];
        double z = 0;
        for (int a = 0; a < answers; a++) {
            z += a == y ? 0 : Math.exp(-samplingBeta * (f[i * answers + a] - low));
            cumulative[a] = z;
        }
        long draw = rng.nextDraw();
        for (int s = 0; s < samples; s++) {
            double u = Philox.uniform(rng.seed(), rng.streamId(), draw, (long) i * samples + s) * z;
            int a = 0;
            while (a < answers - 1 && (a == y || cumulative[a] <= u)) {
                a++;
            }
            if (a == y) {
                a = y == 0 ? 1 : y - 1;
            }
            out[offset + s] = a;
        }
    }
}
