package org.ebm4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.ebm4j.data.CsvReader;
import org.ebm4j.energy.EnergyModel;
import org.ebm4j.energy.EnergyOptions;
import org.ebm4j.energy.NegativeSampling;
import org.ebm4j.energy.demo.ClusterGrid;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.Optimizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end runs of {@code ebm hmc sample} and {@code ebm energy train} on the CPU backend, kept small. */
class HmcAndEbmCommandsTest {
    /** Runs {@code ebm args...}, which must succeed, and returns its JSON lines. */
    static List<JsonNode> run(String... args) {
        return CliRun.of(args).assertSucceeded().events();
    }

    @Test
    void hmcSampleReportsDiagnosticsForAGaussian(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("draws.csv");
        Path png = dir.resolve("draws.png");
        List<JsonNode> out = run("hmc", "sample", "--backend", "cpu", "--dim", "6", "--chains", "4", "--warmup", "200",
                "--draws", "300", "--seed", "3", "--json", "--out", csv.toString(), "--png", png.toString());
        assertEquals(1, out.size());
        JsonNode r = out.get(0);
        assertEquals("done", r.get("event").asText());
        assertEquals(6, r.get("rhat").size());
        assertTrue(r.get("max_rhat").asDouble() < 1.05, r.toString());
        assertTrue(r.get("min_ess").asDouble() > 100, r.toString());
        assertEquals(0, r.get("divergences").asLong());
        // 12 estimates (6 means, 6 variances): beyond 5 MCSE would be a bug, not chance.
        assertTrue(r.get("max_mean_error_in_mcse").asDouble() < 5, r.toString());
        assertTrue(r.get("max_variance_error_in_mcse").asDouble() < 5, r.toString());
        assertEquals(1 + 4 * 300, Files.readAllLines(csv).size());
        assertEquals(640, ImageIO.read(png.toFile()).getWidth());
    }

    @Test
    void anAbsurdFixedStepIsReportedDivergent() throws Exception {
        JsonNode r = run("hmc", "sample", "--backend", "cpu", "--dim", "4", "--chains", "2", "--warmup", "0", "--draws",
                "5", "--no-adapt", "--step-size", "1000", "--jitter", "0", "--json", "--quiet").get(0);
        assertEquals("done", r.get("event").asText());
        assertEquals(10, r.get("divergences").asLong());
        assertEquals(0.0, r.get("accepted_fraction").asDouble());
    }

    @Test
    void energyTrainSavesAModelThatHmcSampleCanUse(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("squares").resolve("model.ebm");
        Path png = dir.resolve("squares").resolve("landscape.png");
        List<JsonNode> out = run("energy", "train", "--backend", "cpu", "--data", "four-squares", "--points", "200",
                "--iterations", "20", "--batch", "50", "--layers", "8:softplus", "--fantasies", "40", "--fantasy-warmup",
                "20", "--fantasy-draws", "5", "--seed", "2", "--json", "--out", dir.resolve("squares").toString());
        JsonNode last = out.get(out.size() - 1);
        assertEquals("update", out.get(0).get("event").asText());
        assertEquals("done", last.get("event").asText());
        assertTrue(Files.size(dir.resolve("squares").resolve("learning-curve.png")) > 0);
        double inside = last.get("fantasy_fraction_inside_squares").asDouble();
        assertTrue(inside >= 0 && inside <= 1, last.toString());
        assertEquals(1.0, last.get("data_fraction_inside_squares").asDouble());
        assertTrue(Files.size(model) > 0);
        assertEquals(640, ImageIO.read(png.toFile()).getHeight());
        JsonNode s = run("hmc", "sample", "--backend", "cpu", "--model", model.toString(), "--chains", "4", "--warmup",
                "30", "--draws", "20", "--json", "--png", dir.resolve("model.png").toString()).get(0);
        assertTrue(s.get("target").asText().startsWith("model "), s.toString());
        assertEquals(2, s.get("dim").asInt());
    }

