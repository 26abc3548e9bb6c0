package org.ebm4j.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.ebm4j.data.Binarization;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.Mnist;
import org.ebm4j.rbm.LearningRateSchedule;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.RbmTrainer;
import org.ebm4j.rbm.RbmOptions;
import org.ebm4j.rbm.TrainingMethod;
import org.ebm4j.rbm.VisibleType;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.TrainingListener;

/**
 * End-to-end RBM training throughput: wall-clock seconds per epoch over the 60,000 MNIST training
 * images (threshold binarization at 0.5, i.e. bytes above 127), for CD-k or PCD-k, after warm-up
 * epochs; the median of the timed epochs is the figure. Then the same epoch's GEMM calls (same
 * shapes, same order, same backend) are replayed alone, which gives the share of the time spent
 * in GEMM. Each epoch's line also gives the CPU time of the whole process over it (every thread, the
 * JIT compilers and the CPU backend's warm-up included: it moves less than wall time when other work
 * shares the machine, and it is what compiling costs a first epoch) and the JVM's uptime when it began
 * (so a one-epoch run's whole time reads off); {@code --slices N} prints the seconds of each of N equal
 * runs of an epoch's batches (where a first epoch loses its time).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp ... org.ebm4j.bench.RbmEpochBench \
 *     --data ../shared/data/mnist --method cd --k 1 --hidden 500 --batch 100 --epochs 3 --warmup 1
 * </pre>
 */
public final class RbmEpochBench {
    private RbmEpochBench() {
    }

    public static void main(String[] argv) throws Exception {
        BenchArgs a = new BenchArgs(argv);
        TrainingMethod method = TrainingMethod.parse(a.get("method", "cd"));
        int k = a.getInt("k", 1);
        int hidden = a.getInt("hidden", 500);
        int batch = a.getInt("batch", 100);
        int epochs = a.getInt("epochs", 3);
        int warmup = a.getInt("warmup", 1);
        int chains = a.getInt("chains", 100);
        // Where a slow epoch loses its time: the seconds of each of this many equal runs of batches.
        int slices = a.getInt("slices", 0);
        Dataset train = a.mnist(Mnist.Split.TRAIN);
        Backend backend = Backends.get();
        RbmOptions cfg = RbmOptions.builder().method(method).k(k).chains(chains)
                .learningRate(a.getDouble("lr", 0.1)).schedule(LearningRateSchedule.constant())
                .momentum(a.getDouble("momentum", 0.5)).batchSize(batch)
                .epochs(warmup + epochs).seed(a.getInt("seed", 1)).initWeightStd(0.01).build();
        System.out.printf(Locale.ROOT, "backend %s %s%n", backend.name(), backend.describe());
        System.out.printf(Locale.ROOT, "%s, %d x %d, %d images, java %s, %d cpus%n", cfg.summary(), train.cols(),
                hidden, train.rows(), Runtime.version(), Runtime.getRuntime().availableProcessors());
        double[] times = new double[epochs];
        try (Tensor data = train.toTensor(backend);
             Rbm rbm = Rbm.zeros(backend, VisibleType.BERNOULLI, train.cols(), hidden);
             RbmTrainer trainer = new RbmTrainer(rbm, cfg, data)) {
            Binarization.fixed(0.5f).apply(data);
            RbmTrainer.initialize(rbm, cfg, data);
            SliceTimer sliceTimer = new SliceTimer(slices);
            for (int e = 0; e < warmup + epochs; e++) {
                long cpu0 = processCpuNanos();
                long up0 = ManagementFactory.getRuntimeMXBean().getUptime();
                long t0 = System.nanoTime();
                trainer.trainEpoch(slices > 0 ? List.of(sliceTimer) : List.of());
                double s = (System.nanoTime() - t0) * 1e-9;
                if (slices > 0) {
                    System.out.printf(Locale.ROOT, "epoch %d in %d slices (s):%s%n", e + 1, slices, sliceTimer.report(t0));
                }
                System.out.printf(Locale.ROOT, "epoch %d%s: %.3f s (%.0f img/s), process cpu %.3f s, started at JVM uptime %d ms%n",
                        e + 1, e < warmup ? " (warm-up)" : "", s, train.rows() / s, (processCpuNanos() - cpu0) * 1e-9, up0);
                if (e >= warmup) {
                    times[e - warmup] = s;
                }
            }
            double median = median(times);
            double gemm = gemmReplay(backend, rbm, cfg, train.rows());
            System.out.printf(Locale.ROOT, "RESULT %s-%d %dx%d batch %d: median epoch %.3f s (%.0f img/s), min %.3f s; "
                            + "GEMM-only replay %.3f s = %.0f%% of the epoch%n", method.id().toUpperCase(Locale.ROOT), k,
                    train.cols(), hidden, batch, median, train.rows() / median, Arrays.stream(times).min().orElse(0),
                    gemm, 100 * gemm / median);
        }
        backend.close();
    }

