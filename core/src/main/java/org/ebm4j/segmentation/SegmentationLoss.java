package org.ebm4j.segmentation;

import org.ebm4j.conditional.ConditionalOptions;
import org.ebm4j.energy.loss.ContrastiveLoss;
import org.ebm4j.energy.loss.ContrastiveLosses;

/**
 * A loss of LeCun's table on the segmentation recognizer. The correct answer's energy is
 * {@code F+ = F(x, y)} over the lattice {@link SegmentationGraph#consistent}; the contrastive term comes
 * from the lattice {@link SegmentationGraph#incorrect} of every other answer:
 * <ul>
 *   <li>losses of the most offending incorrect answer ({@code perceptron}, {@code lvq2}, {@code hinge},
 *       ...): both energies are minima over segmentations, and the most offending answer is the best path
 *       of the incorrect lattice (min-sum); the derivatives reach the factors through the two best paths;</li>
 *   <li>{@code nll} at beta: both are free energies over segmentations, so the loss
 *       {@code F+ + (1/beta) log(exp(-beta F+) + exp(-beta F-))} is {@code F_beta(x, y) - F_beta(x, all)},
 *       the sum over all answers and segmentations by the forward algorithm; the derivatives are the edge
 *       posteriors of each lattice.</li>
 * </ul>
 * The scalar loss and its derivatives with respect to {@code F+} and {@code F-} are
 * {@link ContrastiveLosses}' own, with one negative.
 */
public final class SegmentationLoss {
    private final ContrastiveLoss loss;
    private final double beta;

    private SegmentationLoss(ContrastiveLoss loss, double beta) {
        this.loss = loss;
        this.beta = beta;
    }

    /**
     * The loss that {@code options} name (its margin, and its loss scale as beta, delta or gamma).
     *
     * @throws IllegalArgumentException for options the recognizer does not take: a latent variable of the
     *         segment network, sampled answers or distance margins
     */
    public static SegmentationLoss of(ConditionalOptions options) {
        if (options.latentValues() != 0 || options.latentBeta() != Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("the segmentation is the recognizer's latent variable; expected no"
                    + " latent values and latent beta Infinity, found " + options.latentValues() + " and "
                    + options.latentBeta());
        }
        if (options.sampledAnswers() != 0 || options.marginPerDistance() != 0) {
            throw new IllegalArgumentException("the recognizer finds its contrastive answer by dynamic programming;"
                    + " expected sampled answers 0 and margin per distance 0, found " + options.sampledAnswers()
                    + " and " + options.marginPerDistance());
        }
        ContrastiveLoss l = ContrastiveLosses.byName(options.loss(), options.margin(), options.lossScale());
        return new SegmentationLoss(l, options.loss().equals("nll") ? options.lossScale() : Double.POSITIVE_INFINITY);
    }

    /** The loss's name. */
    public String name() {
        return loss.name();
    }

    /**
     * The loss of image {@code x} read as {@code y}; adds {@code scale dL/dfactor} to {@code grad}.
     *
     * @param factors the factors of {@code graph}'s lattices ({@code segment K + digit})
     * @throws IllegalArgumentException when no segmentation of the graph fits {@code y}
     */
    public double evaluate(SegmentationGraph graph, double[] factors, int[] y, int answers, double scale,
                           double[] grad) {
        Lattice good = graph.consistent(y, answers);
        Lattice bad = graph.incorrect(y, answers);
        double[] gp = new double[1];
        double[] gn = new double[1];
        if (beta == Double.POSITIVE_INFINITY) {
            Lattice.Path plus = good.bestPath(factors);
            Lattice.Path minus = bad.bestPath(factors);
            requirePath(plus.energy(), y);
            double l = loss.evaluate(new double[] {plus.energy()}, new double[] {minus.energy()}, 1, gp, gn);
            good.addPathIndicator(plus, scale * gp[0], grad);
            if (gn[0] != 0) {
                bad.addPathIndicator(minus, scale * gn[0], grad);
            }
            return l;
        }
        double plus = good.freeEnergy(factors, beta);
        requirePath(plus, y);
        double minus = bad.freeEnergy(factors, beta);
        double l = loss.evaluate(new double[] {plus}, new double[] {minus}, 1, gp, gn);
        good.addFactorPosteriors(factors, beta, scale * gp[0], grad);
        if (gn[0] != 0) {
            bad.addFactorPosteriors(factors, beta, scale * gn[0], grad);
        }
        return l;
    }

    private static void requirePath(double energy, int[] y) {
        if (energy == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("no segmentation of the graph reads " + java.util.Arrays.toString(y)
                    + ": the string has more digits than groups of columns, or a digit wider than the widest segment"
                    + " (raise max span or lower the stride)");
        }
    }
}
