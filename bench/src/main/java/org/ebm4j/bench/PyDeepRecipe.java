package org.ebm4j.bench;

import java.util.List;
import java.util.Locale;
import org.ebm4j.data.Binarization;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.Mnist;
import org.ebm4j.random.StreamId;
import org.ebm4j.rbm.AisEstimator;
import org.ebm4j.rbm.AisResult;
import org.ebm4j.rbm.ExactLogPartition;
import org.ebm4j.rbm.LearningRateSchedule;
import org.ebm4j.rbm.LogLikelihood;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.RbmOptions;
import org.ebm4j.rbm.RbmTrainer;
import org.ebm4j.rbm.TrainingMethod;
import org.ebm4j.rbm.VisibleType;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.ebm4j.tensor.Tensor;

/**
 * The published reference point from PyDeep's documentation: a 784x16 binary RBM trained with
 * PCD-1, 100 persistent chains, learning rate 0.01, batch 100, 50 epochs on the 60,000 MNIST
 * training images (binarized at 0.5, no momentum, no weight decay, visible biases initialized to
 * the data's log-odds) reaches an exact test log-likelihood of -149.05 nats (log Z 190.95). Prints
 * the exact log Z, the train and test log-likelihoods, and AIS against the exact value.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp ... org.ebm4j.bench.PyDeepRecipe --data ../shared/data/mnist
 * </pre>
 */
public final class PyDeepRecipe {
    private PyDeepRecipe() {
    }

    public static void main(String[] argv) throws Exception {
        BenchArgs a = new BenchArgs(argv);
        int epochs = a.getInt("epochs", 50);
        int aisBetas = a.getInt("ais-betas", AisEstimator.DEFAULT_BETAS);
        int aisRuns = a.getInt("ais-runs", AisEstimator.DEFAULT_RUNS);
        Dataset train = a.mnist(Mnist.Split.TRAIN);
        Dataset test = a.mnist(Mnist.Split.TEST);
        RbmOptions cfg = RbmOptions.builder().method(TrainingMethod.PCD).k(1).chains(100).learningRate(0.01)
                .schedule(LearningRateSchedule.constant())
                .momentum(a.getDouble("momentum", 0.0)).batchSize(100).epochs(epochs).seed(a.getInt("seed", 1))
                .initWeightStd(0.01).build();
        Backend backend = Backends.get();
        System.out.printf(Locale.ROOT, "backend %s; %s%n", backend.name(), cfg.summary());
        try (Tensor tr = train.toTensor(backend); Tensor te = test.toTensor(backend);
             Rbm rbm = Rbm.zeros(backend, VisibleType.BERNOULLI, 784, a.getInt("hidden", 16));
             RbmTrainer trainer = new RbmTrainer(rbm, cfg, tr)) {
            Binarization.fixed(0.5f).apply(tr);
            Binarization.fixed(0.5f).apply(te);
            RbmTrainer.initialize(rbm, cfg, tr);
            long t0 = System.nanoTime();
            trainer.train(List.of());
            double trainSeconds = (System.nanoTime() - t0) * 1e-9;
            long t1 = System.nanoTime();
            double logZ = ExactLogPartition.compute(rbm);
            double exactSeconds = (System.nanoTime() - t1) * 1e-9;
            double llTest = LogLikelihood.average(rbm, te, logZ);
            double llTrain = LogLikelihood.average(rbm, tr, logZ);
            long t2 = System.nanoTime();
            AisResult ais = AisEstimator.estimate(rbm, Rbm.columnMeans(tr), AisEstimator.betas(aisBetas), aisRuns,
                    StreamId.RBM_AIS.open(cfg.seed()));
            double aisSeconds = (System.nanoTime() - t2) * 1e-9;
            System.out.printf(Locale.ROOT, "RESULT training %.1f s (%d epochs); exact log Z %.4f (%.2f s); "
                            + "avg log-likelihood test %.4f, train %.4f nats%n", trainSeconds, epochs, logZ, exactSeconds,
                    llTest, llTrain);
            System.out.printf(Locale.ROOT, "RESULT AIS (%d betas, %d runs): log Z %.4f, +-3 sd [%.4f, %.4f], "
                            + "|AIS - exact| = %.4f nats (%.1f s)%n", aisBetas, aisRuns, ais.logZ(), ais.logZLow(),
                    ais.logZHigh(), Math.abs(ais.logZ() - logZ), aisSeconds);
        }
        backend.close();
    }
}