    /**
     * The CPU time of the whole process (every thread: the JIT compilers, the warm-up and the thread team
     * too), or -1 where the JVM does not say: on a machine that other work shares, it moves much less than
     * wall time, and it is what a first epoch's compilation costs.
     */
    static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    /** Notes the time at the end of each of {@code slices} equal runs of an epoch's batches. */
    private static final class SliceTimer implements TrainingListener {
        private final long[] ends;

        SliceTimer(int slices) {
            this.ends = new long[Math.max(slices, 0)];
        }

        @Override
        public void onBatch(int epoch, int batch, int batches) {
            int slice = (int) ((long) (batch - 1) * ends.length / batches);
            if (slice < ends.length) {
                ends[slice] = System.nanoTime();
            }
        }

        /** The seconds of each slice of the epoch that began at {@code startNanos}. */
        String report(long startNanos) {
            StringBuilder sb = new StringBuilder();
            long from = startNanos;
            for (long end : ends) {
                sb.append(String.format(Locale.ROOT, " %.3f", (end - from) * 1e-9));
                from = end;
            }
            return sb.toString();
        }
    }

    static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }

    /**
     * Replays the GEMM calls of one epoch of the trainer (the shapes and transposes of
     * {@link RbmTrainer}'s step, in order) and returns the median of three timed replays.
     */
    static double gemmReplay(Backend b, Rbm rbm, RbmOptions cfg, int n) {
        int nv = rbm.visible();
        int nh = rbm.hidden();
        int bs = cfg.batchSize();
        int negRows = cfg.method() == TrainingMethod.CD ? bs : cfg.chains();
        int batches = n / bs;
        List<Tensor> owned = new ArrayList<>();
        try {
            Tensor v0 = track(owned, b.allocate(bs, nv));
            Tensor p = track(owned, b.allocate(bs, nh));
            Tensor vn = track(owned, b.allocate(negRows, nv));
            Tensor hn = track(owned, b.allocate(negRows, nh));
            Tensor vel = track(owned, b.allocate(nv, nh));
            double[] t = new double[3];
            for (int rep = 0; rep < t.length; rep++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < batches; i++) {
                    b.gemm(false, false, 1f, v0, rbm.weights(), 0f, p);
                    for (int s = 0; s < cfg.k(); s++) {
                        if (cfg.method() == TrainingMethod.PCD) {
                            b.gemm(false, false, 1f, vn, rbm.weights(), 0f, hn);
                        }
                        b.gemm(false, true, 1f, hn, rbm.weights(), 0f, vn);
                        if (cfg.method() == TrainingMethod.CD) {
                            b.gemm(false, false, 1f, vn, rbm.weights(), 0f, hn);
                        }
                    }
                    if (cfg.method() == TrainingMethod.PCD) {
                        b.gemm(false, false, 1f, vn, rbm.weights(), 0f, hn);
                    }
                    b.gemm(true, false, 1f, v0, p, 0.5f, vel);
                    b.gemm(true, false, -1f, vn, hn, 1f, vel);
                }
                t[rep] = (System.nanoTime() - t0) * 1e-9;
            }
            return median(t);
        } finally {
            owned.forEach(Tensor::close);
        }
    }

    private static Tensor track(List<Tensor> owned, Tensor t) {
        owned.add(t);
        return t;
    }
}
