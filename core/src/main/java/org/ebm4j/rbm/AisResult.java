package org.ebm4j.rbm;

/**
 * An AIS estimate of {@code log Z}.
 *
 * @param logZ        {@code log Z_A + log mean_r exp(logWeight_r)}
 * @param logZLow     {@code log(Z-hat - 3 sd)}, where sd is the standard error of the mean
 *                    importance weight; {@code -infinity} when {@code Z-hat - 3 sd <= 0}
 * @param logZHigh    {@code log(Z-hat + 3 sd)}
 * @param logZBase    {@code log Z_A} of the base-rate model
 * @param runs        number of parallel annealing runs
 * @param betas       number of inverse temperatures (including 0 and 1)
 * @param logWeights  the runs' log importance weights
 */
public record AisResult(double logZ, double logZLow, double logZHigh, double logZBase, int runs, int betas,
                        double[] logWeights) {
}
