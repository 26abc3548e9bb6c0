package org.ebm4j.structured;

import java.util.ArrayList;
import java.util.List;
import org.ebm4j.conditional.ConditionalEnergy;
import org.ebm4j.tensor.Tensor;

/**
 * An energy-based factor graph on a chain: the unary factor of position {@code t} and label {@code k} is
 * a {@link ConditionalEnergy} {@code F(x_t, k)} (a network, evaluated for every position of a batch of
 * sequences in one pass on the backend) and the pairwise factor {@code P[a][b]} between neighbouring
 * labels is a learned {@code K x K} table:
 * <pre>
 *   E(x, y) = sum_t F(x_t, y_t) + sum_{t >= 1} P[y_{t-1}][y_t]
 * </pre>
 * Not thread-safe.
 */
public final class ChainEnergy implements AutoCloseable {
    private final ConditionalEnergy unary;
    private final Tensor pair;

    /** A chain with the given unary energy (owned) and zero pairwise factors. */
    public ChainEnergy(ConditionalEnergy unary) {
        this.unary = unary;
        int k = unary.answers();
        this.pair = unary.joint().backend().allocate(k, k);  // zero-filled
    }

    /** The unary energy. */
    public ConditionalEnergy unary() {
        return unary;
    }

    /** {@code K}, the number of labels. */
    public int labels() {
        return unary.answers();
    }

    /** The pairwise table, {@code K x K} on the backend (a parameter: the trainer updates it in place). */
    public Tensor pair() {
        return pair;
    }

    /** Every parameter: the unary network's, then the pairwise table. */
    public List<Tensor> parameters() {
        List<Tensor> p = new ArrayList<>(unary.joint().parameters());
        p.add(pair);
        return p;
    }

    /** Parameter names in the order of {@link #parameters()} (the table is {@code P}). */
    public List<String> parameterNames() {
        List<String> p = new ArrayList<>(unary.joint().parameterNames());
        p.add("P");
        return p;
    }

    /** The pairwise table as host doubles, {@code a K + b}. */
    public double[] pairFactors() {
        float[] f = pair.toArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** Viterbi decoding of every sequence whose positions are the rows of {@code x} ({@code lengths} each). */
    public int[] decode(Tensor x, int[] lengths) {
        return decode(unary.energies(x), pairFactors(), lengths, labels());
    }

    /** Independent decoding: each position's {@code argmin_k F(x_t, k)}, the pairwise factors ignored. */
    public int[] decodeIndependently(Tensor x) {
        return unary.infer(x);
    }

    static int[] decode(double[] u, double[] p, int[] lengths, int k) {
        int[] out = new int[u.length / k];
        int at = 0;
        for (int len : lengths) {
            double[] seq = java.util.Arrays.copyOfRange(u, at * k, (at + len) * k);
            System.arraycopy(ChainInference.viterbi(seq, p, k), 0, out, at, len);
            at += len;
        }
        return out;
    }

    @Override
    public void close() {
        unary.close();
        pair.close();
    }
}
