package org.ebm4j.boltzmann;

import org.ebm4j.random.Philox;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;

/**
 * A general Boltzmann machine: {@code visible} visible and {@code hidden} hidden binary units with
 * full symmetric connectivity (visible-visible, hidden-hidden and visible-hidden weights, zero
 * diagonal) and biases, on a backend. Units take {@link UnitValues#BINARY} {0, 1} or
 * {@link UnitValues#SPIN} {-1, +1} values; the energy is {@code E(s) = -1/2 s^T W s - b^T s} and
 * {@code p(s) = exp(-E(s)/T) / Z}.
 *
 * <p>Unit order: units {@code 0 .. visible-1} are visible, {@code visible .. n-1} hidden; {@code W}
 * is {@code n x n} and {@code b} is {@code 1 x n} with {@code n = visible + hidden}.
 * {@link GibbsSampler} samples it; {@link BoltzmannTrainer} fits it to data; {@link #exact()}
 * evaluates a small one exactly.
 */
public final class BoltzmannMachine implements AutoCloseable {
    private final Couplings couplings;
    private final int visible;
    private final int hidden;
    private final UnitValues units;

    public BoltzmannMachine(Backend backend, int visible, int hidden, UnitValues units) {
        if (visible < 1) {
            throw new IllegalArgumentException("a Boltzmann machine needs at least 1 visible unit but was given " + visible);
        }
        if (hidden < 0) {
            throw new IllegalArgumentException("hidden unit count must be >= 0 but was " + hidden);
        }
        if (units == null) {
            throw new IllegalArgumentException("unit values are null; use BINARY or SPIN");
        }
        this.visible = visible;
        this.hidden = hidden;
        this.units = units;
        this.couplings = new Couplings(backend, visible + hidden);
    }

    public Backend backend() {
        return couplings.backend();
    }

    public int visible() {
        return visible;
    }

    public int hidden() {
        return hidden;
    }

    /** {@code visible + hidden}. */
    public int size() {
        return visible + hidden;
    }

    public UnitValues unitValues() {
        return units;
    }

    /** Weights and biases on the backend. */
    public Couplings couplings() {
        return couplings;
    }

    /**
     * Symmetric weights {@code w_ij = w_ji ~ N(0, stddev^2)} (zero diagonal) and zero biases, drawn on
     * the host from one draw of {@code rng} so every backend starts from the same machine.
     */
    public void initializeRandom(double stddev, RandomStream rng) {
        if (!(stddev >= 0) || !Double.isFinite(stddev)) {
            throw new IllegalArgumentException("initial weight stddev must be finite and >= 0 but is " + stddev);
        }
        int n = size();
        long draw = rng.nextDraw();
        float[] w = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                float x = (float) (stddev * Philox.normal(rng.seed(), rng.streamId(), draw, (long) i * n + j));
                w[i * n + j] = x;
                w[j * n + i] = x;
            }
        }
        couplings.setWeights(w);
        couplings.setBias(new float[n]);
    }

    /** An exact evaluator of the current parameters (host snapshot); needs {@code size() <= 24}. */
    public ExactBoltzmann exact() {
        return ExactBoltzmann.of(couplings, visible, units);
    }

    @Override
    public void close() {
        couplings.close();
    }

    @Override
    public String toString() {
        return "BoltzmannMachine[visible=" + visible + ", hidden=" + hidden + ", units=" + units + "]";
    }
}
