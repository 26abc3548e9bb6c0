package org.ebm4j.cpu;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.ebm4j.cpu.internal.CpuParallel;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Sampler;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.spi.Switches;

/**
 * Warms the CPU backend's hot kernels (the GEMM micro-kernels, fused sigmoid + Bernoulli, Philox
 * uniforms, column sums and axpy) on small shapes, so that the first epoch of a run does not pay for
 * compiling them: Vector API code runs boxed, tens of times slower, until C2 has compiled it, which
 * made a first epoch about twice as long as a steady one.
 *
 * <p>{@link CpuBackendProvider#create()} starts it once per JVM and kernel set, on a daemon thread
 * with its own backends (one thread, then two so that the parallel paths are warmed too), so the
 * caller's thread does not wait and no state is shared with the caller's backend (compiled code is
 * per method, not per instance). It is most use while the caller does something else (loads data):
 * its second part stops at the caller's first GEMM. {@code -Debm.cpu.warmup=false} turns it off, for
 * example where a short-lived JVM must not spend the CPU.
 * The warm-up draws come from {@link StreamId#BENCHMARK} and are thrown away; results never depend on
 * whether it ran.
 */
final class KernelWarmup {
    /** The system property that switches the warm-up off ({@code false}). */
    static final String PROPERTY = "ebm.cpu.warmup";
    /**
     * Rounds of every warmed op: HotSpot's tier-4 thresholds (about 15,000 invocations or 40,000-60,000
     * loop back-edges) are reached in the first tens of rounds by the micro-kernels, which each round
     * calls tens of times with 170-deep loops, and within the 600 by the per-call ops (two to five calls
     * a round with loops over rows).
     */
    static final int ROUNDS = 600;
    /** Products with up to this many rows read B in place ({@code BlockedSgemm}); the gradient's must not. */
    private static final int DIRECT_B_ROWS = 256;

    private static final Set<String> STARTED = ConcurrentHashMap.newKeySet();
    /** Marks the warm-up's own thread, whose GEMMs are not the caller's work. */
    private static final ThreadLocal<Boolean> WARMING = ThreadLocal.withInitial(() -> false);
    /** Set at the first GEMM of any other thread: from then on step rounds would only compete with it. */
    private static volatile boolean callerStarted;

    private KernelWarmup() {
    }

    /** Whether {@code -Debm.cpu.warmup} leaves the warm-up on: unless it is {@code false} ({@link Switches#flag}). */
    static boolean enabled() {
        return Switches.flag(PROPERTY, true);
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
     * Runs {@code rounds} rounds of the hot kernels, then a third as many {@link #stepRounds}: the first,
     * small rounds get the kernels compiled with the least work done while they still run interpreted,
     * the step rounds, by then cheap, teach C2 the branches of a real training step.
     */
    static void run(KernelSelection selection, int rounds) {
        WARMING.set(true);
        try {
            compileRounds(selection, rounds);
            stepRounds(selection, rounds / 3);
        } finally {
            WARMING.remove();
        }
    }

    /**
     * Called by {@link CpuBackend} at each GEMM: the first one on a thread other than the warm-up's ends
     * the step rounds. Measured on a loaded Zen 3, step rounds that ran on into the caller's first
     * steps cost it about a second on two cores, while those that finished before it began saved it
     * 0.2-0.4 s.
     */
    static void noteCallerWork() {
        if (!callerStarted && !WARMING.get()) {
            callerStarted = true;
        }
    }

    /**
     * Runs {@code rounds} rounds of the hot kernels on a fresh one-thread backend. The GEMM shapes cover
     * all three transpositions, beta 0 and 1, and right-edge tiles one, two and three vectors wide.
     */
    private static void compileRounds(KernelSelection selection, int rounds) {
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

    /**
     * Runs {@code rounds} rounds of a training step's backend calls on a fresh backend of two threads
     * (one where {@link CpuParallel#configuredThreads()} is 1): enough for every split branch, while
     * the pool of a many-core machine is not doubled for the warm-up's sake. A round is the backend
     * calls of one CD-1 step of a small RBM (7 rows, every eighth round 48; 343 or more visible, 74-125
     * hidden): the fused product + sigmoid + Bernoulli, the transposed-B reconstruction, sigmoid with a bias row, the two transposed-A weight
     * gradients with alpha != 1 and beta 0.5 then 1, the momentum and bias steps and a row gather. The
     * shapes take the same branches as the real 784x500, batch 100 step: B read in place (at most 256
     * rows) and packed, two depth blocks (the visible count exceeds the depth block), bottom and right
     * edge tiles (the hidden counts leave last panels of every kernel width), and in the 48-row rounds
     * products of over 2M flops, which two threads split (the 7-row rounds keep the first, interpreted,
     * rounds short). After a warm-up on one thread and on shapes that missed those branches, the first
     * real steps threw C2 code away (deoptimized) and compiled it again: a warmed first tenth of an
     * epoch still took 0.5-0.9 s more than a steady one on a Zen 3, about 0-0.4 s with these rounds.
     */
    private static void stepRounds(KernelSelection selection, int rounds) {
        try (CpuBackend b = new CpuBackend(selection, Math.min(2, CpuParallel.configuredThreads()))) {
            Object kc = b.describe().get("gemmKc");
            int big = 48;
            int nv = Math.max(DIRECT_B_ROWS + 87, (kc instanceof Integer ? (Integer) kc : 256) + 7);
            int[] hiddenCounts = {74, 85, 101, 125};
            RandomStream rng = StreamId.BENCHMARK.open(0);
            Sampler s = b.sampler();
            int[] order = rng.permutation(2 * big);
            try (Tensor data = b.allocate(2 * big, nv); Tensor vBias = b.allocate(1, nv); Tensor vVel = b.allocate(1, nv)) {
                s.fillUniform(data, rng);
                for (int r = 0; r < rounds && !callerStarted; r++) {
                    int nh = hiddenCounts[r % hiddenCounts.length];
                    int batch = r % 8 == 7 ? big : 7;
                    try (Tensor v0 = b.allocate(batch, nv); Tensor vn = b.allocate(batch, nv);
                         Tensor w = b.allocate(nv, nh); Tensor wVel = b.allocate(nv, nh);
                         Tensor hBias = b.allocate(1, nh); Tensor hVel = b.allocate(1, nh);
                         Tensor pre = b.allocate(batch, nh); Tensor p0 = b.allocate(batch, nh);
                         Tensor h0 = b.allocate(batch, nh); Tensor pn = b.allocate(batch, nh)) {
                        s.fillNormal(w, 0f, 0.01f, rng);
                        b.gatherRows(data, order, r % 2 * big, v0);
                        s.sampleSigmoidBernoulliProduct(v0, w, false, hBias, pre, p0, h0, rng);
                        b.gemm(false, true, 1f, h0, w, 0f, vn);
                        s.sampleSigmoidBernoulli(vn, vBias, 1f, null, vn, rng);
                        b.gemm(false, false, 1f, vn, w, 0f, pre);
                        b.sigmoid(pre, hBias, pn);
                        b.gemm(true, false, 0.01f, v0, p0, 0.5f, wVel);
                        b.gemm(true, false, -0.01f, vn, pn, 1f, wVel);
                        b.momentumStep(0f, wVel, w);
                        b.biasMomentumStep(v0, 0.01f, vn, -0.01f, 0.5f, vVel, vBias);
                        b.biasMomentumStep(p0, 0.01f, pn, -0.01f, 0.5f, hVel, hBias);
                    }
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // As in compileRounds: an optimization only.
        }
    }
}
