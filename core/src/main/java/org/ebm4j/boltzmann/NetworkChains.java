package org.ebm4j.boltzmann;

import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Sampler;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.UnitRule;

/**
 * A batch of states of a pairwise binary network ({@code chains x n}, one chain per row) with their
 * local fields {@code field = state * W + b}, updated one unit at a time in every chain at once by
 * {@link Sampler#updateUnit}: asynchronous Hopfield recall, stochastic units, annealing and Gibbs
 * sampling are all sweeps of this.
 *
 * <p>The field stays valid across {@link #update} and {@link #sweep}; after writing the state or the
 * {@link Couplings} any other way, call {@link #refreshField()}.
 */
public final class NetworkChains implements AutoCloseable {
    private final Couplings couplings;
    private final Backend backend;
    private final Tensor state;
    private final boolean ownsState;
    private final Tensor field;
    private Tensor product;
    private Tensor column;

    private NetworkChains(Couplings couplings, Tensor state, boolean ownsState) {
        this.couplings = couplings;
        this.backend = couplings.backend();
        if (state.cols() != couplings.size()) {
            if (ownsState) {
                state.close();
            }
            throw new IllegalArgumentException("states must have " + couplings.size() + " columns (one per unit) but are "
                    + state.shape());
        }
        this.state = state;
        this.ownsState = ownsState;
        this.field = backend.allocate(state.rows(), state.cols());
    }

    /** {@code chains} chains of zeros (refresh after loading a state). */
    public static NetworkChains allocate(Couplings couplings, int chains) {
        if (chains < 1) {
            throw new IllegalArgumentException("need at least 1 chain but was given " + chains);
        }
        NetworkChains c = new NetworkChains(couplings, couplings.backend().allocate(chains, couplings.size()), true);
        c.refreshField();
        return c;
    }

    /**
     * Chains whose state is the caller's tensor {@code states} ({@code chains x n}, updated in place,
     * not closed by {@link #close()}); the field is computed now.
     */
    public static NetworkChains over(Couplings couplings, Tensor states) {
        if (states == null) {
            throw new IllegalArgumentException("states tensor is null");
        }
        if (states.backend() != couplings.backend()) {
            throw new IllegalArgumentException("states belong to backend '" + states.backend().name()
                    + "' but the network lives on '" + couplings.backend().name() + "'");
        }
        NetworkChains c = new NetworkChains(couplings, states, false);
        c.refreshField();
        return c;
    }

    public int chains() {
        return state.rows();
    }

    public int units() {
        return state.cols();
    }

    public Couplings couplings() {
        return couplings;
    }

    /** The states, {@code chains x n}. */
    public Tensor state() {
        return state;
    }

    /** {@code state * W + b}, {@code chains x n}. */
    public Tensor field() {
        return field;
    }

    /** Copies {@code chains x n} host values into the state and refreshes the field. */
    public void load(float[] states) {
        state.copyFrom(states);
        refreshField();
    }

    /** Copies a {@code chains x n} tensor into the state and refreshes the field. */
    public void load(Tensor states) {
        backend.copy(states, state);
        refreshField();
    }

    /** Recomputes {@code field = state * W + b} (one GEMM). */
    public void refreshField() {
        backend.gemm(false, false, 1f, state, couplings.weights(), 0f, field);
        backend.addRowVector(field, couplings.bias(), 1f, field);
    }

    /**
     * One single-site update of {@code unit} in every chain (see {@link Sampler#updateUnit});
     * {@code clamp} ({@code chains x n}, 1 = held fixed) may be null, {@code rng} may be null for a
     * threshold rule.
     */
    public void update(int unit, UnitRule rule, Tensor clamp, RandomStream rng) {
        backend.sampler().updateUnit(state, field, couplings.weights(), unit, rule, clamp, rng);
    }

    /** {@link #update} for each unit of {@code order} in turn. */
    public void sweep(int[] order, UnitRule rule, Tensor clamp, RandomStream rng) {
        Sampler sampler = backend.sampler();
        Tensor w = couplings.weights();
        for (int unit : order) {
            sampler.updateUnit(state, field, w, unit, rule, clamp, rng);
        }
    }

    /**
     * {@code out[r, 0] = E(state[r, :]) = -1/2 s^T W s - b^T s}, computed from the maintained field as
     * {@code -1/2 sum_j s_j field_j - 1/2 b^T s}; {@code out} is {@code chains x 1}.
     */
    public void energies(Tensor out) {
        if (product == null) {
            product = backend.allocate(state.rows(), state.cols());
            column = backend.allocate(state.rows(), 1);
        }
        backend.mul(state, field, product);
        backend.rowSums(product, out);
        backend.gemm(false, true, -0.5f, state, couplings.bias(), 0f, column);
        backend.axpy(-0.5f, out, column);
        backend.copy(column, out);
    }

    /** {@link #energies} on the host, in chain order. */
    public float[] energies() {
        try (Tensor out = backend.allocate(state.rows(), 1)) {
            energies(out);
            return out.toArray();
        }
    }

    @Override
    public void close() {
        field.close();
        if (ownsState) {
            state.close();
        }
        Tensor.closeAll(product, column);
    }
}
