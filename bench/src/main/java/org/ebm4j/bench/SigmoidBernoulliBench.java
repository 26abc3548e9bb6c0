package org.ebm4j.bench;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.ebm4j.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The fused block-Gibbs half-step {@code probs = sigmoid(x + bias); samples = uniform < probs}
 * (Philox draws included) on a 1000x500 activation matrix, through the SPI exactly as a model calls
 * it: the "cpu" backend with the kernel set and thread count forced by {@code -Debm.cpu.kernels}
 * and {@code -Debm.threads}. The score is calls per second; {@link BenchMain} reports elements/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SigmoidBernoulliBench extends CpuBenchParams {
    public static final int ROWS = 1000;
    public static final int COLS = 500;

    private Backend backend;
    private Tensor x;
    private Tensor bias;
    private Tensor probs;
    private Tensor samples;
    private RandomStream rng;

    @Setup(Level.Trial)
    public void setUp() {
        // The fork normally gets these as -D flags from BenchMain; setting them here too keeps a
        // plain JMH run (org.openjdk.jmh.Main) measuring what its parameters say.
        System.setProperty("ebm.cpu.kernels", kernels);
        System.setProperty("ebm.threads", Integer.toString(threads));
        backend = Backends.select("cpu").backend();
        checkDescribed(backend.describe());
        SplittableRandom rnd = new SplittableRandom(7);
        float[] xs = new float[ROWS * COLS];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) (rnd.nextDouble() * 8 - 4);
        }
        float[] bs = new float[COLS];
        for (int j = 0; j < COLS; j++) {
            bs[j] = (float) (rnd.nextDouble() - 0.5);
        }
        x = backend.fromArray(xs, ROWS, COLS);
        bias = backend.fromArray(bs, 1, COLS);
        probs = backend.allocate(ROWS, COLS);
        samples = backend.allocate(ROWS, COLS);
        rng = new RandomStream(42);
    }

    /** Fails the trial when the backend reports a kernel set or thread count other than the one asked for. */
    private void checkDescribed(Map<String, Object> facts) {
        Object k = facts.get("kernels");
        if (k != null && !String.valueOf(k).equals(kernels)) {
            throw new IllegalStateException("asked for the " + kernels + " kernels but the cpu backend runs " + k
                    + " (" + facts.get("kernelsReason") + ")");
        }
        Object t = facts.get("threads");
        if (t != null && !String.valueOf(t).equals(Integer.toString(threads))) {
            throw new IllegalStateException("asked for " + threads + " threads but the cpu backend has " + t);
        }
    }

    @Benchmark
    public Tensor sampleSigmoidBernoulli() {
        backend.sampler().sampleSigmoidBernoulli(x, bias, 1f, probs, samples, rng);
        return samples;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (Tensor t : new Tensor[] {x, bias, probs, samples}) {
            if (t != null) {
                t.close();
            }
        }
        backend.close();
    }
}
