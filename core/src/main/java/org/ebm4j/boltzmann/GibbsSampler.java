package org.ebm4j.boltzmann;

import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.UnitRule;

/**
 * Sequential (single-site) Gibbs sampling of a {@link BoltzmannMachine} over many independent chains
 * at once (the chain index is the row of {@link NetworkChains}): a sweep updates units {@code 0 .. n-1}
 * in turn, each from {@code p(s_i = high | rest) = sigmoid((high - low) h_i / T)}, in every chain. A
 * {@link TemperatureSchedule} gives the temperature of each sweep (constant for sampling, decreasing
 * for annealing). Systematic-scan Gibbs leaves {@code exp(-E/T)} invariant.
 */
public final class GibbsSampler {
    private final BoltzmannMachine machine;
    private final int[] allUnits;
    private final int[] hiddenUnits;

    public GibbsSampler(BoltzmannMachine machine) {
        if (machine == null) {
            throw new IllegalArgumentException("machine is null");
        }
        this.machine = machine;
        this.allUnits = range(0, machine.size());
        this.hiddenUnits = range(machine.visible(), machine.size());
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    public BoltzmannMachine machine() {
        return machine;
    }

    /** {@code chains} chains on the machine's couplings, started uniformly at random. */
    public NetworkChains newChains(int chains, RandomStream rng) {
        NetworkChains c = NetworkChains.allocate(machine.couplings(), chains);
        randomize(c, rng);
        return c;
    }

    /** Sets every unit of every chain to low or high with probability 1/2 each (one draw). */
    public void randomize(NetworkChains chains, RandomStream rng) {
        Backend backend = machine.backend();
        Tensor s = chains.state();
        backend.sampler().fillUniform(s, rng);
        backend.threshold(s, 0.5f, machine.unitValues().low(), machine.unitValues().high(), s);
        chains.refreshField();
    }

    /** One sweep over all units at temperature {@code t}, skipping units clamped in {@code clamp} (may be null). */
    public void sweep(NetworkChains chains, double t, Tensor clamp, RandomStream rng) {
        chains.sweep(allUnits, machine.unitValues().gibbsRule(t), clamp, rng);
    }

    /** One sweep over the hidden units only, at temperature {@code t}: the visible ones stay as they are. */
    public void sweepHidden(NetworkChains chains, double t, RandomStream rng) {
        if (hiddenUnits.length > 0) {
            chains.sweep(hiddenUnits, machine.unitValues().gibbsRule(t), null, rng);
        }
    }

    /** Runs every sweep of {@code schedule} over all units, honouring {@code clamp} (may be null). */
    public void run(NetworkChains chains, TemperatureSchedule schedule, Tensor clamp, RandomStream rng) {
        for (int k = 0; k < schedule.sweeps(); k++) {
            UnitRule rule = machine.unitValues().gibbsRule(schedule.temperature(k));
            chains.sweep(allUnits, rule, clamp, rng);
        }
    }

    /**
     * Draws {@code count} samples from {@code count} independent chains started at random and run through
     * {@code schedule}; returns their visible parts on the host ({@code count x visible}, row-major).
     */
    public float[] sampleVisible(int count, TemperatureSchedule schedule, RandomStream rng) {
        try (NetworkChains c = newChains(count, rng)) {
            run(c, schedule, null, rng);
            return visiblePart(c.state().toArray(), count, machine.size(), machine.visible());
        }
    }

    static float[] visiblePart(float[] states, int rows, int n, int visible) {
        float[] v = new float[rows * visible];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(states, r * n, v, r * visible, visible);
        }
        return v;
    }
}
