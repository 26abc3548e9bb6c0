package org.ebm4j.cpu;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Sampler;
import org.ebm4j.tensor.Tensor;

/**
 * Warms the CPU backend's hot kernels (the GEMM micro-kernels, fused sigmoid + Bernoulli, Philox
 * uniforms, column sums and axpy) on small shapes, so that the first epoch of a run does not pay for
 * compiling them: Vector API code runs boxed, tens of times slower, until C2 has compiled it, which
 * made a first epoch about twice as long as a steady one.
 *
 * <p>{@link CpuBackendProvider#create()} starts it once per JVM and kernel set, on a daemon thread
 * with its own single-threaded backend, so the caller's thread does not wait and no state is shared
 * with the caller's backend (compiled code is per method, not per instance). {@code
 * -Debm.cpu.warmup=false} turns it off, for example where a short-lived JVM must not spend the CPU.
 * The warm-up draws come from {@link StreamId#BENCHMARK} and are thrown away; results never depend on
 * whether it ran.
 */
final class KernelWarmup {
    /** The system property that switches the warm-up off ({@code false}); any other value leaves it on. */
    static final String PROPERTY = "ebm.cpu.warmup";
    /**
     * Rounds of every warmed op: enough for HotSpot's tier-4 thresholds (about 15,000 invocations or
     * 40,000-60,000 loop back-edges) in the micro-kernels, which each round calls about 30 times with
     * 96-deep loops.
     */
    static final int ROUNDS = 600;

    private static final Set<String> STARTED = ConcurrentHashMap.newKeySet();

    private KernelWarmup() {
    }

    /** Whether {@code -Debm.cpu.warmup} leaves the warm-up on (it is on unless set to {@code false}). */
    static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").trim());
    }

    /**
     * Starts the warm-up of {@code selection}'s kernel set on a daemon thread unless it is switched off or
     * already started in this JVM; returns the thread, or null when none was started.
     */
    static Thread startOnce(KernelSelection selection) {
        if (!enabled() || !STARTED.add(selection.kernels().name())) {
            return null;
        }
        Thread t = new Thread(() -> run(selection, ROUNDS), "ebm4j-cpu-warmup-" + selection.kernels().name());
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
        return t;
    }

    /**
     * Runs {@code rounds} rounds of the hot kernels on a fresh one-thread backend. The GEMM shapes cover
     * all three transpositions, beta 0 and 1, and right-edge tiles one, two and three vectors wide.
     */
    static void run(KernelSelection selection, int rounds) {
        try (CpuBackend b = new CpuBackend(selection, 1)) {
            int m = 13;
            int k = 96;
            int[] widths = {150, 144, 136, 170};
            RandomStream rng = StreamId.BENCHMARK.open(0);
            Tensor a = b.allocate(m, k);
            Tensor w = b.allocate(k, 256);
            Tensor wt = b.allocate(256, k);
            Sampler s = b.sampler();
            s.fillUniform(a, rng);
            s.fillNormal(w, 0f, 0.1f, rng);
            s.fillNormal(wt, 0f, 0.1f, rng);
            Tensor x = b.allocate(16, 512);
            Tensor bias = b.allocate(1, 512);
            Tensor probs = b.allocate(16, 512);
            Tensor samples = b.allocate(16, 512);
            Tensor sums = b.allocate(1, 512);
            s.fillNormal(x, 0f, 1f, rng);
            for (int r = 0; r < rounds; r++) {
                int n = widths[r % widths.length];
                float beta = (r & 1) == 0 ? 0f : 1f;
                try (Tensor wn = leftColumns(b, w, k, n); Tensor wtn = leftColumns(b, wt, n, k);
                     Tensor c = b.allocate(m, n); Tensor ct = b.allocate(k, n)) {
                    b.gemm(false, false, 1f, a, wn, beta, c);
                    b.gemm(false, true, 1f, a, wtn, beta, c);
                    b.gemm(true, false, 0.5f, a, c, beta, ct);
                }
                s.sampleSigmoidBernoulli(x, bias, 1f, probs, samples, rng.at((long) r * x.size()));
                s.fillUniform(probs, rng);
                b.columnSums(samples, 1f, beta, sums);
                b.axpy(0.5f, probs, x);
            }
            for (Tensor t : new Tensor[] {a, w, wt, x, bias, probs, samples, sums}) {
                t.close();
            }
        } catch (RuntimeException | LinkageError e) {
            // Warming is an optimization only: a failure here would show up again, and be reported,
            // on the caller's own first call.
        }
    }

    /** The first {@code cols} columns of the first {@code rows} rows of {@code src}, copied into a new tensor. */
    private static Tensor leftColumns(CpuBackend b, Tensor src, int rows, int cols) {
        float[] d = new float[rows * cols];
        float[] all = ((CpuTensor) src).data();
        for (int i = 0; i < rows; i++) {
            System.arraycopy(all, i * src.cols(), d, i * cols, Math.min(cols, src.cols()));
        }
        return b.fromArray(d, rows, cols);
    }
}
