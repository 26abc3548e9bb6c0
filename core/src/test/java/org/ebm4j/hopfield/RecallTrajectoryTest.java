package org.ebm4j.hopfield;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.ebm4j.boltzmann.ClampMask;
import org.ebm4j.boltzmann.RandomNetworks;
import org.ebm4j.boltzmann.TemperatureSchedule;
import org.ebm4j.boltzmann.UnitValues;
import org.ebm4j.data.Dataset;
import org.ebm4j.random.Philox;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.UnitRule;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every recall dynamics against a plain host re-implementation of its definition, state by state:
 * the same unit orders (one {@link RandomStream#permutation} per sweep), the same stochastic draws
 * ({@link Philox#uniform} of the update's draw, chain as element), the sign rule {@code +1} at a field
 * {@code >= 0}, clamped units skipped. Weights and biases are multiples of 1/4, so every field is exact in
 * float and fields of exactly 0 occur (the tie goes to +1 in both). The iterations, each chain's status and
 * the sweep it settled at must match exactly.
 */
@ExtendWith(NoLeakedTensors.class)
class RecallTrajectoryTest {
    private static final int N = 6;

    /** A symmetric zero-diagonal network with weights and biases in {-1, -3/4, ..., 1}, from a seed. */
    private static float[][] quarterNetwork(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] w = new float[n * n];
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            b[i] = (r.nextInt(9) - 4) / 8f;
            for (int j = i + 1; j < n; j++) {
                float x = (r.nextInt(9) - 4) / 4f;
                w[i * n + j] = x;
                w[j * n + i] = x;
            }
        }
        return new float[][] {w, b};
    }

    private static double field(float[] w, float[] b, float[] s, int row, int unit, int n) {
        double h = b[unit];
        for (int j = 0; j < n; j++) {
            h += w[unit * n + j] * s[row * n + j];
        }
        return h;
    }

    /** What a host recall ends with: the states, the iterations run, each chain's status and settling sweep. */
    private record HostRun(float[] states, int iterations, RecallStatus[] status, int[] settledAt) {
        RecallResult result() {
            return new RecallResult(iterations, status, settledAt);
        }
    }

    /** Asynchronous recall from its definition, continuing on {@code rng}; the units of each sweep's order go to {@code visited}. */
    private static HostRun hostAsync(float[] w, float[] b, float[] cues, boolean[] clamped, int maxSweeps,
                                     RandomStream rng, List<Integer> visited) {
        int n = b.length;
        int chains = cues.length / n;
        float[] s = cues.clone();
        RecallStatus[] status = new RecallStatus[chains];
        Arrays.fill(status, RecallStatus.UNSETTLED);
        int[] at = new int[chains];
        int sweeps = 0;
        while (sweeps < maxSweeps && Arrays.asList(status).contains(RecallStatus.UNSETTLED)) {
            boolean[] changed = new boolean[chains];
            for (int unit : rng.permutation(n)) {
                visited.add(unit);
                for (int r = 0; r < chains; r++) {
                    if (clamped != null && clamped[unit]) {
                        continue;
                    }
                    float now = field(w, b, s, r, unit, n) >= 0 ? 1f : -1f;
                    changed[r] |= now != s[r * n + unit];
                    s[r * n + unit] = now;
                }
            }
            sweeps++;
            for (int r = 0; r < chains; r++) {
                if (status[r] == RecallStatus.UNSETTLED && !changed[r]) {
                    status[r] = RecallStatus.FIXED_POINT;
                    at[r] = sweeps;
                }
            }
        }
        return new HostRun(s, sweeps, status, at);
    }

    /** Synchronous recall from its definition: all units at once, a return to the state before last is a 2-cycle. */
    private static HostRun hostSync(float[] w, float[] b, float[] cues, boolean[] clamped, int maxSteps) {
        int n = b.length;
        int chains = cues.length / n;
        float[] s = cues.clone();
        float[] before = null;
        RecallStatus[] status = new RecallStatus[chains];
        Arrays.fill(status, RecallStatus.UNSETTLED);
        int[] at = new int[chains];
        int steps = 0;
        while (steps < maxSteps && Arrays.asList(status).contains(RecallStatus.UNSETTLED)) {
            float[] next = new float[s.length];
            for (int r = 0; r < chains; r++) {
                for (int i = 0; i < n; i++) {
                    boolean held = clamped != null && clamped[i];
                    next[r * n + i] = held ? s[r * n + i] : field(w, b, s, r, i, n) >= 0 ? 1f : -1f;
                }
            }
            steps++;
            for (int r = 0; r < chains; r++) {
                if (status[r] != RecallStatus.UNSETTLED) {
                    continue;
                }
                if (sameRow(next, s, r, n)) {
                    status[r] = RecallStatus.FIXED_POINT;
                    at[r] = steps;
                } else if (before != null && sameRow(next, before, r, n)) {
                    status[r] = RecallStatus.TWO_CYCLE;
                    at[r] = steps;
                }
            }
            before = s;
            s = next;
        }
        return new HostRun(s, steps, status, at);
    }

    private static boolean sameRow(float[] a, float[] b, int r, int n) {
        return Arrays.equals(a, r * n, r * n + n, b, r * n, r * n + n);
    }

    /**
     * Stochastic sweeps at the given temperatures from their definition (one permutation draw per sweep,
     * one draw per unit update, {@code p(+1) = sigmoid(2 h / T)}), then the asynchronous quench on the same
     * stream; the settling sweeps count from the start of the schedule.
     */
    private static HostRun hostAnneal(float[] w, float[] b, float[] cues, boolean[] clamped, double[] temperatures,
                                      int quench, RandomStream rng) {
        int n = b.length;
        int chains = cues.length / n;
        float[] s = cues.clone();
        for (double t : temperatures) {
            UnitRule rule = UnitRule.stochastic(-1f, 1f, (float) t);
            for (int unit : rng.permutation(n)) {
                long draw = rng.nextDraw();
                for (int r = 0; r < chains; r++) {
                    if (clamped != null && clamped[unit]) {
                        continue;
                    }
                    float h = (float) field(w, b, s, r, unit, n);
                    boolean up = Philox.uniform(rng.seed(), rng.streamId(), draw, r) < rule.probabilityHigh(h);
                    s[r * n + unit] = up ? 1f : -1f;
                }
            }
        }
        int sweeps = temperatures.length;
        if (quench == 0) {
            RecallStatus[] status = new RecallStatus[chains];
            Arrays.fill(status, RecallStatus.UNSETTLED);
            return new HostRun(s, sweeps, status, new int[chains]);
        }
        HostRun q = hostAsync(w, b, s, clamped, quench, rng, new ArrayList<>());
        int[] at = q.settledAt().clone();
        for (int r = 0; r < chains; r++) {
            at[r] = at[r] == 0 ? 0 : at[r] + sweeps;
        }
        return new HostRun(q.states(), sweeps + q.iterations(), q.status(), at);
    }

    private static HopfieldNetwork network(ReferenceBackend backend, float[][] wb) {
        HopfieldNetwork net = new HopfieldNetwork(backend, wb[1].length);
        net.couplings().setWeights(wb[0]);
        net.couplings().setBias(wb[1]);
        return net;
    }

    private static void assertSameRun(HostRun expected, RecallResult actual, float[] states) {
        assertArrayEquals(expected.states(), states, "recalled states");
        assertEquals(expected.result(), actual);
        assertEquals(expected.iterations(), actual.iterations());
        assertArrayEquals(expected.settledAt(), actual.settledAt());
    }

    @ParameterizedTest
    @ValueSource(longs = {3, 11, 42})
    void asynchronousRecallFollowsTheDefinitionSweepBySweep(long seed) {
        float[][] wb = quarterNetwork(N, seed);
        float[] cues = RandomNetworks.states(10, N, UnitValues.SPIN, seed + 1);
        HostRun expected = hostAsync(wb[0], wb[1], cues, null, 50, new RandomStream(seed, 7), new ArrayList<>());
        // The cases the comparison must cover: chains settling at different sweeps, all of them settled.
        assertTrue(Arrays.stream(expected.settledAt()).distinct().count() >= 2, Arrays.toString(expected.settledAt()));
        try (ReferenceBackend backend = new ReferenceBackend();
             HopfieldNetwork net = network(backend, wb);
             Tensor states = backend.fromArray(cues, 10, N)) {
            RecallResult result = new AsynchronousRecall(net, 50).run(states, null, new RandomStream(seed, 7));
            assertSameRun(expected, result, states.toArray());
            assertTrue(result.allSettled());
        }
    }

    @Test
    void asynchronousRecallStopsAtItsSweepLimitWithTheMovingChainsUnsettled() {
        float[][] wb = quarterNetwork(N, 3);
        float[] cues = RandomNetworks.states(10, N, UnitValues.SPIN, 4);
        HostRun full = hostAsync(wb[0], wb[1], cues, null, 50, new RandomStream(5), new ArrayList<>());
        int limit = Arrays.stream(full.settledAt()).max().getAsInt() - 1;
        assertTrue(limit >= 1, "the network must need at least two sweeps for some chain");
        HostRun expected = hostAsync(wb[0], wb[1], cues, null, limit, new RandomStream(5), new ArrayList<>());
        try (ReferenceBackend backend = new ReferenceBackend();
             HopfieldNetwork net = network(backend, wb);
             Tensor states = backend.fromArray(cues, 10, N)) {
            RecallResult result = new AsynchronousRecall(net, limit).run(states, null, new RandomStream(5));
            assertSameRun(expected, result, states.toArray());
            assertEquals(limit, result.iterations());
            assertTrue(result.count(RecallStatus.UNSETTLED) >= 1, result.toString());
            assertTrue(result.count(RecallStatus.FIXED_POINT) >= 1, result.toString());
        }
    }

    @Test
    void theObserverSeesEveryUpdateInTheOrderOfEachSweepAndChangesNothing() {
        float[][] wb = quarterNetwork(N, 11);
        float[] cues = RandomNetworks.states(4, N, UnitValues.SPIN, 12);
        boolean[] clamped = {true, false, false, true, false, false};
        List<Integer> order = new ArrayList<>();
        HostRun expected = hostAsync(wb[0], wb[1], cues, clamped, 50, new RandomStream(13), order);
        List<Integer> seen = new ArrayList<>();
        List<Integer> sweepOf = new ArrayList<>();
        try (ReferenceBackend backend = new ReferenceBackend();
             HopfieldNetwork net = network(backend, wb);
             Tensor states = backend.fromArray(cues, 4, N);
             Tensor clamp = ClampMask.sameForAllChains(backend, 4, clamped)) {
            RecallResult result = new AsynchronousRecall(net, 50).observer((sweep, unit, chains) -> {
                seen.add(unit);
                sweepOf.add(sweep);
            }).run(states, clamp, new RandomStream(13));
            assertSameRun(expected, result, states.toArray());
        }
        assertEquals(order, seen);
        assertEquals(expected.iterations() * N, sweepOf.size());
        for (int k = 0; k < sweepOf.size(); k++) {
            assertEquals(k / N, sweepOf.get(k), "update " + k + " belongs to sweep " + (k / N));
        }
        for (int r = 0; r < 4; r++) {
            assertEquals(cues[r * N], expected.states()[r * N], "clamped unit 0 of chain " + r);
            assertEquals(cues[r * N + 3], expected.states()[r * N + 3], "clamped unit 3 of chain " + r);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 6, 9})
    void synchronousRecallFollowsTheDefinitionStepByStep(long seed) {
        // Antiferromagnetic pairs make 2-cycles likely; the quarter network adds the rest.
        float[][] wb = quarterNetwork(N, seed);
        for (int i = 0; i + 1 < N; i += 2) {
            wb[0][i * N + i + 1] = -2f;
            wb[0][(i + 1) * N + i] = -2f;
        }
        float[] cues = RandomNetworks.states(12, N, UnitValues.SPIN, seed + 2);
        boolean[] clamped = seed == 9 ? new boolean[] {false, false, false, false, true, false} : null;
        HostRun expected = hostSync(wb[0], wb[1], cues, clamped, 30);
        assertTrue(Arrays.asList(expected.status()).contains(RecallStatus.TWO_CYCLE), "no 2-cycle to check");
        assertTrue(Arrays.asList(expected.status()).contains(RecallStatus.FIXED_POINT), "no fixed point to check");
        try (ReferenceBackend backend = new ReferenceBackend();
             HopfieldNetwork net = network(backend, wb);
             Tensor states = backend.fromArray(cues, 12, N);
             Tensor clamp = clamped == null ? null : ClampMask.sameForAllChains(backend, 12, clamped)) {
            RecallResult result = new SynchronousRecall(net, 30).run(states, clamp);
            assertSameRun(expected, result, states.toArray());
        }
    }

    @Test
    void synchronousRecallStopsAtItsStepLimit() {
        float[][] wb = {{0f, -1f, -1f, 0f}, {0f, 0f}};
        // (+1, +1) flips to (-1, -1) and back: after one step it has neither repeated nor returned.
        float[] cues = {1f, 1f, 1f, -1f};
        try (ReferenceBackend backend = new ReferenceBackend();
             HopfieldNetwork net = network(backend, wb);
             Tensor states = backend.fromArray(cues, 2, 2)) {
            RecallResult one = new SynchronousRecall(net, 1).run(states, null);
            assertEquals(new RecallResult(1, new RecallStatus[] {RecallStatus.UNSETTLED, RecallStatus.FIXED_POINT},
                    new int[] {0, 1}), one);
            assertArrayEquals(new float[] {-1f, -1f, 1f, -1f}, states.toArray());
            RecallResult two = new SynchronousRecall(net, 5).run(states, null);
            assertEquals(new RecallResult(2, new RecallStatus[] {RecallStatus.TWO_CYCLE, RecallStatus.FIXED_POINT},
                    new int[] {2, 1}), two);
        }
    }

    @Test
    void synchronousRecallRefusesStatesAndClampsOfTheWrongShape() {
        try (ReferenceBackend backend = new ReferenceBackend();
             HopfieldNetwork net = new HopfieldNetwork(backend, 3);
             Tensor wide = backend.allocate(2, 4);
             Tensor states = backend.allocate(2, 3);
             Tensor fewRows = backend.allocate(1, 3);
             Tensor fewCols = backend.allocate(2, 2)) {
            SynchronousRecall sync = new SynchronousRecall(net, 3);
            assertEquals("states must have 3 columns (one per unit) but are 2x4",
                    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                            () -> sync.run(wide, null)).getMessage());
            for (Tensor bad : List.of(fewRows, fewCols)) {
                String m = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> sync.run(states, bad)).getMessage();
                assertEquals("clamp must be 2x3 like the states but is " + bad.shape(), m);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4})
    void stochasticRecallFollowsTheDefinitionDrawByDraw(int quench) {
        float[][] wb = quarterNetwork(N, 21);
        float[] cues = RandomNetworks.states(8, N, UnitValues.SPIN, 22);
        // A hot end with a one-sweep quench leaves chains moving: their settling sweep must stay 0.
        double[] temperatures = quench == 1 ? new double[] {3.0, 3.0} : new double[] {3.0, 1.5, 0.75, 0.2};
        boolean[] clamped = {false, true, false, false, false, false};
        HostRun expected = hostAnneal(wb[0], wb[1], cues, clamped, temperatures, quench, new RandomStream(23, 2));
        try (ReferenceBackend backend = new ReferenceBackend();
             HopfieldNetwork net = network(backend, wb);
             Tensor states = backend.fromArray(cues, 8, N);
             Tensor clamp = ClampMask.sameForAllChains(backend, 8, clamped)) {
            RecallResult result = new StochasticRecall(net, TemperatureSchedule.of(temperatures), quench)
                    .run(states, clamp, new RandomStream(23, 2));
            assertSameRun(expected, result, states.toArray());
        }
        if (quench == 1) {
            assertTrue(Arrays.asList(expected.status()).contains(RecallStatus.UNSETTLED), "no chain left unsettled");
        }
        if (quench > 1) {
            assertTrue(Arrays.stream(expected.settledAt()).allMatch(a -> a > temperatures.length),
                    Arrays.toString(expected.settledAt()));
        }
    }

    /**
     * The one-call recall of each dynamics is that dynamics on the {@link StreamId#HOPFIELD_RECALL} stream of
     * the options' seed, with the annealing schedule of the options (geometric {@code T_k = T0 (T1/T0)^(k/(K-1))}
     * or linear), and reports each recalled state's energy {@code -1/2 s^T W s - b^T s}.
     */
    @ParameterizedTest
    @ValueSource(strings = {"async", "sync", "anneal-geometric", "anneal-linear"})
    void theOneCallRecallRunsTheChosenDynamicsOnItsSeededStream(String how) {
        float[][] wb = quarterNetwork(N, 31);
        float[] w = wb[0];
        float[] b = wb[1];
        float[] cues = RandomNetworks.states(6, N, UnitValues.SPIN, 32);
        boolean[] clamped = {false, false, true, false, false, false};
        RecallOptions.Builder options = RecallOptions.builder().seed(33).maxSweeps(7).tStart(2.0).tEnd(0.25)
                .annealSweeps(5);
        RandomStream rng = StreamId.HOPFIELD_RECALL.open(33);
        HostRun expected;
        switch (how) {
            case "async" -> expected = hostAsync(w, b, cues, clamped, 7, rng, new ArrayList<>());
            case "sync" -> {
                options.dynamics(RecallOptions.Dynamics.SYNC);
                expected = hostSync(w, b, cues, clamped, 7);
            }
            default -> {
                boolean linear = how.endsWith("linear");
                options.dynamics(RecallOptions.Dynamics.ANNEAL)
                        .annealing(linear ? RecallOptions.Annealing.LINEAR : RecallOptions.Annealing.GEOMETRIC);
                double[] t = new double[5];
                for (int k = 0; k < 5; k++) {
                    t[k] = linear ? 2.0 + (0.25 - 2.0) * k / 4.0 : 2.0 * Math.pow(0.125, k / 4.0);
                }
                expected = hostAnneal(w, b, cues, clamped, t, 7, rng);
            }
        }
        try (ReferenceBackend backend = new ReferenceBackend(); HopfieldNetwork net = network(backend, wb)) {
            RecalledStates got = net.recall(Dataset.of("cues", 6, N, cues), options.build(), clamped);
            assertSameRun(expected, got.result(), got.states());
            assertEquals(6, got.count());
            assertEquals(N, got.units());
            for (int r = 0; r < 6; r++) {
                double e = 0;
                for (int i = 0; i < N; i++) {
                    e -= (0.5 * field(w, new float[N], expected.states(), r, i, N) + b[i]) * expected.states()[r * N + i];
                }
                assertEquals(e, got.energies()[r], 1e-5, "energy of recalled state " + r);
            }
        }
    }
}