    @Test
    void ebmTrainOnACsvWithAnotherLoss(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("data.csv");
        StringBuilder sb = new StringBuilder("a,b,c\n");
        for (int i = 0; i < 60; i++) {
            sb.append(Math.sin(i)).append(',').append(Math.cos(i)).append(',').append(0.1 * (i % 7)).append('\n');
        }
        Files.writeString(csv, sb.toString());
        List<JsonNode> out = run("energy", "train", "--backend", "cpu", "--data", csv.toString(), "--loss", "hinge",
                "--negatives", "persistent", "--negatives-per-example", "2", "--iterations", "10", "--batch", "20",
                "--layers", "6:fas", "--fantasies", "10", "--fantasy-warmup", "10", "--fantasy-draws", "4", "--json",
                "--quiet", "--out", dir.toString());
        JsonNode last = out.get(out.size() - 1);
        assertEquals(60, last.get("points").asInt());
        assertEquals(3, last.get("fantasy_mean").size());
    }

    @Test
    void clusterGridReportsTheMissingCell(@TempDir Path dir) throws Exception {
        List<JsonNode> out = run("energy", "train", "--backend", "cpu", "--data", "cluster-grid", "--points", "240",
                "--iterations", "10", "--batch", "60", "--experts", "4", "--fantasies", "30", "--fantasy-warmup", "10",
                "--fantasy-draws", "4", "--json", "--quiet", "--out", dir.toString());
        JsonNode r = out.get(out.size() - 1);
        assertEquals("unigauss", r.get("energy").asText());
        assertEquals(25, r.get("fantasy_counts_per_cell").size());
        assertTrue(r.has("missing_cell_share"), r.toString());
    }

    static void assertSameModel(EnergyModel a, EnergyModel b) {
        List<String> names = a.energyFunction().parameterNames();
        assertEquals(names, b.energyFunction().parameterNames());
        for (int i = 0; i < names.size(); i++) {
            assertArrayEquals(a.energyFunction().parameters().get(i).toArray(),
                    b.energyFunction().parameters().get(i).toArray(), names.get(i));
        }
        assertEquals(a.provenance().options(), b.provenance().options());
    }

    @Test
    void theLibraryFitWithTheCommandsOptionsGivesItsModelBitForBit(@TempDir Path dir) throws Exception {
        Path saved = dir.resolve("grid.ebm");
        CliRun old = CliRun.of("ebm", "train", "--backend", "cpu", "--demo", "cluster-grid", "--points", "240",
                "--iterations", "12", "--batch", "60", "--experts", "4", "--fantasies", "5", "--fantasy-warmup", "2",
                "--fantasy-draws", "4", "--seed", "3", "--json", "--quiet", "--save", saved.toString(), "--out",
                dir.toString()).assertSucceeded();
        // The old spellings still run, each saying once on stderr what replaces it.
        for (String line : new String[] {"ebm ebm train is deprecated", "--demo is deprecated", "--save FILE is deprecated"}) {
            assertTrue(old.err().contains(line), old.err());
        }
        // The cluster-grid preset (uni-gauss, sign update, lr 0.01, no weight decay) and the flags given.
        EnergyOptions options = EnergyOptions.builder().model(EnergyOptions.Model.UNIGAUSS).experts(4)
                .update(EnergyOptions.Update.SIGN).learningRate(0.01).weightDecay(0).batchSize(60).updates(12).seed(3)
                .build();
        try (Backend cpu = Backends.select("cpu").backend();
             EnergyModel library = EnergyModel.fit(cpu, ClusterGrid.dataset(240, 1, 3, 3), options, Checkpointing.none());
             EnergyModel command = EnergyModel.load(saved, cpu)) {
            assertSameModel(library, command);
            assertEquals(new java.util.TreeMap<>(options.toMap()), command.provenance().options());
        }
    }

