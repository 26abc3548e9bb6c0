package org.ebm4j.hopfield;

import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.SettingChecks;

/**
 * Synchronous deterministic recall for a batch of cues: every unit of every chain is set at once,
 * {@code s' = sign(s W + b)} ({@code +1} where the field is {@code >= 0}), as one GEMM, a bias add and
 * a threshold on the backend. Unlike asynchronous recall this can end in a 2-cycle (two states that
 * map to each other); each chain is marked as a fixed point or a 2-cycle as soon as it closes one, and
 * the recall stops when every chain has, or after {@code maxSteps}.
 */
public final class SynchronousRecall {
    private final HopfieldNetwork network;
    private final int maxSteps;

    /** @param maxSteps the step limit, at least 1 */
    public SynchronousRecall(HopfieldNetwork network, int maxSteps) {
        this.network = SettingChecks.notNull("network", network);
        this.maxSteps = SettingChecks.atLeast("maxSteps", maxSteps, 1);
    }

    /**
     * Recalls in place: {@code states} ({@code chains x n}, -1/+1) holds the cues on entry and the last
     * state on exit (for a 2-cycle, one of its two states). {@code clamp} ({@code chains x n},
     * 1 = hold the cue's value) may be null.
     */
    public RecallResult run(Tensor states, Tensor clamp) {
        Backend backend = network.backend();
        int chains = states.rows();
        int n = network.units();
        if (states.cols() != n) {
            throw new IllegalArgumentException("states must have " + n + " columns (one per unit) but are " + states.shape());
        }
        if (clamp != null && (clamp.rows() != chains || clamp.cols() != n)) {
            throw new IllegalArgumentException("clamp must be " + chains + "x" + n + " like the states but is " + clamp.shape());
        }
        RecallStatus[] status = new RecallStatus[chains];
        int[] settledAt = new int[chains];
        java.util.Arrays.fill(status, RecallStatus.UNSETTLED);
        int steps = 0;
        try (Tensor next = backend.allocate(chains, n);
             Tensor previous = backend.allocate(chains, n);
             Tensor held = clamp == null ? null : backend.allocate(chains, n);
             ChangeCounter counter = new ChangeCounter(backend, chains, n)) {
            int unsettled = chains;
            while (steps < maxSteps && unsettled > 0) {
                backend.gemm(false, false, 1f, states, network.couplings().weights(), 0f, next);
                backend.addRowVector(next, network.couplings().bias(), 1f, next);
                backend.threshold(next, 0f, -1f, 1f, next);
                if (clamp != null) {
                    // next += clamp * (states - next): clamped units keep their value.
                    backend.sub(states, next, held);
                    backend.mul(held, clamp, held);
                    backend.add(next, held, next);
                }
                steps++;
                float[] moved = counter.count(next, states).clone();
                float[] back = steps >= 2 ? counter.count(next, previous) : null;
                for (int r = 0; r < chains; r++) {
                    if (status[r] != RecallStatus.UNSETTLED) {
                        continue;
                    }
                    if (moved[r] == 0f) {
                        status[r] = RecallStatus.FIXED_POINT;
                        settledAt[r] = steps;
                        unsettled--;
                    } else if (back != null && back[r] == 0f) {
                        status[r] = RecallStatus.TWO_CYCLE;
                        settledAt[r] = steps;
                        unsettled--;
                    }
                }
                backend.copy(states, previous);
                backend.copy(next, states);
            }
        }
        return new RecallResult(steps, status, settledAt);
    }
}
