package org.ebm4j.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.Mnist;
import org.ebm4j.rbm.AisOptions;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.RbmOptions;

/**
 * Trains a restricted Boltzmann machine on the MNIST images that ship inside ebm4j, estimates its
 * held-out log-likelihood, saves it, loads it back and turns images into hidden features.
 *
 * <p>Arguments (all optional): output directory, epochs, AIS inverse temperatures.
 */
public final class QuickStart {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "quickstart"));
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int betas = args.length > 2 ? Integer.parseInt(args[2]) : 14_500;

        Dataset images = Mnist.embedded();          // 10,000 training images, pixels scaled to [0, 1]
        Dataset heldOut = images.slice(9_000, 10_000); // fit holds out the last 1,000 rows by default
        RbmOptions options = RbmOptions.builder()
                .hidden(64)                          // binarizes at 0.5, PCD-1, constant learning rate 0.05
                .epochs(epochs)
                .seed(42)
                .build();

        Path file = dir.resolve("rbm.ebm");
        try (Rbm rbm = Rbm.fit(images, options)) {  // the default backend: CUDA if a GPU is usable, else CPU
            double logZ = rbm.estimateLogPartition(new AisOptions(100, betas, 1)).logZ();
            System.out.printf("held-out log-likelihood: %.2f nats per image%n", rbm.logLikelihood(heldOut, logZ));
            rbm.save(file);                          // parameters, preprocessing and provenance, atomically
        }

        try (Rbm rbm = Rbm.load(file)) {
            Dataset features = rbm.transform(heldOut); // hidden probabilities, after the model's own binarization
            System.out.printf("features: %d x %d%n", features.rows(), features.cols());
            System.out.println("trained with: " + rbm.provenance().options());
        }
    }
}