    @Test
    void theLibraryFitOnACsvWithEveryTrainingFlagGivesTheCommandsModel(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("data.csv");
        StringBuilder sb = new StringBuilder("a,b\n");
        for (int i = 0; i < 50; i++) {
            // Every ninth row lacks its second entry: the run trains with missing inputs.
            sb.append(Math.sin(0.7 * i)).append(',').append(i % 9 == 4 ? "NA" : Double.toString(Math.cos(1.3 * i)))
                    .append('\n');
        }
        Files.writeString(csv, sb.toString());
        Path saved = dir.resolve("run").resolve("model.ebm");
        List<JsonNode> out = run("energy", "train", "--backend", "cpu", "--data", csv.toString(), "--out",
                dir.resolve("run").toString(), "--allow-missing", "--fill-trajectories", "3",
                "--layers", "5:fas,3:softplus",
                "--visible-precision", "0.1", "--weight-scale", "1.5", "--initial-scale", "0.2", "--loss", "nll",
                "--loss-scale", "2", "--negatives", "persistent", "--negatives-per-example", "2", "--leapfrog-steps", "5",
                "--trajectories", "2", "--step-size", "0.03", "--target-accept", "0.8", "--no-metropolis", "--lr", "0.02",
                "--momentum", "0.5", "--weight-decay", "0.001", "--clip", "5", "--batch", "20", "--iterations", "7",
                "--fantasies", "4", "--fantasy-warmup", "2", "--fantasy-draws", "4", "--seed", "8", "--json", "--quiet");
        EnergyOptions options = EnergyOptions.builder().layers("5:fas,3:softplus").visiblePrecision(0.1).weightScale(1.5)
                .initialScale(0.2).loss("nll").lossScale(2).negatives(NegativeSampling.PERSISTENT).negativesPerExample(2)
                .leapfrogSteps(5).trajectories(2).stepSize(0.03).targetAccept(0.8).metropolis(false).learningRate(0.02)
                .fillTrajectories(3).momentum(0.5).weightDecay(0.001).maxGradientNorm(5).batchSize(20).updates(7).seed(8)
                .build();
        assertEquals(6, out.get(out.size() - 1).get("missing_entries").asInt());
        try (Backend cpu = Backends.select("cpu").backend();
             EnergyModel library = EnergyModel.fit(cpu, new CsvReader().withMissingValues().read(csv), options,
                     Checkpointing.none());
             EnergyModel command = EnergyModel.load(saved, cpu)) {
            assertSameModel(library, command);
            assertEquals(csv.toString(), command.provenance().get("data.source"));
        }
        CliRun.of("energy", "train", "--data", csv.toString(), "--out", dir.resolve("refused").toString())
                .assertFailed(2, "'NA' is not a number", "give --allow-missing");
        CliRun.of("energy", "train", "--data", "four-squares", "--allow-missing", "--out", dir.resolve("demo").toString())
                .assertFailed(2, "--allow-missing needs --data FILE");
    }

    /**
     * The training-safety flags and --holdout reach the options: the command with them and the library fit with
     * the same options built by hand give the same model bit for bit, and the command prints the held-out score
     * of every epoch (and the early stop where patience ends the run).
     */
    @Test
    void heldOutRowsAndTrainingSafetyFlagsReachTheLibrary(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("ring.csv");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            double a = 2 * Math.PI * ((i * 0.618034) % 1.0);
            sb.append(Math.cos(a) * (1 + 0.1 * Math.sin(5.0 * i))).append(',').append(Math.sin(a)).append('\n');
        }
        Files.writeString(csv, sb.toString());
        Path run = dir.resolve("run");
        CliRun command = CliRun.of("energy", "train", "--backend", "cpu", "--data", csv.toString(), "--out",
                run.toString(), "--layers", "6:softplus", "--holdout", "15", "--optimizer", "adam", "--patience", "2",
                "--max-rollbacks", "1", "--lr", "0.05", "--batch", "15", "--iterations", "60", "--fantasies", "4",
                "--fantasy-warmup", "2", "--fantasy-draws", "4", "--seed", "8", "--json", "--quiet").assertSucceeded();
        EnergyOptions options = EnergyOptions.builder().layers("6:softplus").holdout(15).optimizer(Optimizer.ADAM)
                .patience(2).maxRollbacks(1).learningRate(0.05).batchSize(15).updates(60).seed(8).build();
        List<JsonNode> epochs = command.events("epoch");
        assertTrue(!epochs.isEmpty() && epochs.stream().allMatch(e -> e.has(EnergyModel.HELDOUT_METRIC)),
                epochs.toString());
        try (Backend cpu = Backends.select("cpu").backend();
             EnergyModel library = EnergyModel.fit(cpu, new CsvReader().read(csv), options, Checkpointing.none());
             EnergyModel saved = EnergyModel.load(run.resolve("model.ebm"), cpu)) {
            assertSameModel(library, saved);
        }
    }
}
