package org.ebm4j.dbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.ebm4j.data.Dataset;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.rbm.ParallelTemperingTest;
import org.ebm4j.rbm.TemperedSamples;
import org.ebm4j.rbm.TrainingMethod;
import org.ebm4j.tempering.ParallelTempering;
import org.ebm4j.tempering.TemperatureLadder;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.EpochReport;
import org.ebm4j.train.PhaseRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parallel tempering of a tiny DBM (4-3-2 units) against enumeration ({@link BruteForceDbm}), and in training. */
class DbmTemperingTest {
    private static final int[] SIZES = {4, 3, 2};

    /** A tiny DBM's tempered ladders on the reference backend, with their streams under one seed; closed together. */
    private static final class Ladders implements AutoCloseable {
        private final Backend backend = new ReferenceBackend();
        private final Dbm dbm;
        private final TemperedDbm model;
        private final ParallelTempering pt;
        private final RandomStream gibbs;
        private final RandomStream swaps;

        Ladders(DbmParameters p, double[] betas, int chains, long seed) {
            dbm = Dbm.of(backend, p);
            model = new TemperedDbm(dbm, betas.length * chains);
            pt = new ParallelTempering(model, betas, chains);
            gibbs = StreamId.DBM_SAMPLE.open(seed);
            swaps = StreamId.DBM_SAMPLE_SWAPS.open(seed);
        }

        /** {@code n} steps of one sweep and one swap round; the sampler. */
        ParallelTempering steps(int n) {
            for (int s = 0; s < n; s++) {
                pt.step(1, gibbs, swaps);
            }
            return pt;
        }

        @Override
        public void close() {
            pt.close();
            model.close();
            dbm.close();
            backend.close();
        }
    }

    /** The joint state index (unit {@code k} overall is bit {@code k}, as {@link BruteForceDbm#state}) of every cold chain. */
    private static int[] coldStates(ParallelTempering pt, int chains) {
        int[] states = new int[chains];
        int bit = 0;
        for (int l = 0; l < SIZES.length; l++) {
            float[] x = pt.layer(l).toArray();
            for (int j = 0; j < SIZES[l]; j++, bit++) {
                for (int i = 0; i < chains; i++) {
                    states[i] |= (x[i * SIZES[l] + j] > 0.5f ? 1 : 0) << bit;
                }
            }
        }
        return states;
    }

    /**
     * The replicas at {@code beta = 1} follow the DBM's joint distribution over all 2^9 states. Each of the
     * 3,000 ladders is independent and ends after 60 steps (one sweep and one swap round each; this model
     * mixes within a few sweeps at every temperature), so its cold state is one independent draw: the counts
     * are multinomial and the G statistic {@code 2 sum O ln(O / E)} is asymptotically chi-square with
     * (bins - 1) degrees of freedom, bins with an expectation below 5 pooled. The bound is the 0.999 quantile,
     * so a correct sampler fails with probability 1e-3 (with the fixed seeds it passes or fails always). The
     * same counts against the distribution at {@code beta = 0.7} must fail, so the test can tell them apart.
     */
    @Test
    void coldReplicasMatchTheExactJointDistribution() {
        BruteForceDbm bf = new BruteForceDbm(BruteForceDbm.random(SIZES, 1.5, 43));
        double[] betas = TemperatureLadder.geometric(0.3).betas(4);
        int chains = 3000;
        try (Ladders ladders = new Ladders(bf.p, betas, chains, 3)) {
            ParallelTempering pt = ladders.steps(60);
            long[] counts = new long[1 << bf.units];
            for (int state : coldStates(pt, chains)) {
                counts[state]++;
            }
            double[] g = ParallelTemperingTest.gTest(counts, bf.joint());
            assertTrue(g[1] >= 20, "enough bins to test: " + g[1]);
            assertTrue(g[0] < ParallelTemperingTest.chiSquare999(g[1]), "G = " + g[0] + " with " + g[1] + " df");
            double[] warm = tempered(bf, 0.7);
            double[] gw = ParallelTemperingTest.gTest(counts, warm);
            assertTrue(gw[0] > ParallelTemperingTest.chiSquare999(gw[1]), "against beta 0.7: G = " + gw[0]);
        }
    }

