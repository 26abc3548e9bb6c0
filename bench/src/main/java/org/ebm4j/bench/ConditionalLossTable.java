package org.ebm4j.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ebm4j.conditional.ConditionalModel;
import org.ebm4j.conditional.ConditionalOptions;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.Mnist;
import org.ebm4j.energy.loss.ContrastiveLosses;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.ebm4j.train.Checkpointing;

/**
 * MNIST digits classified by a conditional energy {@code F(x, y)} trained with each loss of LeCun's
 * table in turn (same network, data, seed and epochs), printed as a Markdown table of held-out errors.
 * The first {@code rows} embedded MNIST images are used, the last {@code heldOut} of them for testing.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp ... org.ebm4j.bench.ConditionalLossTable \
 *       [--rows 10000] [--held-out 2000] [--epochs 5] [--layers 64:softplus] [--losses hinge,nll,...]
 * </pre>
 */
public final class ConditionalLossTable {
    private ConditionalLossTable() {
    }

    public static void main(String[] args) throws IOException {
        int rows = 10_000;
        int heldOut = 2_000;
        int epochs = 5;
        String layers = "64:softplus";
        List<String> losses = new ArrayList<>(ContrastiveLosses.NAMES.subList(1, ContrastiveLosses.NAMES.size()));
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--rows" -> rows = Integer.parseInt(args[i + 1]);
                case "--held-out" -> heldOut = Integer.parseInt(args[i + 1]);
                case "--epochs" -> epochs = Integer.parseInt(args[i + 1]);
                case "--layers" -> layers = args[i + 1];
                case "--losses" -> losses = List.of(args[i + 1].split(","));
                default -> throw new IllegalArgumentException("unknown flag " + args[i]
                        + "; expected --rows, --held-out, --epochs, --layers or --losses");
            }
        }
        Dataset all = Mnist.embedded();
        rows = Math.min(rows, all.rows());
        Dataset train = all.slice(0, rows - heldOut);
        Dataset test = all.slice(rows - heldOut, rows);
        System.out.println("| loss | held-out error | train seconds |");
        System.out.println("|------|---------------:|--------------:|");
        try (Backend backend = Backends.get()) {
            for (String loss : losses) {
                // The momentum and weight decay of the table in docs/structured.md, set here so that it stays
                // reproducible whatever the library's defaults are.
                ConditionalOptions o = ConditionalOptions.builder().loss(loss).layers(layers).epochs(epochs)
                        .momentum(0.9).weightDecay(1e-4).build();
                long start = System.nanoTime();
                try (ConditionalModel m = ConditionalModel.fit(backend, train, 10, o, Checkpointing.none())) {
                    double seconds = (System.nanoTime() - start) * 1e-9;
                    System.out.println(String.format(Locale.ROOT, "| %s | %.4f | %.1f |", loss, m.errorRate(test),
                            seconds));
                } catch (IllegalStateException e) {
                    System.out.println("| " + loss + " | diverged: " + e.getMessage() + " | |");
                }
            }
        }
    }
}
