package org.ebm4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ebm4j.cpu.internal.CpuParallel;
import org.ebm4j.cpu.internal.gemm.ScalarSgemm;
import org.ebm4j.cpu.internal.gemm.Sgemm;
import org.ebm4j.cpu.internal.vector.VectorSgemm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code C = op(A) . op(B)} at the RBM shapes, on the CPU SGEMM of one kernel set with a pool of
 * {@code threads} (the parameters of {@link CpuBenchParams}). The score is products per second; {@link BenchMain} turns it into GFLOP/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SgemmBench extends CpuBenchParams {
    @Param
    public RbmShape shape;

    private CpuParallel pool;
    private Sgemm gemm;
    private float[] a;
    private float[] b;
    private float[] c;

    @Setup(Level.Trial)
    public void setUp() {
        pool = new CpuParallel(threads);
        switch (kernels) {
            case "scalar":
                gemm = new ScalarSgemm(pool);
                break;
            case "vector":
                gemm = new VectorSgemm(pool); // needs --add-modules jdk.incubator.vector in the fork
                break;
            default:
                throw new IllegalArgumentException("kernels must be scalar or vector, found '" + kernels + "'");
        }
        SplittableRandom rnd = new SplittableRandom(2024);
        a = random(shape.m * shape.k, rnd);
        b = random(shape.k * shape.n, rnd);
        c = new float[shape.m * shape.n];
    }

    /** {@code size} uniform floats in [-0.5, 0.5). */
    static float[] random(int size, SplittableRandom rnd) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (rnd.nextDouble() - 0.5);
        }
        return x;
    }

    @Benchmark
    public float[] sgemm() {
        RbmShape s = shape;
        gemm.sgemm(s.transA, s.transB, s.m, s.n, s.k, 1f, a, s.lda(), b, s.ldb(), 0f, c, s.n);
        return c;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }
}
