package org.ebm4j.hopfield;

import org.ebm4j.boltzmann.NetworkChains;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.UnitRule;
import org.ebm4j.train.SettingChecks;

/**
 * Asynchronous (sequential) deterministic recall for a batch of cues: each sweep visits every unit
 * once, in a random order drawn from the stream (one {@link RandomStream#permutation} per sweep,
 * shared by all chains), setting it to the sign of its field ({@code +1} when the field is
 * {@code >= 0}). Each such update can only lower the energy or leave it unchanged, so the dynamics end
 * in a fixed point; the recall stops when a whole sweep changes no unit in any chain, or after
 * {@code maxSweeps}.
 */
public final class AsynchronousRecall {
    /** Sees the chains after every single-unit update (for tests and visualizations; slows recall down). */
    @FunctionalInterface
    public interface Observer {
        void afterUpdate(int sweep, int unit, NetworkChains chains);
    }

    private static final UnitRule SIGN = UnitRule.threshold(-1f, 1f);

    private final HopfieldNetwork network;
    private final int maxSweeps;
    private Observer observer;

    /** @param maxSweeps the sweep limit, at least 1 */
    public AsynchronousRecall(HopfieldNetwork network, int maxSweeps) {
        this.network = SettingChecks.notNull("network", network);
        this.maxSweeps = SettingChecks.atLeast("maxSweeps", maxSweeps, 1);
    }

    public AsynchronousRecall observer(Observer o) {
        this.observer = o;
        return this;
    }

    /**
     * Recalls in place: {@code states} ({@code chains x n}, -1/+1) holds the cues on entry and the
     * recalled states on exit. {@code clamp} ({@code chains x n}, 1 = hold the cue's value) may be
     * null. The unit order of each sweep comes from {@code rng}.
     */
    public RecallResult run(Tensor states, Tensor clamp, RandomStream rng) {
        if (rng == null) {
            throw new IllegalArgumentException("asynchronous recall needs a random stream for its unit order");
        }
        Backend backend = network.backend();
        int chains = states.rows();
        int n = network.units();
        RecallStatus[] status = new RecallStatus[chains];
        int[] settledAt = new int[chains];
        java.util.Arrays.fill(status, RecallStatus.UNSETTLED);
        int sweeps = 0;
        try (NetworkChains c = NetworkChains.over(network.couplings(), states);
             Tensor before = backend.allocate(chains, n);
             ChangeCounter counter = new ChangeCounter(backend, chains, n)) {
            int unsettled = chains;
            while (sweeps < maxSweeps && unsettled > 0) {
                backend.copy(states, before);
                int[] order = rng.permutation(n);
                if (observer == null) {
                    c.sweep(order, SIGN, clamp, null);
                } else {
                    for (int unit : order) {
                        c.update(unit, SIGN, clamp, null);
                        observer.afterUpdate(sweeps, unit, c);
                    }
                }
                sweeps++;
                float[] changed = counter.count(states, before);
                for (int r = 0; r < chains; r++) {
                    if (status[r] == RecallStatus.UNSETTLED && changed[r] == 0f) {
                        status[r] = RecallStatus.FIXED_POINT;
                        settledAt[r] = sweeps;
                        unsettled--;
                    }
                }
            }
        }
        return new RecallResult(sweeps, status, settledAt);
    }
}
