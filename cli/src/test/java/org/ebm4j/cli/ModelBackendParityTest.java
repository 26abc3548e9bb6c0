package org.ebm4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.ebm4j.boltzmann.BoltzmannMachine;
import org.ebm4j.boltzmann.BoltzmannTrainer;
import org.ebm4j.boltzmann.GibbsSampler;
import org.ebm4j.boltzmann.NetworkChains;
import org.ebm4j.boltzmann.TemperatureSchedule;
import org.ebm4j.boltzmann.BoltzmannOptions;
import org.ebm4j.boltzmann.UnitValues;
import org.ebm4j.cpu.CpuBackend;
import org.ebm4j.hopfield.AsynchronousRecall;
import org.ebm4j.hopfield.HopfieldNetwork;
import org.ebm4j.hopfield.LearningRule;
import org.ebm4j.hopfield.RecallResult;
import org.ebm4j.hopfield.SynchronousRecall;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

/**
 * The models on the CPU backend against the same models on the plain reference backend, same seeds:
 * deterministic recall must agree exactly, and since both backends draw the same Philox uniforms,
 * stochastic chains agree except where a uniform falls within float rounding of its probability.
 */
class ModelBackendParityTest {

    private static float[] spins(int rows, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] s = new float[rows * n];
        for (int i = 0; i < s.length; i++) {
            s[i] = r.nextBoolean() ? 1f : -1f;
        }
        return s;
    }

    private static float[] recall(Backend backend, LearningRule rule, boolean sync, float[] patterns, float[] cues, int n) {
        try (HopfieldNetwork net = new HopfieldNetwork(backend, n);
             Tensor s = backend.fromArray(cues, cues.length / n, n)) {
            net.store(patterns, rule);
            RecallResult r = sync ? new SynchronousRecall(net, 50).run(s, null)
                    : new AsynchronousRecall(net, 50).run(s, null, StreamId.HOPFIELD_RECALL.open(9));
            assertTrue(r.iterations() >= 1);
            return s.toArray();
        }
    }

    @Test
    void hopfieldRecallIsIdenticalOnBothBackends() {
        int n = 150;
        float[] patterns = spins(25, n, 1);
        float[] cues = spins(40, n, 2);
        try (Backend ref = new ReferenceBackend(); Backend cpu = new CpuBackend()) {
            for (LearningRule rule : LearningRule.values()) {
                for (boolean sync : new boolean[] {false, true}) {
                    assertArrayEquals(recall(ref, rule, sync, patterns, cues, n), recall(cpu, rule, sync, patterns, cues, n),
                            rule + (sync ? " sync" : " async"));
                }
            }
        }
    }

    private static float[] gibbs(Backend backend, UnitValues units) {
        try (BoltzmannMachine m = new BoltzmannMachine(backend, 10, 6, units)) {
            m.initializeRandom(0.5, StreamId.BM_INIT.open(5));
            RandomStream rng = StreamId.BM_SAMPLE.open(5);
            GibbsSampler s = new GibbsSampler(m);
            try (NetworkChains c = s.newChains(500, rng)) {
                s.run(c, TemperatureSchedule.geometric(3, 1, 20), null, rng);
                return c.state().toArray();
            }
        }
    }

    @Test
    void gibbsChainsAgreeChainForChain() {
        for (UnitValues units : UnitValues.values()) {
            float[] a;
            float[] b;
            try (Backend ref = new ReferenceBackend(); Backend cpu = new CpuBackend()) {
                a = gibbs(ref, units);
                b = gibbs(cpu, units);
            }
            int n = 16;
            int same = 0;
            for (int r = 0; r < a.length / n; r++) {
                boolean eq = true;
                for (int i = 0; i < n; i++) {
                    eq &= a[r * n + i] == b[r * n + i];
                }
                same += eq ? 1 : 0;
            }
            // 500 chains x 16 units x 20 sweeps = 160,000 draws; a float-rounding tie is ~1e-7 likely per draw.
            assertTrue(same >= 495, units + ": only " + same + " of 500 chains identical");
        }
    }

    @Test
    void oneTrainingStepAgreesWithinFloatRounding() {
        float[] data = new float[30 * 16];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < data.length; i++) {
            data[i] = r.nextBoolean() ? 1f : 0f;
        }
        float[][] w = new float[2][];
        int k = 0;
        for (Backend backend : new Backend[] {new ReferenceBackend(), new CpuBackend()}) {
            BoltzmannOptions options = BoltzmannOptions.builder().hidden(4).batchSize(30).modelSweeps(5).dataSweeps(5)
                    .seed(11).build();
            try (backend;
                 BoltzmannMachine m = new BoltzmannMachine(backend, 16, 4, UnitValues.BINARY);
                 Tensor d = backend.fromArray(data, 30, 16)) {
                m.initializeRandom(0.1, StreamId.BM_INIT.open(11));
                try (BoltzmannTrainer t = new BoltzmannTrainer(m, options, d)) {
                    t.trainEpoch(List.of());
                }
                w[k++] = m.couplings().weightsToHost();
            }
        }
        assertEquals(w[0].length, w[1].length);
        for (int i = 0; i < w[0].length; i++) {
            assertEquals(w[0][i], w[1][i], 1e-5, "weight " + i);
        }
    }
}
