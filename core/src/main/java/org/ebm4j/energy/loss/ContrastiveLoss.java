package org.ebm4j.energy.loss;

/**
 * A loss functional of an energy-based model in the sense of LeCun, Chopra, Hadsell, Ranzato and Huang,
 * "A Tutorial on Energy-Based Learning" (2006), table 1: a function of the energy of the correct answer
 * {@code E+} (the data) and the energies of a set of {@code k} incorrect answers {@code E-} (the
 * negatives), that learning minimizes. It is model-agnostic: a trainer turns the energy derivatives it
 * returns into parameter derivatives by backpropagation.
 *
 * <p>Layout: {@code n} examples; {@code dataEnergy[i]} is example {@code i}'s {@code E+} and
 * {@code negativeEnergy[i * k + j]} its {@code j}-th negative. Losses that use "the most offending
 * incorrect answer" take the lowest-energy negative of the example.
 */
public interface ContrastiveLoss {

    /** The name used on the command line ({@code hinge}, {@code nll}, ...). */
    String name();

    /**
     * The summed loss over the {@code n} examples, and its derivatives: {@code dataGrad[i] = dL/dE+_i}
     * and {@code negativeGrad[i * k + j] = dL/dE-_ij} (overwritten; the derivative of the sum, so the
     * caller divides by {@code n} for a mean).
     *
     * @param k negatives per example, {@code >= 1} (the energy loss ignores them)
     */
    default double evaluate(double[] dataEnergy, double[] negativeEnergy, int k, double[] dataGrad,
                            double[] negativeGrad) {
        int n = dataEnergy.length;
        if (k < 1) {
            throw new IllegalArgumentException(name() + " loss: negatives per example must be >= 1, found " + k);
        }
        if (negativeEnergy.length != (long) n * k) {
            throw new IllegalArgumentException(name() + " loss: " + n + " examples with " + k
                    + " negatives each need " + ((long) n * k) + " negative energies, found " + negativeEnergy.length);
        }
        if (dataGrad.length != n || negativeGrad.length != negativeEnergy.length) {
            throw new IllegalArgumentException(name() + " loss: gradient arrays must match the energies (" + n + " and "
                    + negativeEnergy.length + "), found " + dataGrad.length + " and " + negativeGrad.length);
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += example(dataEnergy[i], negativeEnergy, i * k, k, dataGrad, i, negativeGrad);
        }
        return total;
    }

    /**
     * {@link #evaluate(double[], double[], int, double[], double[])} with a margin per negative,
     * {@code m(y, y-_j)} (for example growing with the distance between the answers): each negative is
     * offered to the loss as {@code E-_j - m_j}, so the most offending negative is the one that violates
     * its own margin most, and a hinge becomes {@code max_j max(0, m_j + E+ - E-_j)} (margin rescaling).
     * The shift does not change any derivative. A loss's own constant margin adds to {@code m_j}.
     *
     * @param margins {@code n k} margins, laid out like {@code negativeEnergy}
     */
    default double evaluate(double[] dataEnergy, double[] negativeEnergy, double[] margins, int k,
                            double[] dataGrad, double[] negativeGrad) {
        if (margins.length != negativeEnergy.length) {
            throw new IllegalArgumentException(name() + " loss: expected one margin per negative ("
                    + negativeEnergy.length + "), found " + margins.length);
        }
        double[] shifted = new double[negativeEnergy.length];
        for (int j = 0; j < shifted.length; j++) {
            shifted[j] = negativeEnergy[j] - margins[j];
        }
        return evaluate(dataEnergy, shifted, k, dataGrad, negativeGrad);
    }

    /**
     * One example: returns its loss, writes {@code dataGrad[i]} and
     * {@code negativeGrad[offset .. offset + k)}.
     */
    double example(double dataEnergy, double[] negativeEnergy, int offset, int k, double[] dataGrad, int i,
                   double[] negativeGrad);

    /** Index of the lowest energy in {@code e[offset .. offset + k)}: the most offending negative. */
    static int mostOffending(double[] e, int offset, int k) {
        int best = offset;
        for (int j = offset + 1; j < offset + k; j++) {
            if (e[j] < e[best]) {
                best = j;
            }
        }
        return best;
    }
}
