package org.ebm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.ebm4j.data.CsvReader;
import org.ebm4j.data.Dataset;
import org.ebm4j.energy.DataMoments;
import org.ebm4j.energy.EnergyModel;
import org.ebm4j.energy.EnergyNetwork;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Activation;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StructuredCommandsTest {

    @Test
    void fillWritesWhatTheLibraryCallReturns(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.ebm");
        Path partial = dir.resolve("partial.csv");
        Path filled = dir.resolve("filled.csv");
        Files.writeString(partial, "a,b,c\n0.5,,-1\nNA,1.5,0.3\n2,-0.7,0.1\n");
        Dataset expected;
        try (Backend b = Backends.select("cpu").backend()) {
            EnergyNetwork net = new EnergyNetwork(b, 3, List.of(new EnergyNetwork.Layer(4, Activation.SOFTPLUS)), 0.5);
            net.initialize(StreamId.ENERGY_INIT.open(6), 2.0, 0.5);
            try (EnergyModel m = EnergyModel.of(net, new DataMoments(new double[] {0.2, -0.1, 0.4}, 1))) {
                m.save(model);
                expected = m.fillMissing(new CsvReader().withMissingValues().read(partial),
                        EnergyModel.fillOptions().toBuilder().chains(3).warmup(20).draws(10).seed(5).build());
            }
        }
        CliRun r = CliRun.of("energy", "fill", "--backend", "cpu", "--model", model.toString(), "--data",
                partial.toString(), "--out", filled.toString(), "--chains", "3", "--warmup", "20", "--draws", "10", "--seed",
                "5", "--json")
                .assertSucceeded();
        JsonNode e = r.events().get(0);
        assertEquals("filled", e.get("event").asText());
        assertEquals(2, e.get("missing").asInt());
        Dataset back = new CsvReader().read(filled);
        assertEquals(3, back.rows());
        float[] v = back.values();
        for (int i = 0; i < v.length; i++) {
            assertEquals(expected.values()[i], v[i], 0, "entry " + i);
        }
        CliRun.of("energy", "fill", "--model", model.toString(), "--data", partial.toString(), "--out",
                filled.toString(), "--draws", "0").assertFailed(2, "--draws: must be >= 1, found 0");
    }

    @Test
    void hmcSampleRunsRandomWalkMetropolisToo() {
        JsonNode r = CliRun.of("hmc", "sample", "--backend", "cpu", "--sampler", "rwm", "--dim", "3", "--chains", "4",
                "--warmup", "50", "--draws", "40", "--target-accept", "0.3", "--json").assertSucceeded().events().get(0);
        assertEquals("rwm", r.get("sampler").asText());
        assertTrue(r.toString().contains("acceptance"), r.toString());
        CliRun.of("hmc", "sample", "--sampler", "gibbs").assertFailed(2, "--sampler must be hmc or rwm");
    }

    @Test
    void conditionalTrainLearnsDigitsAndSavesALoadableModel(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("model.ebm");
        List<JsonNode> events = CliRun.of("conditional", "train", "--backend", "cpu", "--limit", "700", "--held-out",
                "200", "--epochs", "3", "--layers", "16:softplus", "--lr", "0.05", "--loss", "hinge", "--json",
                "--out", dir.toString()).assertSucceeded().events();
        assertEquals("epoch", events.get(0).get("event").asText());
        JsonNode done = events.get(events.size() - 1);
        assertEquals("done", done.get("event").asText());
        // Chance is 0.9 for ten digits; 500 training images put a learned classifier far below it (the
        // binomial sd of an error rate on 200 images is at most 0.035).
        double error = done.get("test_error").asDouble();
        assertTrue(error < 0.5, "held-out error " + error);
        // The learning curve is LearningCurve's chart (800 pixels wide), named in the done event.
        Path curve = dir.resolve("learning-curve.png");
        assertEquals(curve.toString(), done.get("learning_curve_png").asText());
        assertEquals(800, ImageIO.read(curve.toFile()).getWidth());
        try (Backend b = Backends.select("cpu").backend();
             org.ebm4j.conditional.ConditionalModel m = org.ebm4j.conditional.ConditionalModel.load(model, b)) {
            assertEquals(10, m.energy().answers());
            assertEquals("hinge", m.provenance().options().get("loss"));
        }
        CliRun.of("conditional", "train", "--loss", "ml").assertFailed(2, "--loss: must be one of");
    }

    @Test
    void chainTrainReportsBothDecodersAndSavesTheModelThatGaveThem(@TempDir Path dir) throws Exception {
        List<JsonNode> events = CliRun.of("chain", "train", "--backend", "cpu", "--limit", "700", "--held-out", "200",
                "--sequences", "40", "--test-sequences", "20", "--length", "5", "--batch", "10", "--epochs", "2",
                "--layers", "8:softplus", "--seed", "4", "--json", "--out", dir.toString()).assertSucceeded().events();
        assertEquals("epoch", events.get(0).get("event").asText());
        JsonNode done = events.get(events.size() - 1);
        assertEquals("done", done.get("event").asText());
        // The saved model decodes the same held-out sequences (redrawn from the stated recipe) to the same accuracy.
        org.ebm4j.structured.Sequences test = org.ebm4j.structured.GrammarSequences.draw(
                org.ebm4j.data.Mnist.embedded().slice(500, 700), 10, 20, 5, 0.8, 5);
        try (Backend b = Backends.select("cpu").backend();
             org.ebm4j.structured.ChainModel m = org.ebm4j.structured.ChainModel.load(dir.resolve("model.ebm"), b)) {
            org.ebm4j.structured.ChainModel.Accuracy viterbi = org.ebm4j.structured.ChainModel.accuracy(test,
                    m.decode(test));
            assertEquals(viterbi.perPosition(), done.get("viterbi_digit_accuracy").asDouble(), 0);
            assertEquals(viterbi.wholeSequence(), done.get("viterbi_sequence_accuracy").asDouble(), 0);
            assertEquals("perceptron", m.provenance().options().get("loss"));
        }
        CliRun.of("chain", "train", "--loss", "log").assertFailed(2, "unknown chain loss 'log'");
        CliRun.of("chain", "train", "--follow", "1.5").assertFailed(2, "--follow must lie in [0, 1]");
        CliRun.of("chain", "train", "--limit", "300", "--held-out", "100", "--sequences", "5", "--holdout", "5")
                .assertFailed(2, "a hold-out of 5 sequences leaves no training sequences");
    }

    @Test
    void chainEvalCountsWhatTheDecodersOfTheSavedModelGet(@TempDir Path dir) throws Exception {
        String[] sequences = {"--limit", "600", "--held-out", "200", "--test-sequences", "15", "--length", "4",
                "--seed", "3"};
        JsonNode trained = CliRun.of(concat(new String[] {"chain", "train", "--backend", "cpu", "--sequences", "30",
                "--batch", "10", "--epochs", "2", "--layers", "8:softplus", "--json", "--quiet", "--out",
                dir.toString()}, sequences)).assertSucceeded().last("done");
        Path model = dir.resolve("model.ebm");
        JsonNode eval = CliRun.of(concat(new String[] {"chain", "eval", "--backend", "cpu", "--model", model.toString(),
                "--json"}, sequences)).assertSucceeded().last("done");
        assertEquals(15, eval.get("test_sequences").asInt());
        // The test sequences as the flags define them (last 200 of the first 600 images, seed + 1), decoded
        // sequence by sequence from the model's own factors and counted here.
        org.ebm4j.structured.Sequences test = org.ebm4j.structured.GrammarSequences.draw(
                org.ebm4j.data.Mnist.embedded().slice(400, 600), 10, 15, 4, 0.8, 4);
        int[] truth = test.positions().labels();
        int[] right = new int[2];
        int[] whole = new int[2];
        try (Backend b = Backends.select("cpu").backend();
             org.ebm4j.structured.ChainModel m = org.ebm4j.structured.ChainModel.load(model, b);
             org.ebm4j.tensor.Tensor x = test.positions().toTensor(b)) {
            double[] u = m.chain().unary().energies(x);
            double[] pair = m.chain().pairFactors();
            for (int s = 0; s < 15; s++) {
                double[] us = java.util.Arrays.copyOfRange(u, s * 4 * 10, (s + 1) * 4 * 10);
                int[][] decodings = {independent(us), org.ebm4j.structured.ChainInference.viterbi(us, pair, 10)};
                for (int d = 0; d < 2; d++) {
                    boolean all = true;
                    for (int t = 0; t < 4; t++) {
                        boolean ok = decodings[d][t] == truth[s * 4 + t];
                        right[d] += ok ? 1 : 0;
                        all &= ok;
                    }
                    whole[d] += all ? 1 : 0;
                }
            }
        }
        String[] decoders = {"independent", "viterbi"};
        for (int d = 0; d < 2; d++) {
            assertEquals(right[d] / 60.0, eval.get(decoders[d] + "_digit_accuracy").asDouble(), 1e-12, decoders[d]);
            assertEquals(whole[d] / 15.0, eval.get(decoders[d] + "_sequence_accuracy").asDouble(), 1e-12, decoders[d]);
            // Same flags, same sequences: the training run's report agrees with the saved model's evaluation.
            assertEquals(trained.get(decoders[d] + "_digit_accuracy").asDouble(),
                    eval.get(decoders[d] + "_digit_accuracy").asDouble(), 0, decoders[d]);
        }
        // Digit images of 5 x 5 pixels (every label present) against a model of 28 x 28 inputs.
        Path images = dir.resolve("small-images-idx3-ubyte");
        CliRun.writeIdx(images, 0x803, new int[] {20, 5, 5}, new byte[20 * 25]);
        byte[] labels = new byte[20];
        for (int i = 0; i < 20; i++) {
            labels[i] = (byte) (i % 10);
        }
        CliRun.writeIdx(dir.resolve("small-labels-idx1-ubyte"), 0x801, new int[] {20}, labels);
        CliRun bad = CliRun.of("chain", "eval", "--backend", "cpu", "--model", model.toString(), "--data",
                images.toString(), "--held-out", "10", "--test-sequences", "2", "--length", "3")
                .assertFailed(1, images.toString(), "25 columns", "784 inputs");
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
    }

    @Test
    void chainTrainResumedAfterTheFirstEpochEndsWhereTheUninterruptedRunDoes(@TempDir Path dir) throws Exception {
        String[] flags = {"chain", "train", "--backend", "cpu", "--limit", "500", "--held-out", "100", "--sequences",
                "20", "--test-sequences", "5", "--length", "3", "--batch", "10", "--epochs", "2", "--layers",
                "4:softplus", "--seed", "6", "--json", "--quiet", "--out"};
        Path straight = dir.resolve("straight");
        CliRun.of(concat(flags, new String[] {straight.toString()})).assertSucceeded();
        // The checkpoint a run with these flags leaves when it stops after its first epoch: the same
        // options (read from the finished run) on the same training sequences (first 400 images, seed 6).
        Path stopped = dir.resolve("stopped");
        Files.createDirectories(stopped);
        org.ebm4j.conditional.ConditionalOptions options = org.ebm4j.structured.ChainModel.readOptions(
                straight.resolve("model.ebm"));
        org.ebm4j.structured.Sequences train = org.ebm4j.structured.GrammarSequences.draw(
                org.ebm4j.data.Mnist.embedded().slice(0, 400), 10, 20, 3, 0.8, 6);
        try (Backend b = Backends.select("cpu").backend()) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> org.ebm4j.structured.ChainModel.fit(b, train, 10, options,
                            org.ebm4j.train.Checkpointing.every(stopped.resolve("checkpoint.ebm"), 1),
                            new org.ebm4j.train.TrainingListener() {
                                @Override
                                public void onReport(org.ebm4j.train.EpochReport r) {
                                    throw new IllegalStateException("stopped after epoch " + r.epoch());
                                }
                            }));
        }
        JsonNode done = CliRun.of(concat(flags, new String[] {stopped.toString(), "--resume"})).assertSucceeded()
                .last("done");
        assertTrue(done.get("resume").asBoolean());
        try (Backend b = Backends.select("cpu").backend();
             org.ebm4j.structured.ChainModel a = org.ebm4j.structured.ChainModel.load(straight.resolve("model.ebm"), b);
             org.ebm4j.structured.ChainModel c = org.ebm4j.structured.ChainModel.load(stopped.resolve("model.ebm"), b)) {
            for (int i = 0; i < a.chain().parameters().size(); i++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(a.chain().parameters().get(i).toArray(),
                        c.chain().parameters().get(i).toArray(), a.chain().parameterNames().get(i));
            }
        }
        CliRun.of(concat(flags, new String[] {stopped.toString(), "--resume", "--lr", "0.3"}))
                .assertFailed(2, "--resume: --lr gives learning_rate=0.3");
        CliRun.of("chain", "train", "--resume", "--out", dir.resolve("none").toString())
                .assertFailed(2, "--resume: no checkpoint at");
    }

    // Each position's least-energy label, from energies K = 10 per position.
    private static int[] independent(double[] u) {
        int[] y = new int[u.length / 10];
        for (int t = 0; t < y.length; t++) {
            for (int k = 1; k < 10; k++) {
                y[t] = u[t * 10 + k] < u[t * 10 + y[t]] ? k : y[t];
            }
        }
        return y;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
