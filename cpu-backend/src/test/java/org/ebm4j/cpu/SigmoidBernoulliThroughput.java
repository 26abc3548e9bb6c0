package org.ebm4j.cpu;

import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Sampler;
import org.ebm4j.tensor.Tensor;

/**
 * A quick throughput check of the fused bias + sigmoid + Bernoulli op (not a unit test; the JMH
 * benchmarks in {@code bench} are the record). Args: kernel set (scalar|vector), threads, rows,
 * cols, seconds. Prints elements per second.
 */
public final class SigmoidBernoulliThroughput {
    private SigmoidBernoulliThroughput() {
    }

    public static void main(String[] args) {
        String set = args.length > 0 ? args[0] : "auto";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int rows = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int cols = args.length > 3 ? Integer.parseInt(args[3]) : 500;
        double seconds = args.length > 4 ? Double.parseDouble(args[4]) : 3;
        try (CpuBackend backend = new CpuBackend(KernelSelection.select(set), threads)) {
            float[] xs = new float[rows * cols];
            float[] bs = new float[cols];
            java.util.Random r = new java.util.Random(1);
            for (int i = 0; i < xs.length; i++) {
                xs[i] = (float) (r.nextGaussian() * 3);
            }
            for (int j = 0; j < cols; j++) {
                bs[j] = (float) r.nextGaussian();
            }
            Tensor x = backend.fromArray(xs, rows, cols);
            Tensor bias = backend.fromArray(bs, 1, cols);
            Tensor probs = backend.allocate(rows, cols);
            Tensor samples = backend.allocate(rows, cols);
            Sampler s = backend.sampler();
            RandomStream rng = new RandomStream(42);
            for (int round = 0; round < 3; round++) {
                long calls = 0;
                long t0 = System.nanoTime();
                long deadline = t0 + (long) (seconds * 1e9);
                long now;
                do {
                    s.sampleSigmoidBernoulli(x, bias, 1f, probs, samples, rng);
                    calls++;
                    now = System.nanoTime();
                } while (now < deadline);
                double secs = (now - t0) / 1e9;
                System.out.printf("%s threads=%d %dx%d: %.3e elements/s (%.1f us/call)%n", backend.kernels().name(),
                        threads, rows, cols, calls * (double) rows * cols / secs, secs / calls * 1e6);
            }
        }
    }
}
