package org.ebm4j.dbm;

import org.ebm4j.train.Range;

/**
 * How the mean-field (variational) posterior {@code q(h | v) = prod_l prod_j mu_lj^h_lj (1 - mu_lj)^(1 - h_lj)}
 * of a DBM is found: the fixed-point updates {@code mu_l = sigmoid(b_l + mu_{l-1} W_l + mu_{l+1} W_{l+1}')},
 * odd layers then even layers, from a bottom-up pass with doubled weights (Salakhutdinov and Hinton 2009),
 * until the root-mean-square change of the posteriors in one sweep is at most {@code tolerance} or
 * {@code maxIterations} sweeps have run.
 *
 * @param tolerance     stop when the RMS change over every hidden unit and row is at most this ({@code >= 0})
 * @param maxIterations the most sweeps ({@code >= 1})
 * @param damping       in {@code [0, 1)}: each update is {@code mu = (1 - damping) * new + damping * mu}
 *                      (0 for plain fixed-point updates; damping slows oscillating updates down)
 */
public record MeanField(double tolerance, int maxIterations, double damping) {

    /** The accepted tolerances, under the options key {@code mf_tolerance} ({@link DbmOptions} declares it too). */
    public static final Range TOLERANCE = Range.nonNegativeFinite();
    /** The accepted sweep caps, under the options key {@code mf_iterations}. */
    public static final Range ITERATIONS = Range.atLeast(1);
    /** The accepted dampings, under the options key {@code mf_damping}. */
    public static final Range DAMPING = Range.closedOpen(0, 1);

    public MeanField {
        TOLERANCE.check("mf_tolerance", tolerance);
        ITERATIONS.check("mf_iterations", maxIterations);
        DAMPING.check("mf_damping", damping);
    }

    /** Tolerance {@code 1e-4}, at most 50 sweeps, no damping: the settings for evaluation. */
    public static MeanField precise() {
        return new MeanField(1e-4, 50, 0.0);
    }
}
