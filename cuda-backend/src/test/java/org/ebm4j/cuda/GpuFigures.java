package org.ebm4j.cuda;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.ebm4j.data.Dataset;
import org.ebm4j.random.Philox;
import org.ebm4j.random.RandomStream;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.RbmOptions;
import org.ebm4j.rbm.TrainingMethod;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.TrainingListener;

/**
 * The GPU figures of the README, run by {@code scripts/gpu-run.sh} on a GPU machine (not a unit
 * test): parity with the Java generator, launch and synchronization latency, context creation and
 * module load time, SGEMM TFLOP/s per implementation at 4096^3 and at the RBM shapes, the fused
 * sampler at 2^26 elements, and CD-1 images/s through the real {@link Rbm#fit} trainer. Timed
 * figures are the best of 3 loops of at least 0.2 s, synchronized at both ends. Figures of
 * implementations this build does not have are written with status {@code not built}, so the CSV
 * always has one row per figure. SGEMM is timed for the own v1 and v2 kernels and for cuBLAS in FP32
 * and TF32 (through FFM on JDK 22+, else JCublas2); CD-1 with plain launches and with CUDA graph replay.
 *
 * <p>Usage: {@code java -cp ... org.ebm4j.cuda.GpuFigures OUTPUT.csv}
 */
public final class GpuFigures {
    private static final int VISIBLE = 784;
    private static final int HIDDEN = 500;
    private static final int[] BATCHES = {100, 1000, 10000};

    private final List<String> rows = new ArrayList<>();
    private final PrintWriter csv;

    private GpuFigures(PrintWriter csv) {
        this.csv = csv;
        emit("figure,variant,shape,value,unit,status");
    }

