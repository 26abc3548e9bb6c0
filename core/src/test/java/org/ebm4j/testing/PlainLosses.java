package org.ebm4j.testing;

/**
 * The losses of LeCun et al.'s table (A Tutorial on Energy-Based Learning, 2006, table 1) written out
 * from their definitions, for references of trainer tests: {@code ep} the correct answer's energy,
 * {@code en} the contrastive answers' energies, {@code E-*} their minimum.
 */
public final class PlainLosses {
    private PlainLosses() {
    }

    /** Every loss a conditional trainer takes, by its option name (a parameter source). */
    public static String[] names() {
        return new String[] {"energy", "perceptron", "hinge", "log", "square-square", "square-exp", "nll", "lvq2",
            "mce", "min-hinge"};
    }

    /**
     * The loss {@code name} of one example; {@code margin} is the hinge, min-hinge and square-square
     * margin, {@code scale} the square-exponential gamma, the NLL beta and the LVQ2 delta.
     */
    public static double of(String name, double margin, double scale, double ep, double... en) {
        double star = Double.POSITIVE_INFINITY;
        double sum = Math.exp(-scale * ep);
        for (double e : en) {
            star = Math.min(star, e);
            sum += Math.exp(-scale * e);
        }
        switch (name) {
            case "energy": return ep;
            case "perceptron": return ep - Math.min(ep, star);
            case "hinge": return Math.max(0, margin + ep - star);
            case "log": return Math.log1p(Math.exp(ep - star));
            case "square-square": return ep * ep + Math.pow(Math.max(0, margin - star), 2);
            case "square-exp": return ep * ep + scale * Math.exp(-star);
            case "nll": return ep + Math.log(sum) / scale;
            case "lvq2": return Math.min(1, Math.max(0, (ep - star) / (scale * star)));
            case "mce": return 1 / (1 + Math.exp(star - ep));
            case "min-hinge": return ep + Math.max(0, margin - star);
            default: throw new IllegalArgumentException("no plain form of loss '" + name + "'");
        }
    }
}
