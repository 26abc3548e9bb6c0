package org.ebm4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.ebm4j.data.Dataset;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.RbmOptions;
import org.ebm4j.rbm.RbmParameters;
import org.ebm4j.rbm.TrainingMethod;
import org.ebm4j.train.Optimizer;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.Checkpointing;
import org.junit.jupiter.api.Test;

class SparkRbmTest {
    private static final int COLS = 12;

    private static RbmOptions.Builder options() {
        return RbmOptions.builder().hidden(5).holdout(0).batchSize(10).epochs(3).learningRate(0.1).momentum(0.5)
                .weightDecay(1e-3).seed(42).chains(7);
    }

    @Test
    void optionsTheDistributedTrainerCannotHonourAreRefusedInOneLine() {
        float[] v = Frames.binary(20, COLS, 4);
        for (RbmOptions o : List.of(options().method(TrainingMethod.PT).build(), options().centering(true).build(),
                options().optimizer(Optimizer.ADAM).build())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SparkRbm.fit(Frames.arrays(v, COLS, 1), "features", o, 1));
            assertTrue(e.getMessage().contains("not supported by the Spark trainer"), e.getMessage());
        }
    }

    @Test
    void onePartitionWithAWholeEpochPerRoundIsTheSingleMachineTrainerBitForBit() {
        // 64 rows, batch 10: six full batches and a partial one, so the tail batch is exercised too.
        float[] v = Frames.binary(64, COLS, 3);
        for (TrainingMethod m : List.of(TrainingMethod.CD, TrainingMethod.PCD)) {
            RbmOptions o = options().method(m).build();
            Backend backend = Backends.get();
            try (Rbm single = Rbm.fit(backend, Dataset.of("rows", 64, COLS, v), o, Checkpointing.none());
                 Rbm spark = SparkRbm.fit(Frames.arrays(v, COLS, 1), "features", o, 7)) {
                assertEquals(single.parameters(), spark.parameters(), m.id());
            }
        }
    }

    @Test
    void kEqualsOneOnEqualShardsIsOneSynchronousStepOnTheUnionOfTheBatches() {
        // Two partitions of 30 rows, batch 10, K = 1: each round is one step on the 20 rows of both
        // batches. The reference below takes that step on the host in double, drawing each half's
        // negative phase from the partition's own stream (the distributed run cannot share one tensor's
        // noise), and sums the statistics of all 20 rows at once.
        int rows = 30;
        int b = 10;
        float[] v0 = Frames.binary(rows, COLS, 5);
        float[] v1 = Frames.binary(rows, COLS, 6);
        float[] all = new float[2 * rows * COLS];
        System.arraycopy(v0, 0, all, 0, v0.length);
        System.arraycopy(v1, 0, all, v0.length, v1.length);
        RbmOptions o = options().method(TrainingMethod.CD).epochs(2).build();
        RbmParameters expected = reference(o, new float[][] {v0, v1}, rows, b, 6);
        try (Rbm spark = SparkRbm.fit(Frames.arrays(all, COLS, 2), "features", o, 1)) {
            RbmParameters got = spark.parameters();
            // Float rounding per round: the GEMMs of the distributed run sum b = 10 products of magnitude
            // <= 1 in float, so each update element is within (b + 3) * 2^-24 * (lr + max|theta|) of the
            // double reference (about 1e-6 for lr = 0.1, |theta| <= 1). Six rounds add up at most 6e-6; a
            // parameter error feeds back into the next updates by at most a factor (1 + lr * nv / 4) per
            // round (the sigmoid's slope is <= 1/4), about 1.3, so 6 rounds stay under 6e-6 * 1.3^6 = 3e-5.
            assertClose(expected.weights(), got.weights(), 3e-5);
            assertClose(expected.visibleBias(), got.visibleBias(), 3e-5);
            assertClose(expected.hiddenBias(), got.hiddenBias(), 3e-5);
        }
    }

    @Test
    void aTaskThatFailsOnItsFirstAttemptIsRetriedWithTheSameResult() {
        // PCD too: the retried task must find the chains its partition left on the executor in the
        // round before, not chains advanced by the failed attempt.
        float[] v = Frames.binary(40, COLS, 9);
        for (TrainingMethod m : List.of(TrainingMethod.CD, TrainingMethod.PCD)) {
            RbmOptions o = options().method(m).epochs(2).build();
            int before = FailsOnce.failures();
            try (Rbm plain = SparkRbm.fit(Frames.arrays(v, COLS, 2), "features", o, 2);
                 Rbm retried = SparkRbm.fit(Frames.arrays(v, COLS, 2), "features", o, 2, FailsOnce::new, t -> { })) {
                assertTrue(FailsOnce.failures() > before, "no task failed, so nothing was retried");
                assertEquals(plain.parameters(), retried.parameters(), m.id());
            }
        }
    }

    @Test
    void theModelNamesTheBackendEachPartitionRanOn() {
        float[] v = Frames.binary(40, COLS, 2);
        try (Rbm spark = SparkRbm.fit(Frames.arrays(v, COLS, 2), "features", options().epochs(1).build(), 1)) {
            // local mode: both partitions run in the driver's JVM, on the backend its probe chose.
            assertEquals("executor driver: " + Backends.get().name() + " (partitions 0, 1)",
                    spark.provenance().get("spark.backends"));
        }
    }

    /** Fails the first attempt of partition 1's task in round 1, after it has advanced its chains. */
    static final class FailsOnce extends LocalRound {
        private static final long serialVersionUID = 1L;
        private static final java.util.concurrent.atomic.AtomicInteger FAILURES =
                new java.util.concurrent.atomic.AtomicInteger();
        private final int round;

        FailsOnce(Broadcast<RoundInput> input) {
            super(input);
            this.round = input.value().round();
        }

        static int failures() {
            return FAILURES.get();
        }

        @Override
        public Iterator<PartitionRound> call(Iterator<Shard> shards, Iterator<PartitionState> states) {
            Iterator<PartitionRound> result = super.call(shards, states);
            TaskContext t = TaskContext.get();
            if (round == 1 && t.partitionId() == 1 && t.attemptNumber() == 0) {
                FAILURES.incrementAndGet();
                throw new IllegalStateException("injected failure of the first attempt");
            }
            return result;
        }
    }

    private static void assertClose(float[] expected, float[] got, double tol) {
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - got[i]));
        }
        assertTrue(worst <= tol, "largest difference " + worst + " exceeds " + tol);
    }

    /**
     * Synchronous SGD with momentum, CD-1, on the union of both partitions' batches, in double on the host:
     * {@code vel = m vel + lr (V0^T P0 - Vn^T Pn) / (2b) - lr wd W}, {@code theta += vel}.
     */
    private static RbmParameters reference(RbmOptions o, float[][] shards, int rows, int b, int rounds) {
        Backend backend = Backends.get();
        int nh = o.hidden();
        float[] means = new float[COLS];
        for (float[] s : shards) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < COLS; j++) {
                    means[j] += s[i * COLS + j];
                }
            }
        }
        for (int j = 0; j < COLS; j++) {
            means[j] = (float) ((double) (1f / (2 * rows)) * means[j]);
        }
        RbmParameters p;
        try (Rbm init = Rbm.zeros(backend, o.visibleType(), COLS, nh)) {
            init.initialize((float) o.initWeightStd(), StreamId.RBM_INIT.open(o.seed()), means);
            p = init.parameters();
        }
        double[] w = toDouble(p.weights());
        double[] bv = toDouble(p.visibleBias());
        double[] bh = toDouble(p.hiddenBias());
        double[] vw = new double[w.length];
        double[] vv = new double[COLS];
        double[] vh = new double[nh];
        int batches = rows / b;
        long[] draw = {LocalRound.firstDraw(0), LocalRound.firstDraw(1)};
        for (int r = 0; r < rounds; r++) {
            double lr = o.learningRate(r / batches);
            double[] gw = new double[w.length];
            double[] gv = new double[COLS];
            double[] gh = new double[nh];
            RbmParameters now = new RbmParameters(o.visibleType(), COLS, nh, toFloat(w), toFloat(bv), toFloat(bh));
            for (int s = 0; s < shards.length; s++) {
                int[] order = StreamId.RBM_SHUFFLE.open(o.seed()).at(LocalRound.firstDraw(s) + r / batches)
                        .permutation(rows);
                float[] batch = new float[b * COLS];
                for (int i = 0; i < b; i++) {
                    System.arraycopy(shards[s], order[(r % batches) * b + i] * COLS, batch, i * COLS, COLS);
                }
                RandomStream rng = StreamId.RBM_SAMPLING.open(o.seed()).at(draw[s]);
                try (Rbm rbm = Rbm.of(backend, now);
                     Tensor v = backend.allocate(b, COLS); Tensor pre = backend.allocate(b, nh);
                     Tensor prob = backend.allocate(b, nh); Tensor hs = backend.allocate(b, nh);
                     Tensor vn = backend.allocate(b, COLS); Tensor hn = backend.allocate(b, nh)) {
                    v.copyFrom(batch);
                    rbm.sampleHidden(v, pre, prob, hs, rng);
                    rbm.sampleVisible(hs, vn, rng);
                    rbm.hiddenProbabilities(vn, pre, hn);
                    accumulate(batch, prob.toArray(), vn.toArray(), hn.toArray(), b, nh, gw, gv, gh);
                }
                draw[s] = rng.drawIndex();
            }
            double scale = lr / (shards.length * b);
            for (int i = 0; i < w.length; i++) {
                vw[i] = o.momentum() * vw[i] + scale * gw[i] - lr * o.weightDecay() * w[i];
                w[i] += vw[i];
            }
            for (int j = 0; j < COLS; j++) {
                vv[j] = o.momentum() * vv[j] + scale * gv[j];
                bv[j] += vv[j];
            }
            for (int j = 0; j < nh; j++) {
                vh[j] = o.momentum() * vh[j] + scale * gh[j];
                bh[j] += vh[j];
            }
        }
        return new RbmParameters(o.visibleType(), COLS, nh, toFloat(w), toFloat(bv), toFloat(bh));
    }

    private static void accumulate(float[] v, float[] p, float[] vn, float[] hn, int b, int nh, double[] gw,
                                   double[] gv, double[] gh) {
        for (int r = 0; r < b; r++) {
            for (int i = 0; i < COLS; i++) {
                gv[i] += v[r * COLS + i] - vn[r * COLS + i];
                for (int j = 0; j < nh; j++) {
                    gw[i * nh + j] += (double) v[r * COLS + i] * p[r * nh + j] - (double) vn[r * COLS + i] * hn[r * nh + j];
                }
            }
            for (int j = 0; j < nh; j++) {
                gh[j] += p[r * nh + j] - hn[r * nh + j];
            }
        }
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }
}
