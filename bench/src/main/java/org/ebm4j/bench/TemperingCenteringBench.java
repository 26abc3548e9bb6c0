package org.ebm4j.bench;

import java.util.Locale;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.Mnist;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.RbmOptions;
import org.ebm4j.rbm.TrainingMethod;
import org.ebm4j.tempering.TemperatureLadder;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.EpochReport;
import org.ebm4j.train.TrainingListener;

/**
 * PCD against parallel tempering against centered PCD on a 784xH binary RBM (H = 25 by default),
 * each with the same options, the same number of parameter updates (epochs x batches) and the same
 * seed: the exact test log-likelihood of each (log Z by enumerating the hidden layer), the training
 * time and the cost per update. The chains per temperature of PT equal PCD's chains, so PT samples
 * {@code replicas} times as many states per update.
 *
 * <pre>
 * scripts/bench-rbm.sh tempering --data ../shared/data/mnist [--hidden 25] [--epochs 10] [--limit 60000]
 *     [--replicas 10] [--min-beta 0.1] [--lr 0.05] [--chains 100]
 * </pre>
 */
public final class TemperingCenteringBench {
    private TemperingCenteringBench() {
    }

    public static void main(String[] argv) throws Exception {
        BenchArgs a = new BenchArgs(argv);
        int limit = a.getInt("limit", 60_000);
        Dataset train = a.mnist(Mnist.Split.TRAIN);
        train = train.slice(0, Math.min(limit, train.rows()));
        Dataset test = a.mnist(Mnist.Split.TEST);
        RbmOptions.Builder base = RbmOptions.builder().hidden(a.getInt("hidden", 25)).holdout(0)
                .chains(a.getInt("chains", 100)).learningRate(a.getDouble("lr", 0.05)).momentum(0.5).batchSize(100)
                .epochs(a.getInt("epochs", 10)).metricsEvery(Integer.MAX_VALUE).seed(a.getInt("seed", 1))
                .replicas(a.getInt("replicas", 10)).betas(TemperatureLadder.geometric(a.getDouble("min-beta", 0.1)));
        Backend backend = Backends.get();
        int updates = base.build().epochs() * ((train.rows() + 99) / 100);
        System.out.printf(Locale.ROOT, "backend %s; %d training rows, %d test rows, %d updates each%n", backend.name(),
                train.rows(), test.rows(), updates);
        // The first fit of a JVM pays for JIT compilation; a short throwaway one keeps it out of the figures.
        Rbm.fit(backend, train.slice(0, Math.min(1000, train.rows())), base.epochs(1).build(), Checkpointing.none())
                .close();
        base.epochs(a.getInt("epochs", 10));
        run("PCD", base.method(TrainingMethod.PCD).centering(false).build(), train, test, backend, updates);
        run("PT", base.method(TrainingMethod.PT).centering(false).build(), train, test, backend, updates);
        run("centered PCD", base.method(TrainingMethod.PCD).centering(true).build(), train, test, backend, updates);
        backend.close();
    }

    private static void run(String name, RbmOptions o, Dataset train, Dataset test, Backend backend, int updates) {
        double[] trainSeconds = new double[1];
        double[][] swaps = new double[1][];
        TrainingListener timing = new TrainingListener() {
            @Override
            public void onReport(EpochReport r) {
                trainSeconds[0] += r.trainSeconds();
                if (r.metrics().containsKey("swap_rate_0")) {
                    swaps[0] = r.metrics().entrySet().stream().filter(e -> e.getKey().startsWith("swap_rate_"))
                            .mapToDouble(e -> e.getValue()).toArray();
                }
            }
        };
        try (Rbm rbm = Rbm.fit(backend, train, o, Checkpointing.none(), timing)) {
            long t = System.nanoTime();
            double logZ = rbm.exactLogPartition();
            double exactSeconds = (System.nanoTime() - t) * 1e-9;
            double llTest = rbm.logLikelihood(test, logZ);
            double llTrain = rbm.logLikelihood(train, logZ);
            System.out.printf(Locale.ROOT, "RESULT %-12s %s%n", name, o.summary());
            System.out.printf(Locale.ROOT, "RESULT %-12s test LL %.3f, train LL %.3f nats (exact log Z %.3f, %.1f s); "
                            + "training %.1f s, %.3f ms per update%s%n", name, llTest, llTrain, logZ, exactSeconds,
                    trainSeconds[0], 1e3 * trainSeconds[0] / updates,
                    swaps[0] == null ? "" : "; swap rates " + java.util.Arrays.toString(swaps[0]));
        }
    }
}
