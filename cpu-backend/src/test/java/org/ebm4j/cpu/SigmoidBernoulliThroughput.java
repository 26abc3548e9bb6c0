package org.ebm4j.cpu;

import java.util.Arrays;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Sampler;
import org.ebm4j.tensor.Tensor;

/**
 * A quick throughput check of the fused bias + sigmoid + Bernoulli op (not a unit test and not
 * the record: the JMH benchmarks in {@code bench} are). Arguments: kernel set (auto|scalar|vector),
 * threads, rows, cols, seconds per round, rounds. After warm-up rounds it prints the median and the
 * best round in elements per second.
 */
public final class SigmoidBernoulliThroughput {
    private SigmoidBernoulliThroughput() {
    }

    public static void main(String[] args) {
        String set = args.length > 0 ? args[0] : "auto";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int rows = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int cols = args.length > 3 ? Integer.parseInt(args[3]) : 500;
        double seconds = args.length > 4 ? Double.parseDouble(args[4]) : 1;
        int rounds = args.length > 5 ? Integer.parseInt(args[5]) : 7;
        try (CpuBackend backend = new CpuBackend(KernelSelection.select(set), threads)) {
            Tensor x = backend.allocate(rows, cols);
            Tensor bias = backend.allocate(1, cols);
            Tensor probs = backend.allocate(rows, cols);
            Tensor samples = backend.allocate(rows, cols);
            Sampler s = backend.sampler();
            s.fillNormal(x, 0f, 3f, new RandomStream(1));
            s.fillNormal(bias, 0f, 1f, new RandomStream(2));
            RandomStream rng = new RandomStream(42);
            int warmup = 3;
            double[] rates = new double[rounds];
            for (int round = -warmup; round < rounds; round++) {
                long calls = 0;
                long t0 = System.nanoTime();
                long deadline = t0 + (long) (seconds * 1e9);
                long now;
                do {
                    s.sampleSigmoidBernoulli(x, bias, 1f, probs, samples, rng);
                    calls++;
                    now = System.nanoTime();
                } while (now < deadline);
                if (round >= 0) {
                    rates[round] = calls * (double) rows * cols / ((now - t0) / 1e9);
                }
            }
            Arrays.sort(rates);
            System.out.printf("%s kernels (%s), %d thread(s), %dx%d: median %.3e elements/s, best %.3e (%d rounds of %.1f s)%n",
                    backend.kernels().name(), backend.describe().getOrDefault("vectorBits", "-"), threads, rows, cols,
                    rates[rounds / 2], rates[rounds - 1], rounds, seconds);
        }
    }
}