    /** {@code p_beta(x) ~ exp(-beta E(x))} over every state, by enumeration. */
    private static double[] tempered(BruteForceDbm bf, double beta) {
        double[] q = new double[1 << bf.units];
        double total = 0;
        for (int m = 0; m < q.length; m++) {
            q[m] = Math.exp(-beta * bf.energy(bf.state(m)));
            total += q[m];
        }
        for (int m = 0; m < q.length; m++) {
            q[m] /= total;
        }
        return q;
    }

    /**
     * With two replicas at {@code beta = 1} and {@code 1/2}, at equilibrium the pair is an independent draw
     * from {@code p_1 x p_1/2} (the product is what the sweeps and swaps leave invariant), so a swap is
     * accepted with probability {@code sum_x sum_y p_1(x) p_1/2(y) min(1, exp((1 - 1/2)(E(x) - E(y))))},
     * enumerated here over the 2^9 x 2^9 pairs. After 30 burn-in steps (this model mixes within a few) the
     * counts are reset and one more round is measured: one attempt per ladder, 10,000 independent Bernoulli
     * trials, so the acceptance has standard error {@code sqrt(a (1 - a) / 10000)}; 4.5 of them bound it
     * with probability 1 - 7e-6.
     */
    @Test
    void swapAcceptanceOfTwoReplicasEqualsItsEnumeratedExpectation() {
        BruteForceDbm bf = new BruteForceDbm(BruteForceDbm.random(SIZES, 1.0, 47));
        double[] betas = {1.0, 0.5};
        double[] cold = tempered(bf, betas[0]);
        double[] hot = tempered(bf, betas[1]);
        double[] energy = new double[cold.length];
        for (int m = 0; m < energy.length; m++) {
            energy[m] = bf.energy(bf.state(m));
        }
        double expected = 0;
        for (int x = 0; x < cold.length; x++) {
            for (int y = 0; y < hot.length; y++) {
                expected += cold[x] * hot[y] * Math.min(1, Math.exp((betas[0] - betas[1]) * (energy[x] - energy[y])));
            }
        }
        int chains = 10_000;
        try (Ladders ladders = new Ladders(bf.p, betas, chains, 5)) {
            ParallelTempering pt = ladders.steps(30);
            // 30 rounds so far: the next one has even parity and tries the pair (0, 1).
            pt.restoreCounts(new long[] {30, 0, 0});
            ladders.steps(1);
            long[] counts = pt.counts();
            assertEquals(chains, counts[1], "one attempt per ladder");
            double rate = pt.swapRates()[0];
            double se = Math.sqrt(expected * (1 - expected) / chains);
            assertEquals(expected, rate, 4.5 * se, "swap acceptance (se " + se + ")");
        }
    }

    /** The energy the swaps use is the DBM's joint energy, row by row. */
    @Test
    void energiesOfStackedRowsAreTheJointEnergies() {
        BruteForceDbm bf = new BruteForceDbm(BruteForceDbm.random(SIZES, 2.0, 53));
        int rows = 1 << bf.units;
        try (Backend b = new ReferenceBackend(); Dbm dbm = Dbm.of(b, bf.p);
             TemperedDbm model = new TemperedDbm(dbm, rows)) {
            Tensor[] x = new Tensor[SIZES.length];
            for (int l = 0; l < SIZES.length; l++) {
                float[] v = new float[rows * SIZES[l]];
                for (int m = 0; m < rows; m++) {
                    double[] s = bf.state(m)[l];
                    for (int j = 0; j < SIZES[l]; j++) {
                        v[m * SIZES[l] + j] = (float) s[j];
                    }
                }
                x[l] = b.fromArray(v, rows, SIZES[l]);
            }
            try (Tensor out = b.allocate(rows, 1)) {
                model.energy(x, out);
                float[] e = out.toArray();
                for (int m = 0; m < rows; m++) {
                    assertEquals(bf.energy(bf.state(m)), e[m], 1e-5, "state " + m);
                }
            } finally {
                Tensor.closeAll(x);
            }
        }
    }

