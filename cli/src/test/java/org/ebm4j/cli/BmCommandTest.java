package org.ebm4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.ebm4j.boltzmann.BarsAndStripes;
import org.ebm4j.boltzmann.BoltzmannMachine;
import org.ebm4j.boltzmann.BoltzmannOptions;
import org.ebm4j.boltzmann.UnitValues;
import org.ebm4j.io.ModelFile;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.ebm4j.train.Checkpointing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BmCommandTest {
    @TempDir
    Path dir;

    @Test
    void trainSampleAndEvaluateBarsAndStripes() throws Exception {
        Path model = dir.resolve("bas").resolve("model.ebm");
        Path png = dir.resolve("bas").resolve("samples.png");
        CliRun train = CliRun.of("bm", "train", "--side", "3", "--hidden", "2", "--epochs", "200", "--lr", "0.1",
                "--batch", "14", "--metrics-every", "100", "--samples", "200", "--out", dir.resolve("bas").toString(),
                "--json", "--seed", "3");
        assertEquals(0, train.exit(), train.toString());
        JsonNode start = train.last("start");
        assertEquals(9, start.get("visible").asInt());
        assertEquals(-Math.log(14), start.get("optimum_log_likelihood").asDouble(), 1e-12);
        List<JsonNode> epochs = train.events("epoch");
        assertEquals(2, epochs.size());
        assertEquals(100, epochs.get(0).get("epoch").asInt());
        JsonNode result = train.last("done");
        double ll = result.get("log_likelihood").asDouble();
        assertTrue(ll < -Math.log(14) + 1e-9 && ll > -9 * Math.log(2) + 0.5, "log-likelihood " + ll);
        assertTrue(result.get("exact_valid_mass").asDouble() > 14.0 / 512, result.toString());
        assertTrue(result.has("valid_fraction"));
        ModelFile saved = ModelFile.read(model);
        assertEquals("bm", saved.metadata().get("model"));
        assertEquals("9", saved.metadata().get("bm.visible"));
        assertEquals("2", saved.metadata().get("bm.hidden"));
        assertEquals("binary", saved.metadata().get("bm.units"));
        assertEquals("bars-and-stripes 3x3", saved.metadata().get("provenance.data.source"));
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(10 * (3 * 8 + 2) + 2, img.getWidth());

        CliRun eval = CliRun.of("bm", "eval", "--model", model.toString(), "--json");
        assertEquals(0, eval.exit(), eval.toString());
        assertEquals(ll, eval.last("evaluation").get("log_likelihood").asDouble(), 1e-9);

        Path samples = dir.resolve("s.csv");
        CliRun sample = CliRun.of("bm", "sample", "--model", model.toString(), "--chains", "25", "--steps", "20",
                "--anneal-from", "3", "--out", samples.toString(), "--png", dir.resolve("s.png").toString(), "--json");
        assertEquals(0, sample.exit(), sample.toString());
        JsonNode s = sample.last("samples");
        assertTrue(s.get("valid_fraction").asDouble() >= 0);
        assertTrue(s.get("schedule").asText().startsWith("geometric(3.0 -> 1.0"));
        assertEquals(25, Files.readAllLines(samples).size());
    }

    @Test
    void trainsOnACsvOfBinaryRowsWithSpinUnits() throws Exception {
        Path data = dir.resolve("d.csv");
        Files.writeString(data, "# three-bit even parity\na,b,c\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n");
        Path model = dir.resolve("m").resolve("model.ebm");
        CliRun train = CliRun.of("bm", "train", "--data", data.toString(), "--unit-values", "spin", "--hidden", "2",
                "--epochs", "60", "--batch", "4", "--metrics-every", "0", "--samples", "100", "--out",
                dir.resolve("m").toString(), "--json");
        assertEquals(0, train.exit(), train.toString());
        JsonNode r = train.last("done");
        assertEquals(-Math.log(4), r.get("optimum_log_likelihood").asDouble(), 1e-12);
        assertTrue(r.has("exact_data_mass") && r.has("data_match_fraction"), r.toString());
        assertEquals(1, train.events("epoch").size());
        CliRun eval = CliRun.of("bm", "eval", "--model", model.toString(), "--data", data.toString(), "--json");
        assertEquals(0, eval.exit(), eval.toString());
        assertEquals(r.get("log_likelihood").asDouble(), eval.last("evaluation").get("log_likelihood").asDouble(), 1e-9);
    }

    @Test
    void tooLargeForExactEvaluationTrainsWithoutItUnlessAskedFor() {
        CliRun run = CliRun.of("bm", "train", "--side", "5", "--hidden", "0", "--epochs", "1", "--samples", "10", "--json",
                "--out", dir.toString());
        assertEquals(0, run.exit(), run.toString());
        assertFalse(run.last("start").get("exact").asBoolean());
        assertFalse(run.last("done").has("log_likelihood"));
        CliRun asked = CliRun.of("bm", "train", "--side", "5", "--hidden", "0", "--epochs", "1", "--metrics-every", "1");
        asked.assertFailed(2, "--metrics-every needs at most 24 units for exact evaluation but the machine has 25");
    }


    @Test
    void aHopfieldFileIsNotABoltzmannMachine() throws Exception {
        Path patterns = dir.resolve("p.csv");
        Files.writeString(patterns, "1,0,1,0\n0,1,1,0\n");
        Path net = dir.resolve("h.ebm");
        assertEquals(0, CliRun.of("hopfield", "store", "--patterns", patterns.toString(), "--out", net.toString()).exit());
        CliRun run = CliRun.of("bm", "sample", "--model", net.toString());
        run.assertFailed(1, "holds a 'hopfield' model, expected a Boltzmann machine ('bm')");
    }

    /** Machines written by earlier versions (CSV network files) still sample and evaluate. */
    @Test
    void theCsvNetworkFileOfEarlierVersionsIsStillRead() throws Exception {
        Path old = dir.resolve("old.csv");
        StringBuilder sb = new StringBuilder("# ebm4j network kind=bm visible=4 hidden=1 values=binary data=bars-and-stripes "
                + "side=2 units=5\n");
        for (int i = 0; i <= 5; i++) {
            for (int j = 0; j < 5; j++) {
                sb.append(j > 0 ? "," : "").append(i < 5 && i != j ? 0.25 * ((i + j) % 3 - 1) : i == 5 ? -0.5 : 0.0);
            }
            sb.append('\n');
        }
        Files.writeString(old, sb);
        CliRun eval = CliRun.of("bm", "eval", "--model", old.toString(), "--json");
        assertEquals(0, eval.exit(), eval.toString());
        assertEquals(6, eval.last("evaluation").get("rows").asInt(), "bars-and-stripes 2x2, from the file's header");
        CliRun sample = CliRun.of("bm", "sample", "--model", old.toString(), "--chains", "5", "--json");
        assertEquals(0, sample.exit(), sample.toString());
        assertTrue(sample.last("samples").has("valid_fraction"));
    }

    /**
     * The command is flags, options and one library call: {@link BoltzmannMachine#fit} with the
     * options the flags stand for (including the defaults), on the same data and backend, gives
     * bit-identical parameters, and the saved machine's provenance holds those options.
     */
    @Test
    void theLibraryFitWithTheCommandsOptionsGivesTheSameMachine() throws Exception {
        Path model = dir.resolve("cli").resolve("model.ebm");
        CliRun train = CliRun.of("bm", "train", "--side", "3", "--hidden", "2", "--epochs", "30", "--lr", "0.1",
                "--batch", "4", "--metrics-every", "10", "--samples", "20", "--lr-schedule", "linear", "--seed", "5",
                "--out", dir.resolve("cli").toString());
        assertEquals(0, train.exit(), train.toString());
        BoltzmannOptions options = BoltzmannOptions.builder().hidden(2).epochs(30).learningRate(0.1).batchSize(4)
                .evalEvery(10).samples(20).lrDecay(BoltzmannOptions.LearningRateDecay.LINEAR).seed(5).build();
        try (Backend backend = Backends.select(Backends.requestedName()).backend();
             BoltzmannMachine library = BoltzmannMachine.fit(backend, BarsAndStripes.dataset(3, UnitValues.BINARY), options,
                     Checkpointing.none());
             BoltzmannMachine cli = BoltzmannMachine.load(model, backend)) {
            assertArrayEquals(library.couplings().weightsToHost(), cli.couplings().weightsToHost());
            assertArrayEquals(library.couplings().biasToHost(), cli.couplings().biasToHost());
            assertEquals(options.toBuilder().visible(9).build(), BoltzmannOptions.fromMap(cli.provenance().options()));
            assertEquals(library.provenance().get("data.sha256"), cli.provenance().get("data.sha256"));
        }
    }

    /**
     * The optimizer and safety flags reach the options the model records; a rate whose first update
     * explodes is a usage error of {@code --lr}, found before any epoch, and leaves no run directory.
     */
    @Test
    void optimizerAndSafetyFlagsReachTheOptionsAndAnExplodingRateIsRefused() throws Exception {
        Path out = dir.resolve("adam");
        CliRun train = CliRun.of("bm", "train", "--side", "3", "--hidden", "2", "--epochs", "3", "--optimizer", "adam",
                "--patience", "2", "--max-rollbacks", "1", "--metrics-every", "1", "--samples", "0", "--out",
                out.toString(), "--json");
        assertEquals(0, train.exit(), train.toString());
        BoltzmannOptions saved;
        try (Backend backend = Backends.select(Backends.requestedName()).backend();
             BoltzmannMachine cli = BoltzmannMachine.load(out.resolve("model.ebm"), backend)) {
            saved = BoltzmannOptions.fromMap(cli.provenance().options());
        }
        assertEquals(org.ebm4j.train.Optimizer.ADAM, saved.optimizer());
        assertEquals(2, saved.patience());
        assertEquals(1, saved.maxRollbacks());

        Path refused = dir.resolve("refused");
        CliRun huge = CliRun.of("bm", "train", "--side", "3", "--hidden", "2", "--epochs", "3", "--lr", "1e8",
                "--samples", "0", "--out", refused.toString());
        huge.assertFailed(2, "--lr: the first update at this learning rate explodes (the largest magnitude in W grew");
        assertFalse(Files.exists(refused), "nothing written");
    }

    /** The old spellings still work for one release, each with one deprecation line on stderr. */
    @Test
    void oldSpellingsWorkWithADeprecationLine() {
        CliRun run = CliRun.of("bm", "train", "--side", "2", "--hidden", "1", "--epochs", "1", "--samples", "0",
                "--units", "spin", "--lr-decay", "none", "--eval-every", "1", "--init-stddev", "0.02", "--chains", "5",
                "--sample-sweeps", "3", "--out", dir.resolve("old").toString(), "--json");
        run.assertSucceeded();
        for (String old : new String[] {"--units", "--lr-decay", "--eval-every", "--init-stddev", "--chains",
            "--sample-sweeps"}) {
            assertTrue(run.err().contains("warning: " + old + " is deprecated"), run.err());
        }
        CliRun eval = CliRun.of("bm", "evaluate", "--model", dir.resolve("old").resolve("model.ebm").toString(), "--json");
        eval.assertSucceeded();
        assertTrue(eval.err().contains("ebm bm evaluate is deprecated and goes in the next release; use ebm bm eval"),
                eval.err());
    }
}
