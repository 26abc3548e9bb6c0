package org.ebm4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Times one CPU-backend operation in two builds of cpu-backend side by side in one JVM, for comparing
 * a change against its base on a machine that other work shares: each build is loaded in its own
 * class loader (its classes first, then this jar for core), both are warmed, then short blocks of
 * calls alternate A B B A ... and each block is timed by the thread's CPU time, one thread, so time
 * the OS gives to other processes does not count. Prints the median and range of each side and the
 * ratio, and the largest difference between the two sides' outputs.
 *
 * <p>Measured on a 2-core VM at load averages of 25-30: two copies of the same build differed by
 * 0-7% in the median (SGEMM at 100x784 . 784x500 and 784x100 . 100x500, sigmoid + Bernoulli; 10
 * rounds), while JMH's wall-clock figures moved by a factor of ten from one run to the next. Treat
 * differences under about 10% as noise there, and repeat a run with A and B swapped. Run with {@code -Xbatch} so that both
 * sides are compiled by C2 before they are timed.
 *
 * <pre>
 * java -Xbatch --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.ebm4j.bench.PairedBuilds \
 *     --a OLD/cpu-backend/target/classes --b cpu-backend/target/classes --op TN_784x100x500
 * </pre>
 * Options: {@code --op} an {@link RbmShape} name (SGEMM on the vector kernels) or one of
 * {@code sigmoidBernoulli}, {@code uniforms}, {@code normals}, {@code softplusRowSums} (vector kernels,
 * 100 x 500); {@code --threads} for SGEMM (default 1; above 1 the blocks are timed by wall clock);
 * {@code --rounds} (default 16), {@code --block-ms} (default 200), {@code --warmup-ms} (default 3000).
 */
public final class PairedBuilds {
    private static final int ROWS = 100;
    private static final int COLS = 500;

    private PairedBuilds() {
    }

    /** One side: a build's operation, called with its own output buffer. */
    private record Side(Object target, Method method, Object[] args, float[] out) {
        void call() throws ReflectiveOperationException {
            method.invoke(target, args);
        }
    }

    public static void main(String[] argv) throws Exception {
        try {
            run(new BenchArgs(argv));
        } catch (IllegalArgumentException e) {
            System.err.println("PairedBuilds: " + e.getMessage());
            System.exit(2);
        }
        System.exit(0); // the backends' worker threads are not daemons
    }

    private static void run(BenchArgs a) throws Exception {
        String op = a.get("op", RbmShape.NN_100x784x500.name());
        int threads = a.getInt("threads", 1);
        int rounds = a.getInt("rounds", 16);
        long blockNs = a.getInt("block-ms", 200) * 1_000_000L;
        long warmNs = a.getInt("warmup-ms", 3000) * 1_000_000L;
        URL self = PairedBuilds.class.getProtectionDomain().getCodeSource().getLocation();
        String[] builds = {a.get("a", null), a.get("b", null)};
        for (int v = 0; v < 2; v++) {
            if (builds[v] == null || !Files.exists(Path.of(builds[v]))) {
                throw new IllegalArgumentException("--" + (v == 0 ? "a" : "b")
                        + " must name a cpu-backend classes directory or jar, found " + builds[v]);
            }
        }
        Side[] sides = new Side[2];
        for (int v = 0; v < 2; v++) {
            ClassLoader cl = new URLClassLoader(new URL[] {Path.of(builds[v]).toUri().toURL(), self},
                    ClassLoader.getPlatformClassLoader());
            sides[v] = side(cl, op, threads);
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        boolean cpuTime = threads == 1 && mx.isCurrentThreadCpuTimeSupported();
        // Warmed in alternating blocks too: warming A whole and then B left A's first timed blocks
        // slow (recompiled once B ran), many times its median.
        for (long w = 0; w < warmNs; w += blockNs) {
            for (Side s : sides) {
                for (long t0 = System.nanoTime(); System.nanoTime() - t0 < blockNs; ) {
                    s.call();
                }
            }
        }
        float maxDiff = 0f;
        for (int i = 0; i < sides[0].out.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(sides[0].out[i] - sides[1].out[i]));
        }
        List<List<Double>> us = List.of(new ArrayList<>(), new ArrayList<>());
        for (int r = 0; r < rounds; r++) {
            for (int j = 0; j < 2; j++) {
                int v = r % 2 == 0 ? j : 1 - j; // A B, then B A: neither side always goes first
                long c0 = cpuTime ? mx.getCurrentThreadCpuTime() : 0;
                long t0 = System.nanoTime();
                int calls = 0;
                while (System.nanoTime() - t0 < blockNs) {
                    sides[v].call();
                    calls++;
                }
                long spent = cpuTime ? mx.getCurrentThreadCpuTime() - c0 : System.nanoTime() - t0;
                us.get(v).add(spent / 1e3 / calls);
            }
        }
        double[] median = new double[2];
        for (int v = 0; v < 2; v++) {
            double[] x = us.get(v).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            median[v] = x[x.length / 2];
            System.out.printf("%s: median %.1f us per call (min %.1f, max %.1f) %s%n", v == 0 ? "A" : "B", median[v], x[0],
                    x[x.length - 1], builds[v]);
        }
        System.out.printf("%s, %d thread(s), %s: B faster by %.3fx (A/B); outputs differ by at most %.3g; load %s%n", op,
                threads, cpuTime ? "thread CPU time" : "wall clock", median[0] / median[1], maxDiff,
                Files.readString(Path.of("/proc/loadavg")).trim());
    }