    public static void main(String[] args) throws IOException {
        Path out = Paths.get(args.length > 0 ? args[0] : "figures.csv");
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
            // the plain rows need graphs off; the switch is read when the probe creates its context
            WithProperty.run(GraphReplay.GRAPHS_PROPERTY, "false", new GpuFigures(w)::run);
        }
    }

    private void emit(String line) {
        rows.add(line);
        csv.println(line);
        csv.flush();
        System.out.println(line);
    }

    private void row(String figure, String variant, String shape, double value, String unit) {
        emit(String.format(Locale.ROOT, "%s,%s,%s,%.4g,%s,measured", figure, variant, shape, value, unit));
    }

    private void missing(String figure, String variant, String shape, String unit, String why) {
        emit(String.format(Locale.ROOT, "%s,%s,%s,,%s,%s", figure, variant, shape, unit, why.replace(',', ';')));
    }

    private void run() {
        CudaBackendProvider provider = new CudaBackendProvider();
        if (!provider.probe().available()) {
            missing("all", "", "", "", "CUDA unavailable: " + provider.probe().reason());
            throw new IllegalStateException("CUDA unavailable: " + provider.probe().reason());
        }
        // The backend gets the probe's context: the first of this process, so its times include the driver's start.
        try (CudaBackend b = (CudaBackend) provider.create()) {
            System.out.println("# " + b.describe());
            CudaContext c = b.context();
            CudaContext.Startup startup = c.startup();
            row("context creation", "first in process", "device " + c.ordinal(), startup.contextSeconds() * 1e3, "ms");
            row("module load", startup.kernelBinaries().contains("PTX") ? "with PTX JIT" : "cubins", Kernel.MODULES.length + " modules",
                    startup.moduleSeconds() * 1e3, "ms");
            parity(b);
            latency(b);
            sampler(b);
            sgemm(b);
            cd1(b);
        }
    }

    // ---- parity with the Java generator ---------------------------------------------------------

    private void parity(CudaBackend b) {
        int rows = 4096;
        int cols = 1024;
        RandomStream rng = new RandomStream(20240917L);
        try (Tensor u = b.allocate(rows, cols); Tensor z = b.allocate(rows, cols); Tensor p = b.allocate(rows, cols);
             Tensor s = b.allocate(rows, cols)) {
            long du = rng.drawIndex();
            b.sampler().fillUniform(u, rng);
            long dz = rng.drawIndex();
            b.sampler().fillNormal(z, 0f, 1f, rng);
            float[] probs = new float[rows * cols];
            SplittableRandom r = new SplittableRandom(5);
            for (int i = 0; i < probs.length; i++) {
                probs[i] = (float) r.nextDouble();
            }
            p.copyFrom(probs, 0);
            long ds = rng.drawIndex();
            b.sampler().sampleBernoulli(p, s, rng);
            float[] gu = u.toArray();
            float[] gz = z.toArray();
            float[] gs = s.toArray();
            long seed = rng.seed();
            int stream = rng.streamId();
            long uniformDiffs = IntStream.range(0, gu.length).filter(e ->
                    Float.floatToIntBits(gu[e]) != Float.floatToIntBits(Philox.uniform(seed, stream, du, e))).count();
            long bernoulliDiffs = IntStream.range(0, gs.length)
                    .filter(e -> gs[e] != (Philox.uniform(seed, stream, ds, e) < probs[e] ? 1f : 0f)).count();
            long worstUlps = IntStream.range(0, gz.length).mapToLong(e -> Math.abs(
                    (long) Float.floatToIntBits(gz[e]) - Float.floatToIntBits(Philox.normal(seed, stream, dz, e))))
                    .max().orElse(0);
            String shape = rows + "x" + cols;
            row("parity uniforms", "elements differing from Java", shape, uniformDiffs, "count");
            row("parity Bernoulli", "elements differing from Java", shape, bernoulliDiffs, "count");
            row("parity normals", "largest difference from Java", shape, worstUlps, "ulp");
        }
    }

    // ---- latency ---------------------------------------------------------------------------------

    private void latency(CudaBackend b) {
        CudaContext c = b.context();
        int n = 5_000;
        try (Tensor one = b.allocate(1, 1)) {
            CudaTensor t = (CudaTensor) one;
            double launch = best(b, () -> {
                for (int i = 0; i < n; i++) {
                    c.launch(Kernel.FILL_VALUE, 1, 1, 32, t, 1, 0f);
                }
            }) / n;
            row("launch", "fill_value 1 element; queued", "1", launch * 1e6, "us");
        }
        double sync = best(b, () -> {
            for (int i = 0; i < n; i++) {
                c.synchronize("an empty stream");
            }
        }) / n;
        row("synchronization", "cuStreamSynchronize of an empty stream", "1", sync * 1e6, "us");
    }

    // ---- the fused sampler -------------------------------------------------------------------------

    private void sampler(CudaBackend b) {
        int rows = 1 << 13;
        int cols = 1 << 13;  // 2^26 elements: large enough that launch latency does not count
        RandomStream rng = new RandomStream(3L);
        try (Tensor x = b.allocate(rows, cols); Tensor bias = b.allocate(1, cols); Tensor p = b.allocate(rows, cols);
             Tensor s = b.allocate(rows, cols)) {
            b.sampler().fillNormal(x, 0f, 2f, rng);
            double t = best(b, () -> b.sampler().sampleSigmoidBernoulli(x, bias, 1f, p, s, rng));
            row("fused sigmoid-Bernoulli sampler", "probabilities and samples", "2^26", (double) rows * cols / t * 1e-9,
                    "G elements/s");
        }
    }

    // ---- SGEMM -------------------------------------------------------------------------------------

    private void sgemm(CudaBackend b) {
        List<int[]> shapes = new ArrayList<>();  // m, n, k, transA, transB
        shapes.add(new int[] {4096, 4096, 4096, 0, 0});
        for (int batch : BATCHES) {
            shapes.add(new int[] {batch, HIDDEN, VISIBLE, 0, 0});  // forward: v W
            shapes.add(new int[] {batch, VISIBLE, HIDDEN, 0, 1});  // backward: h W^T
            shapes.add(new int[] {VISIBLE, HIDDEN, batch, 1, 0});  // weight gradient: v^T h
        }
        for (int[] s : shapes) {
            String shape = s[0] + "x" + s[1] + "x" + s[2] + (s[3] == 1 ? " TN" : s[4] == 1 ? " NT" : " NN");
            timeGemm(b, new KernelGemm(b.context(), "timing", false), "own v1", s, shape);
            KernelGemm.Plan plan = KernelGemm.plan(s[0], s[1], s[2], b.context().info().multiprocessors(), true);
            timeGemm(b, new KernelGemm(b.context(), "timing", true), "own v2 plan (" + (plan.v2() ? "v2" : "v1")
                    + (plan.slices() > 1 ? " split-K " + plan.slices() : "") + ")", s, shape);
            for (boolean tf32 : new boolean[] {false, true}) {
                String variant = tf32 ? "cuBLAS TF32" : "cuBLAS FP32";
                DeviceGemm cublas;
                try {
                    cublas = CudaBackend.chooseGemm(b.context(), "cublas", tf32);
                } catch (IllegalStateException e) {
                    missing("SGEMM", variant, shape, "TFLOP/s", e.getMessage());
                    continue;
                }
                timeGemm(b, cublas, variant + " (" + cublas.description() + ")", s, shape);
            }
        }
    }

    private void timeGemm(CudaBackend b, DeviceGemm gemm, String variant, int[] s, String shape) {
        int m = s[0];
        int n = s[1];
        int k = s[2];
        boolean ta = s[3] == 1;
        boolean tb = s[4] == 1;
        try (Tensor a = ta ? b.allocate(k, m) : b.allocate(m, k); Tensor bt = tb ? b.allocate(n, k) : b.allocate(k, n);
             Tensor c = b.allocate(m, n)) {
            RandomStream rng = new RandomStream(11L);
            b.sampler().fillUniform(a, rng);
            b.sampler().fillUniform(bt, rng);
            double t = best(b, () -> gemm.gemm(ta, tb, m, n, k, 1f, (CudaTensor) a, (CudaTensor) bt, 0f, (CudaTensor) c));
            row("SGEMM", variant, shape, 2.0 * m * n * k / t * 1e-12, "TFLOP/s");
        } finally {
            gemm.close();  // a cuBLAS handle, or the kernels' split-K workspace
        }
    }

    // ---- CD-1 through the trainer ----------------------------------------------------------------------

    private void cd1(CudaBackend b) {
        int examples = 60_000;
        SplittableRandom r = new SplittableRandom(7);
        float[] values = new float[examples * VISIBLE];
        for (int i = 0; i < values.length; i++) {
            values[i] = r.nextDouble() < 0.13 ? 1f : 0f;  // MNIST's density of ink
        }
        Dataset data = Dataset.of("random binary", examples, VISIBLE, values);
        // every plain row first, so that a fault in the graph path leaves them measured
        for (int batch : BATCHES) {
            row("CD-1 784x500", "plain launches (" + b.describe().get("gemm") + ")", "batch " + batch,
                    cd1ImagesPerSecond(b, data, batch), "images/s");
        }
        // the switch is read when a context is created: a second backend on the device, with graphs on
        try (CudaBackend graphs = WithProperty.get(GraphReplay.GRAPHS_PROPERTY, "true",
                () -> new CudaBackend(b.context().ordinal()))) {
            for (int batch : BATCHES) {
                double replayed = cd1ImagesPerSecond(graphs, data, batch);
                String state = String.valueOf(graphs.describe().get("graphs"));
                if (state.startsWith("on")) {
                    row("CD-1 784x500", "CUDA graph replay", "batch " + batch, replayed, "images/s");
                } else {
                    missing("CD-1 784x500", "CUDA graph replay", "batch " + batch, "images/s", "graphs " + state);
                }
            }
        }
    }

    /** Images per second of 3 CD-1 epochs through {@link Rbm#fit}: the best epoch after the first. */
    private static double cd1ImagesPerSecond(CudaBackend b, Dataset data, int batch) {
        RbmOptions options = RbmOptions.builder().hidden(HIDDEN).method(TrainingMethod.CD).k(1).batchSize(batch)
                .learningRate(0.01).holdout(0).epochs(3).metricsEvery(3).build();
        double[] best = {Double.MAX_VALUE};
        TrainingListener timing = new TrainingListener() {
            @Override
            public void onEpochEnd(int epoch, double learningRate, double seconds) {
                if (epoch > 1) {  // the first epoch includes the workspaces' allocation (and the graph's capture)
                    best[0] = Math.min(best[0], seconds);
                }
            }
        };
        try (Rbm rbm = Rbm.fit(b, data, options, Checkpointing.none(), timing)) {
            return data.rows() / best[0];
        }
    }

    private interface Work {
        void run();
    }

    /**
     * Seconds per call of {@code work}: best of 3 loops of at least 0.2 s after a warm-up, with a
     * synchronization every 8 calls (so short calls queue as they do in training) and at the end.
     */
    private static double best(CudaBackend b, Work work) {
        work.run();
        b.synchronize();
        double best = Double.MAX_VALUE;
        for (int rep = 0; rep < 3; rep++) {
            int calls = 0;
            long t0 = System.nanoTime();
            do {
                work.run();
                calls++;
                if (calls % 8 == 0) {
                    b.synchronize();
                }
            } while (calls % 8 != 0 || System.nanoTime() - t0 < 200_000_000L);
            best = Math.min(best, (System.nanoTime() - t0) * 1e-9 / calls);
        }
        return best;
    }
}
