package org.ebm4j.structured;

import java.util.Arrays;
import java.util.Locale;

/**
 * The losses that train a chain factor graph, each a function of the unary and pairwise factors of
 * one sequence with its derivatives with respect to both (see {@link ChainInference} for the layout):
 * <ul>
 *   <li>{@link #PERCEPTRON}: {@code E(y) - min_y' E(y')}, the most offending answer by Viterbi;</li>
 *   <li>{@link #HINGE}: {@code max(0, E(y) - min_y' (E(y') - m H(y, y')))}, margin-rescaled by the
 *       Hamming distance, its most offending answer by loss-augmented Viterbi;</li>
 *   <li>{@link #NLL}: {@code E(y) + (1/beta) log sum_y' exp(-beta E(y'))}, every answer by the forward
 *       algorithm, its derivatives the indicator of {@code y} minus the marginals.</li>
 * </ul>
 */
public enum ChainLoss {
    PERCEPTRON,
    HINGE,
    NLL;

    /** The name on the command line. */
    public String shortName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The loss named {@code name} ({@code perceptron}, {@code hinge}, {@code nll}). */
    public static ChainLoss byName(String name) {
        for (ChainLoss l : values()) {
            if (l.shortName().equals(name)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown chain loss '" + name + "'; expected one of perceptron, hinge, nll");
    }

    /**
     * The loss of one sequence; adds its derivatives to {@code dUnary} ({@code T K}) and {@code dPair}
     * ({@code K K}).
     *
     * @param margin {@code m} of the hinge (per differing position)
     * @param beta the NLL's inverse temperature
     */
    public double evaluate(double[] unary, double[] pair, int k, int[] truth, double margin, double beta,
                           double[] dUnary, double[] dPair) {
        double e = ChainInference.energy(unary, pair, truth, k);
        if (this == NLL) {
            ChainInference.Marginals m = ChainInference.marginals(unary, pair, k, beta);
            addIndicator(truth, k, 1, dUnary, dPair);
            for (int i = 0; i < m.node().length; i++) {
                dUnary[i] -= m.node()[i];
            }
            for (int i = 0; i < m.edge().length; i++) {
                dPair[i] -= m.edge()[i];
            }
            return e - m.freeEnergy();
        }
        int[] other = this == PERCEPTRON ? ChainInference.viterbi(unary, pair, k)
                : ChainInference.lossAugmentedViterbi(unary, pair, k, truth, margin);
        double augmented = this == PERCEPTRON ? 0 : margin * ChainInference.hamming(truth, other);
        double loss = e - ChainInference.energy(unary, pair, other, k) + augmented;
        if (loss > 0 && !Arrays.equals(truth, other)) {
            addIndicator(truth, k, 1, dUnary, dPair);
            addIndicator(other, k, -1, dUnary, dPair);
            return loss;
        }
        return 0;
    }

    private static void addIndicator(int[] y, int k, double sign, double[] dUnary, double[] dPair) {
        for (int i = 0; i < y.length; i++) {
            dUnary[i * k + y[i]] += sign;
            if (i > 0) {
                dPair[y[i - 1] * k + y[i]] += sign;
            }
        }
    }
}