    private static DbmOptions.Builder tempered() {
        return DbmFitTest.small().method(TrainingMethod.PT).replicas(3).betas(TemperatureLadder.geometric(0.4));
    }

    @Test
    void trainingByTemperingIsDeterministicAndReportsSwapRates() {
        Dataset data = DbmFitTest.modes("modes", 80, 8);
        DbmOptions o = tempered().build();
        PhaseRecorder rec = new PhaseRecorder("", 0);
        try (Backend b = new ReferenceBackend(); Dbm first = Dbm.fit(b, data, o, Checkpointing.none(), rec);
             Dbm second = Dbm.fit(b, data, o, Checkpointing.none());
             Dbm persistent = Dbm.fit(b, data, o.toBuilder().method(TrainingMethod.PCD).build(),
                     Checkpointing.none())) {
            assertEquals(first.parameters(), second.parameters());
            assertNotEquals(first.parameters(), persistent.parameters(), "tempering changes the negative phase");
            EpochReport last = rec.reports.get(rec.reports.size() - 1);
            Map<String, Double> m = last.metrics();
            for (int r = 0; r < 2; r++) {
                double rate = m.get("swap_rate_" + r);
                assertTrue(rate >= 0 && rate <= 1, "swap_rate_" + r + " " + rate);
            }
            assertEquals(o, DbmOptions.fromMap(first.provenance().options()));
        }
    }

    @Test
    void resumingATemperedCenteredRunEqualsTheUninterruptedRun(@TempDir Path dir) throws IOException {
        Dataset data = DbmFitTest.modes("modes", 60, 9);
        DbmOptions options = tempered().centering(true).build();
        Path ckpt = dir.resolve("checkpoint.ebm");
        try (Backend b = new ReferenceBackend(); Dbm straight = Dbm.fit(b, data, options, Checkpointing.none());
             Dbm resumed = PhaseRecorder.stopAndResume("joint0", 2, 3 + 3 + 4,
                     first -> Dbm.fit(b, data, options, Checkpointing.every(ckpt, 1), first),
                     rec -> Dbm.resume(ckpt, data, b, Checkpointing.every(ckpt, 1), rec))) {
            assertEquals(straight.parameters(), resumed.parameters());
            assertEquals(straight.provenance(), resumed.provenance());
            assertArrayEquals(straight.centeredParameters().orElseThrow().offsets().get(1),
                    resumed.centeredParameters().orElseThrow().offsets().get(1));
        }
    }

    @Test
    void temperedSamplingIsDeterministicAndRefusesBadLadders() {
        DbmParameters p = BruteForceDbm.random(SIZES, 1.0, 59);
        try (Backend b = new ReferenceBackend(); Dbm dbm = Dbm.of(b, p)) {
            TemperedSamples one = dbm.sampleTempered(5, 6, TemperatureLadder.of(1, 0.6, 0.3), 3, 11);
            TemperedSamples two = dbm.sampleTempered(5, 6, TemperatureLadder.of(1, 0.6, 0.3), 3, 11);
            assertArrayEquals(one.samples().values(), two.samples().values());
            assertEquals(5, one.samples().rows());
            assertEquals(2, one.swapRates().length);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> dbm.sampleTempered(5, 6, TemperatureLadder.of(1, 0.5), 3, 11));
            assertTrue(e.getMessage().contains("2 replicas but 3 are asked for"), e.getMessage());
        }
    }
}