    private static Side side(ClassLoader cl, String op, int threads) throws ReflectiveOperationException {
        SplittableRandom rnd = new SplittableRandom(2024);
        RbmShape shape = Arrays.stream(RbmShape.values()).filter(s -> s.name().equals(op)).findFirst().orElse(null);
        if (shape != null) {
            Class<?> pool = cl.loadClass("org.ebm4j.cpu.internal.CpuParallel");
            Object gemm = cl.loadClass("org.ebm4j.cpu.internal.vector.VectorSgemm").getConstructor(pool)
                    .newInstance(pool.getConstructor(int.class).newInstance(threads));
            Method m = cl.loadClass("org.ebm4j.cpu.internal.gemm.Sgemm").getMethod("sgemm", boolean.class, boolean.class,
                    int.class, int.class, int.class, float.class, float[].class, int.class, float[].class, int.class,
                    float.class, float[].class, int.class);
            float[] c = new float[shape.m * shape.n];
            return new Side(gemm, m, new Object[] {shape.transA, shape.transB, shape.m, shape.n, shape.k, 1f,
                    SgemmBench.random(shape.m * shape.k, rnd), shape.lda(), SgemmBench.random(shape.k * shape.n, rnd),
                    shape.ldb(), 0f, c, shape.n}, c);
        }
        Object kernels = cl.loadClass("org.ebm4j.cpu.internal.vector.VectorKernels").getConstructor().newInstance();
        Class<?> api = cl.loadClass("org.ebm4j.cpu.CpuKernels");
        float[] x = SgemmBench.random(ROWS * COLS, rnd);
        float[] bias = SgemmBench.random(COLS, rnd);
        float[] out = new float[ROWS * COLS];
        Class<?> i = int.class;
        Class<?> f = float.class;
        Class<?> fa = float[].class;
        return switch (op) {
            case "sigmoidBernoulli" -> new Side(kernels, api.getMethod(op, fa, fa, f, fa, fa, i, i, i, i, i, i, i, i, fa),
                    new Object[] {x, bias, 1f, new float[ROWS * COLS], out, COLS, 0, ROWS, 1, 2, 3, 4, 5, new float[8192]}, out);
            case "uniforms" -> new Side(kernels, api.getMethod(op, i, i, i, i, i, long.class, fa, i, i),
                    new Object[] {1, 2, 3, 4, 5, 7L, out, 0, out.length}, out);
            case "normals" -> new Side(kernels, api.getMethod(op, i, i, i, i, i, long.class, f, f, fa, i, i, fa, i),
                    new Object[] {1, 2, 3, 4, 5, 7L, 0f, 1f, out, 0, out.length, new float[8192], 0}, out);
            case "softplusRowSums" -> new Side(kernels, api.getMethod(op, fa, fa, f, i, fa, i, i),
                    new Object[] {x, bias, 1f, COLS, out, 0, ROWS}, out);
            default -> throw new IllegalArgumentException("--op must be an RbmShape name or sigmoidBernoulli, uniforms, "
                    + "normals or softplusRowSums, found '" + op + "'");
        };
    }
}
