package org.ebm4j.cuda;

import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Tensor;

/**
 * GPU timings for the README, run by {@code scripts/gpu-run.sh} on a GPU machine (not a unit test):
 * SGEMM GFLOP/s at the RBM shapes, fused sigmoid-Bernoulli elements/s, and CD-1 images/s for a
 * 784 x 500 binary RBM at batch 100, 1,000 and 10,000, with cuBLAS (when it loads) and with the own
 * SGEMM kernel. Each figure is the best of 3 repetitions of a timed loop of at least 0.5 s after a
 * warm-up, synchronized at both ends.
 *
 * <p>Usage: {@code java -cp ... org.ebm4j.cuda.Cd1Timing [batch ...]}
 */
public final class Cd1Timing {
    private static final int VISIBLE = 784;
    private static final int HIDDEN = 500;

    private Cd1Timing() {
    }

    public static void main(String[] args) {
        int[] batches = args.length == 0 ? new int[] {100, 1000, 10000} : new int[args.length];
        for (int i = 0; i < args.length; i++) {
            batches[i] = Integer.parseInt(args[i]);
        }
        CudaBackendProvider provider = new CudaBackendProvider();
        if (!provider.probe().available()) {
            System.out.println("CUDA unavailable: " + provider.probe().reason());
            System.exit(2);
        }
        for (String gemm : new String[] {"auto", "kernel"}) {
            System.setProperty(CudaBackend.GEMM_PROPERTY, gemm);
            try (CudaBackend b = new CudaBackend(0)) {
                Map<String, Object> d = b.describe();
                System.out.printf(Locale.ROOT, "%n== %s, GEMM: %s%n", d.get("device"), d.get("gemm"));
                for (int batch : batches) {
                    run(b, batch);
                }
            }
            if (gemm.equals("auto") && System.getProperty("ebm.timing.both", "true").equals("false")) {
                break;
            }
        }
    }

    private interface Step {
        void run();
    }

    /** Seconds per call of {@code step}: best of 3 loops of at least 0.5 s. */
    private static double time(CudaBackend b, Step step) {
        for (int i = 0; i < 3; i++) {
            step.run();
        }
        b.synchronize();
        double best = Double.MAX_VALUE;
        for (int rep = 0; rep < 3; rep++) {
            int calls = 0;
            long t0 = System.nanoTime();
            long elapsed;
            do {
                step.run();
                calls++;
                if ((calls & 7) == 0) {
                    b.synchronize();
                }
                elapsed = System.nanoTime() - t0;
            } while (elapsed < 500_000_000L || (calls & 7) != 0);
            b.synchronize();
            elapsed = System.nanoTime() - t0;
            best = Math.min(best, elapsed * 1e-9 / calls);
        }
        return best;
    }

    private static void run(CudaBackend b, int batch) {
        SplittableRandom rnd = new SplittableRandom(batch);
        float[] data = new float[batch * VISIBLE];
        for (int i = 0; i < data.length; i++) {
            data[i] = rnd.nextDouble() < 0.13 ? 1f : 0f;  // MNIST-like density
        }
        float[] w = new float[VISIBLE * HIDDEN];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rnd.nextGaussian() * 0.01);
        }
        RandomStream rng = new RandomStream(42L);
        float lr = 0.05f / batch;
        try (Tensor v0 = b.fromArray(data, batch, VISIBLE); Tensor weights = b.fromArray(w, VISIBLE, HIDDEN);
             Tensor vBias = b.allocate(1, VISIBLE); Tensor hBias = b.allocate(1, HIDDEN);
             Tensor hPre = b.allocate(batch, HIDDEN); Tensor h0p = b.allocate(batch, HIDDEN); Tensor h0s = b.allocate(batch, HIDDEN);
             Tensor vPre = b.allocate(batch, VISIBLE); Tensor v1p = b.allocate(batch, VISIBLE); Tensor h1p = b.allocate(batch, HIDDEN)) {
            Step forward = () -> b.gemm(false, false, 1f, v0, weights, 0f, hPre);
            Step sampler = () -> b.sampler().sampleSigmoidBernoulli(hPre, hBias, 1f, h0p, h0s, rng);
            Step cd1 = () -> {
                b.gemm(false, false, 1f, v0, weights, 0f, hPre);
                b.sampler().sampleSigmoidBernoulli(hPre, hBias, 1f, h0p, h0s, rng);
                b.gemm(false, true, 1f, h0s, weights, 0f, vPre);
                b.sigmoid(vPre, vBias, v1p);
                b.gemm(false, false, 1f, v1p, weights, 0f, hPre);
                b.sigmoid(hPre, hBias, h1p);
                b.gemm(true, false, lr, v0, h0p, 1f, weights);
                b.gemm(true, false, -lr, v1p, h1p, 1f, weights);
                b.columnSums(v0, lr, 1f, vBias);
                b.columnSums(v1p, -lr, 1f, vBias);
                b.columnSums(h0p, lr, 1f, hBias);
                b.columnSums(h1p, -lr, 1f, hBias);
            };
            double tf = time(b, forward);
            double ts = time(b, sampler);
            double tc = time(b, cd1);
            System.out.printf(Locale.ROOT, "batch %6d: SGEMM %dx%dx%d %8.1f GFLOP/s | fused sampler %8.1f M elements/s"
                    + " | CD-1 %10.0f images/s (%.3f ms/step)%n", batch, batch, HIDDEN, VISIBLE,
                    2.0 * batch * HIDDEN * VISIBLE / tf * 1e-9, (double) batch * HIDDEN / ts * 1e-6, batch / tc, tc * 1e3);
            double check = b.sum(weights);
            if (!Double.isFinite(check)) {
                throw new IllegalStateException("weights became non-finite during the timing run: " + check);
            }
        }
    }
}
