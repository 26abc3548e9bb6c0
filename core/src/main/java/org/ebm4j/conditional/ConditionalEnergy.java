package org.ebm4j.conditional;

import java.util.List;
import org.ebm4j.energy.TrainableEnergy;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * A conditional energy {@code F(x, y)} over a discrete answer {@code y in {0..K-1}}, optionally with a
 * discrete latent variable {@code z in {0..L-1}} (LeCun and Canziani's EBM lecture): one network of
 * the existing kinds (an {@link org.ebm4j.energy.EnergyNetwork}, say) scores the joint input
 * {@code [code(x, y) | onehot(y) | onehot(z)]}, where {@link Encoding} says how the answer meets the
 * input, so
 * <pre>
 *   E(x, y, z) = joint([code(x, y), e_y, e_z])
 *   F(x, y)    = min_z E(x, y, z)                                   (zero temperature)
 *             or -(1/beta) log sum_z exp(-beta E(x, y, z))           (marginal, the free energy)
 *   y*         = argmin_y F(x, y)
 * </pre>
 * Every energy of a batch is one forward pass of the joint network over {@code n K L} rows on its
 * backend, and a loss's derivatives {@code dL/dF(x_i, y)} go back through the latent reduction to the
 * joint network's parameters in one backward pass.
 *
 * <p>Not thread-safe (the joint network reuses its workspaces).
 */
public final class ConditionalEnergy implements AutoCloseable {
    /** How the input and the answer enter the joint network. */
    public enum Encoding {
        /**
         * {@code code(x, y) = x}: the answer enters only through its one-hot columns, so the first layer's
         * response to {@code x} is shared by every answer (few parameters; answers interact with the input
         * only through the units' non-linearity).
         */
        ONE_HOT("one-hot"),
        /**
         * {@code code(x, y) = e_y (x) x}: {@code x} is placed in the {@code y}-th of {@code K} blocks, so each
         * answer has its own first-layer weights on the input and the layers above are shared: an energy
         * per answer from one network ({@code K d} input columns).
         */
        BLOCK("block");

        private final String id;

        Encoding(String id) {
            this.id = id;
        }

        /** The name in options and model files. */
        public String id() {
            return id;
        }

        /** The encoding named {@code id}. */
        public static Encoding byName(String id) {
            for (Encoding e : values()) {
                if (e.id.equals(id)) {
                    return e;
                }
            }
            throw new IllegalArgumentException("unknown answer encoding '" + id + "'; expected one-hot or block");
        }

        /** Columns of the joint network for {@code inputs}, {@code answers} and {@code latentValues}. */
        public int jointColumns(int inputs, int answers, int latentValues) {
            return (this == BLOCK ? inputs * answers : inputs) + answers + latentValues;
        }
    }

    private final TrainableEnergy joint;
    private final Encoding encoding;
    private final int inputs;
    private final int answers;
    private final int latents;
    private final LatentReduction latent;

    /**
     * @param joint the network over {@code encoding.jointColumns(inputs, answers, latentValues)} columns
     *              (owned: closed with this)
     * @param encoding how {@code x} and {@code y} enter the joint network
     * @param inputs the dimension of {@code x}
     * @param answers {@code K >= 2}, the number of answers
     * @param latentValues {@code L >= 0}, the number of latent values ({@code 0}: no latent variable)
     * @param latent how {@code z} is reduced (ignored without a latent variable)
     */
    public ConditionalEnergy(TrainableEnergy joint, Encoding encoding, int inputs, int answers, int latentValues,
                             LatentReduction latent) {
        if (encoding == null) {
            throw new IllegalArgumentException("an answer encoding is needed (one-hot or block)");
        }
        if (inputs < 1) {
            throw new IllegalArgumentException("a conditional energy needs >= 1 input columns, found " + inputs);
        }
        if (answers < 2) {
            throw new IllegalArgumentException("a conditional energy needs >= 2 answers, found " + answers);
        }
        if (latentValues < 0) {
            throw new IllegalArgumentException("latent values must be >= 0 (0: no latent variable), found "
                    + latentValues);
        }
        int expected = encoding.jointColumns(inputs, answers, latentValues);
        if (joint.dimension() != expected) {
            throw new IllegalArgumentException("the joint energy must take " + expected + " columns ("
                    + (encoding == Encoding.BLOCK ? answers + " blocks of " : "") + inputs + " inputs + " + answers
                    + " answers + " + latentValues + " latent values), found " + joint.dimension());
        }
        if (latent == null) {
            throw new IllegalArgumentException("a latent reduction is needed (LatentReduction.minimum() without z)");
        }
        this.joint = joint;
        this.encoding = encoding;
        this.inputs = inputs;
        this.answers = answers;
        this.latents = latentValues;
        this.latent = latent;
    }

    /** A one-hot conditional energy without a latent variable. */
    public static ConditionalEnergy of(TrainableEnergy joint, int inputs, int answers) {
        return new ConditionalEnergy(joint, Encoding.ONE_HOT, inputs, answers, 0, LatentReduction.minimum());
    }

    /** How {@code x} and {@code y} enter the joint network. */
    public Encoding encoding() {
        return encoding;
    }

    /** The network over {@code [x | onehot(y) | onehot(z)]}. */
    public TrainableEnergy joint() {
        return joint;
    }

    /** The dimension of {@code x}. */
    public int inputs() {
        return inputs;
    }

    /** {@code K}, the number of answers. */
    public int answers() {
        return answers;
    }

    /** {@code L}: the number of latent values, 0 without a latent variable. */
    public int latentValues() {
        return latents;
    }

    /** How the latent variable is reduced. */
    public LatentReduction latent() {
        return latent;
    }

    private int perAnswer() {
        return Math.max(1, latents);
    }

    /**
     * {@code E(x_i, y, z)} for every row, answer and latent value, at index {@code (i K + y) L' + z}
     * ({@code L' = max(1, L)}).
     */
    public double[] jointEnergies(Tensor x) {
        checkInputs("ConditionalEnergy.jointEnergies", x);
        Backend b = joint.backend();
        try (Tensor rows = jointRows(x); Tensor e = b.allocate(rows.rows(), 1)) {
            joint.energy(rows, e);
            float[] f = e.toArray();
            double[] out = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                out[i] = f[i];
            }
            return out;
        }
    }

    /** {@code F(x_i, y)} at index {@code i K + y}. */
    public double[] energies(Tensor x) {
        return reduce(jointEnergies(x), null);
    }

    // F per (i, y) from the joint energies; dF/dE per joint row into weights when given.
    private double[] reduce(double[] e, double[] weights) {
        int l = perAnswer();
        double[] f = new double[e.length / l];
        for (int a = 0; a < f.length; a++) {
            f[a] = latent.reduce(e, a * l, l, weights);
        }
        return f;
    }

    /** {@code y*_i = argmin_y F(x_i, y)} (the lowest answer wins a tie). */
    public int[] infer(Tensor x) {
        return argminPerRow(energies(x), answers);
    }

    /**
     * The joint minimization {@code (y*, z*) = argmin_{y, z} E(x, y, z)}: {@code result[0]} the answers,
     * {@code result[1]} the latent values (all 0 without a latent variable).
     */
    public int[][] inferJoint(Tensor x) {
        int l = perAnswer();
        int[] best = argminPerRow(jointEnergies(x), answers * l);
        int[] y = new int[best.length];
        int[] z = new int[best.length];
        for (int i = 0; i < best.length; i++) {
            y[i] = best[i] / l;
            z[i] = best[i] % l;
        }
        return new int[][] {y, z};
    }

    static int[] argminPerRow(double[] e, int k) {
        int[] out = new int[e.length / k];
        for (int i = 0; i < out.length; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (e[i * k + j] < e[i * k + best]) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /**
     * {@code grads[p] += sum_{i, y} dLdF[i K + y] dF(x_i, y)/dtheta_p}: the chain rule through the latent
     * reduction ({@code dF/dE(z)} the indicator of the minimizing {@code z}, or its posterior at beta)
     * into the joint network's backpropagation.
     *
     * @param dLdF {@code n K} derivatives of a loss with respect to the answers' energies
     * @param grads accumulators shaped like {@code joint().parameters()}
     */
    public void accumulateParameterGradient(Tensor x, double[] dLdF, List<Tensor> grads) {
        String op = "ConditionalEnergy.accumulateParameterGradient";
        checkInputs(op, x);
        if (dLdF.length != x.rows() * answers) {
            throw new IllegalArgumentException(op + ": expected " + x.rows() * answers + " derivatives ("
                    + x.rows() + " rows x " + answers + " answers), found " + dLdF.length);
        }
        int l = perAnswer();
        double[] weights = new double[dLdF.length * l];
        if (l > 1) {
            reduce(jointEnergies(x), weights);
        } else {
            java.util.Arrays.fill(weights, 1);
        }
        float[] rowWeights = new float[weights.length];
        for (int r = 0; r < weights.length; r++) {
            rowWeights[r] = (float) (dLdF[r / l] * weights[r]);
        }
        Backend b = joint.backend();
        try (Tensor rows = jointRows(x); Tensor c = b.fromArray(rowWeights, rowWeights.length, 1)) {
            joint.accumulateParameterGradient(rows, c, grads);
        }
    }

    /** Zeroed tensors shaped like the joint network's parameters, for {@link #accumulateParameterGradient}. */
    public List<Tensor> newGradients() {
        Backend b = joint.backend();
        return joint.parameters().stream().map(p -> b.allocate(p.rows(), p.cols())).toList();
    }

    // [code(x_i, y) | e_y | e_z] for every (i, y, z), row (i K + y) L' + z.
    private Tensor jointRows(Tensor x) {
        int n = x.rows();
        int l = perAnswer();
        int d = joint.dimension();
        float[] xs = x.toArray();
        float[] rows = new float[n * answers * l * d];
        int r = 0;
        int code = encoding == Encoding.BLOCK ? inputs * answers : inputs;
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < answers; y++) {
                for (int z = 0; z < l; z++, r++) {
                    int at = encoding == Encoding.BLOCK ? y * inputs : 0;
                    System.arraycopy(xs, i * inputs, rows, r * d + at, inputs);
                    rows[r * d + code + y] = 1f;
                    if (latents > 0) {
                        rows[r * d + code + answers + z] = 1f;
                    }
                }
            }
        }
        return joint.backend().fromArray(rows, n * answers * l, d);
    }

    private void checkInputs(String op, Tensor x) {
        if (x.cols() != inputs) {
            throw new IllegalArgumentException(op + ": inputs must have " + inputs + " columns, found " + x.shape());
        }
    }

    @Override
    public void close() {
        joint.close();
    }
}
