package org.ebm4j.hopfield;

import org.ebm4j.boltzmann.Couplings;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * A Hopfield network of {@code n} units in {-1, +1}: symmetric weights {@code W} ({@code n x n},
 * zero diagonal) and biases {@code b} ({@code 1 x n}) on a backend, with energy
 * {@code E(s) = -1/2 s^T W s - b^T s}. Patterns are stored with {@link LearningRule#HEBB},
 * {@link LearningRule#STORKEY} or {@link LearningRule#PSEUDO_INVERSE}, incrementally (each {@link #store} call adds to the weights); states
 * are recalled with {@link AsynchronousRecall}, {@link SynchronousRecall} or {@link StochasticRecall}.
 *
 * <p>States and patterns are {@code rows x n} tensors or row-major host arrays of -1 and +1.
 */
public final class HopfieldNetwork implements AutoCloseable {
    private final Couplings couplings;
    private int stored;
    private Tensor patternRow;
    private Tensor fieldRow;
    private Tensor residualRow;
    private Tensor projector;
    private Tensor projectorStep;
    private final int[] rowIndex = new int[1];

    public HopfieldNetwork(Backend backend, int units) {
        this.couplings = new Couplings(backend, units);
    }

    public Backend backend() {
        return couplings.backend();
    }

    /** The number of units {@code n}. */
    public int units() {
        return couplings.size();
    }

    /** How many patterns {@link #store} has added since construction or {@link #clear()}. */
    public int storedPatterns() {
        return stored;
    }

    /** Weights and biases; writing them directly is allowed (keep W symmetric with a zero diagonal). */
    public Couplings couplings() {
        return couplings;
    }

    /** Zero weights and biases, no stored patterns. */
    public void clear() {
        Backend backend = couplings.backend();
        backend.fill(couplings.weights(), 0f);
        backend.fill(couplings.bias(), 0f);
        if (projector != null) {
            backend.fill(projector, 0f);
        }
        stored = 0;
    }

    /**
     * Adds {@code patterns.length / n} patterns (row-major, each value -1 or +1) to the weights by
     * {@code rule}. A value other than -1 or +1 is rejected with its pattern and unit named.
     */
    public void store(float[] patterns, LearningRule rule) {
        int n = units();
        if (patterns == null || patterns.length == 0 || patterns.length % n != 0) {
            throw new IllegalArgumentException("patterns must hold a positive multiple of " + n + " values (one row of "
                    + n + " per pattern) but " + (patterns == null ? "are null" : "hold " + patterns.length));
        }
        checkSpins("pattern", patterns, n);
        int count = patterns.length / n;
        try (Tensor t = backend().fromArray(patterns, count, n)) {
            storeChecked(t, rule);
        }
    }

    /** {@link #store(float[], LearningRule)} for patterns already on the backend ({@code count x n}). */
    public void store(Tensor patterns, LearningRule rule) {
        if (patterns.cols() != units()) {
            throw new IllegalArgumentException("patterns must have " + units() + " columns but are " + patterns.shape());
        }
        checkSpins("pattern", patterns.toArray(), units());
        storeChecked(patterns, rule);
    }

    private void storeChecked(Tensor patterns, LearningRule rule) {
        if (rule == null) {
            throw new IllegalArgumentException("learning rule is null; use HEBB, STORKEY or PSEUDO_INVERSE");
        }
        switch (rule) {
            case HEBB -> storeHebb(patterns);
            case STORKEY -> storeStorkey(patterns);
            case PSEUDO_INVERSE -> storeProjection(patterns);
            default -> throw new AssertionError(rule);
        }
        stored += patterns.rows();
    }

    private void storeHebb(Tensor patterns) {
        float inv = 1f / units();
        backend().gemm(true, false, inv, patterns, patterns, 1f, couplings.weights());
        couplings.zeroDiagonal(couplings.weights());
    }

    /*
     * With w_ii = 0 and xi_i^2 = 1, h_ij = f_i - w_ij xi_j where f = W xi, so the Storkey increment is
     * (1/n)(xi_i xi_j - xi_i f_j - f_i xi_j + 2 w_ij) = (1/n)(u_i u_j - f_i f_j) + (2/n) w_ij with
     * u = xi - f: two symmetric rank-one GEMMs, so W stays exactly symmetric.
     */
    private void storeStorkey(Tensor patterns) {
        Backend backend = backend();
        int n = units();
        if (patternRow == null) {
            patternRow = backend.allocate(1, n);
            fieldRow = backend.allocate(1, n);
            residualRow = backend.allocate(1, n);
        }
        Tensor w = couplings.weights();
        float inv = 1f / n;
        for (int k = 0; k < patterns.rows(); k++) {
            rowIndex[0] = k;
            backend.gatherRows(patterns, rowIndex, 0, patternRow);
            backend.gemm(false, false, 1f, patternRow, w, 0f, fieldRow);
            backend.sub(patternRow, fieldRow, residualRow);
            backend.gemm(true, false, inv, residualRow, residualRow, 1f + 2f * inv, w);
            backend.gemm(true, false, -inv, fieldRow, fieldRow, 1f, w);
            couplings.zeroDiagonal(w);
        }
    }

    /** Below this squared norm (relative to n) a pattern's new component is rounding noise: it is in the span. */
    private static final double SPAN_TOLERANCE = 1e-4;

    /*
     * The projector P onto the span of the patterns stored so far by this rule is kept whole (with its
     * diagonal) in its own tensor; W receives the same rank-one steps with the diagonal removed, so
     * patterns stored by other rules stay in W.
     */
    private void storeProjection(Tensor patterns) {
        Backend backend = backend();
        int n = units();
        if (patternRow == null) {
            patternRow = backend.allocate(1, n);
            fieldRow = backend.allocate(1, n);
            residualRow = backend.allocate(1, n);
        }
        if (projector == null) {
            projector = backend.allocate(n, n);
            projectorStep = backend.allocate(n, n);
        }
        for (int k = 0; k < patterns.rows(); k++) {
            rowIndex[0] = k;
            backend.gatherRows(patterns, rowIndex, 0, patternRow);
            backend.gemm(false, false, 1f, patternRow, projector, 0f, fieldRow);
            backend.sub(patternRow, fieldRow, residualRow);
            double norm2 = backend.dot(residualRow, residualRow);
            if (norm2 < SPAN_TOLERANCE * n) {
                continue;
            }
            backend.gemm(true, false, (float) (1.0 / norm2), residualRow, residualRow, 0f, projectorStep);
            backend.axpy(1f, projectorStep, projector);
            couplings.zeroDiagonal(projectorStep);
            backend.axpy(1f, projectorStep, couplings.weights());
        }
    }

    /** {@code out[r, 0] = E(states[r, :])}; {@code states} is {@code rows x n}, {@code out} {@code rows x 1}. */
    public void energies(Tensor states, Tensor out) {
        couplings.energies(states, out);
    }

    /** Energies of {@code rows x n} host states, one per row. */
    public float[] energies(float[] states) {
        int n = units();
        if (states == null || states.length == 0 || states.length % n != 0) {
            throw new IllegalArgumentException("states must hold a positive multiple of " + n + " values but "
                    + (states == null ? "are null" : "hold " + states.length));
        }
        int rows = states.length / n;
        try (Tensor s = backend().fromArray(states, rows, n); Tensor e = backend().allocate(rows, 1)) {
            energies(s, e);
            return e.toArray();
        }
    }

    /**
     * The energy gap of every unit, {@code out[r, i] = E(s with s_i = -1) - E(s with s_i = +1) = 2 h_i}
     * with {@code h = s W + b}: positive where the unit prefers +1. {@code states} and {@code out} are
     * {@code rows x n} ({@code out} may not alias {@code states}).
     */
    public void energyGaps(Tensor states, Tensor out) {
        Backend backend = backend();
        backend.gemm(false, false, 2f, states, couplings.weights(), 0f, out);
        backend.addRowVector(out, couplings.bias(), 2f, out);
    }

    /** Throws unless every value is -1 or +1, naming the first offender by row and unit. */
    static void checkSpins(String what, float[] values, int n) {
        for (int e = 0; e < values.length; e++) {
            float v = values[e];
            if (v != 1f && v != -1f) {
                throw new IllegalArgumentException(what + " " + (e / n) + ", unit " + (e % n) + " is " + v
                        + "; Hopfield states must be -1 or +1");
            }
        }
    }

    @Override
    public void close() {
        couplings.close();
        if (patternRow != null) {
            patternRow.close();
            fieldRow.close();
            residualRow.close();
        }
        if (projector != null) {
            projector.close();
            projectorStep.close();
        }
    }
}
