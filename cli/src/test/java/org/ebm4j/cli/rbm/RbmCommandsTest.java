package org.ebm4j.cli.rbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.ebm4j.cli.CliRun;
import org.ebm4j.data.Binarization;
import org.ebm4j.data.Mnist;
import org.ebm4j.io.Provenance;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.RbmModelFile;
import org.ebm4j.rbm.RbmOptions;
import org.ebm4j.rbm.TrainingMethod;
import org.ebm4j.tempering.TemperatureLadder;
import org.ebm4j.train.Optimizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** End-to-end runs of {@code ebm rbm train|eval|sample} on a slice of the embedded MNIST data. */
class RbmCommandsTest {
    @TempDir
    Path dir;

    @Test
    void trainEvalSampleRoundTrip() throws Exception {
        Path out = dir.resolve("run");
        CliRun train = CliRun.of("rbm", "train", "--limit", "600", "--holdout", "100", "--hidden", "12", "--epochs", "2",
                "--method", "cd", "--lr", "0.05", "--samples", "9", "--sample-steps", "20", "--out", out.toString(),
                "--json");
        assertEquals(0, train.exit(), train.toString());
        List<JsonNode> lines = train.events();
        assertEquals("start", lines.get(0).get("event").asText());
        assertEquals(500, lines.get(0).get("train_rows").asInt());
        assertEquals("epoch", lines.get(1).get("event").asText());
        assertEquals(2, lines.get(2).get("epoch").asInt());
        assertTrue(lines.get(2).get("pseudo_likelihood_heldout").asDouble() < 0);
        JsonNode done = train.last();
        assertEquals("done", done.get("event").asText());
        for (String key : new String[] {"model", "npz", "safetensors", "filters_png", "samples_png", "checkpoint"}) {
            assertTrue(Files.size(Path.of(done.get(key).asText())) > 0, key);
        }
        BufferedImage filters = ImageIO.read(out.resolve("filters.png").toFile());
        assertEquals((10 * 29 + 1) * 2, filters.getWidth(), "10 filters of 28x28 per row, 1-pixel borders, scale 2");
        BufferedImage samples = ImageIO.read(out.resolve("samples.png").toFile());
        assertEquals((3 * 29 + 1) * 2, samples.getWidth(), "9 samples in a 3x3 grid");
        RbmModelFile model = RbmModelFile.read(out.resolve("model.ebm"));
        assertEquals(12, model.parameters().hidden());
        assertEquals("cd", model.metadata().get("provenance.option.method"));
        assertEquals(Binarization.fixed(0.5f), model.binarization());

        CliRun eval = CliRun.of("rbm", "eval", "--model", out.resolve("model.ebm").toString(), "--limit", "300",
                "--json");
        assertEquals(0, eval.exit(), eval.toString());
        JsonNode e = eval.last();
        assertEquals("exact", e.get("log_z_method").asText());
        assertEquals("train", e.get("split").asText());
        assertEquals(300, e.get("rows").asInt());
        double ll = e.get("avg_log_likelihood").asDouble();
        assertTrue(ll < 0 && ll > -784 * Math.log(2), "log-likelihood " + ll + " between uniform and 0");
        assertTrue(e.get("recon_error").asDouble() > 0);

        CliRun ais = CliRun.of("rbm", "eval", "--model", out.resolve("model.ebm").toString(), "--limit", "300",
                "--logz", "ais", "--ais-runs", "16", "--ais-betas", "300", "--ais-weights-png",
                dir.resolve("w.png").toString(), "--json");
        assertEquals(0, ais.exit(), ais.toString());
        JsonNode a = ais.last();
        // The histogram is LogWeightsHistogram's chart (800 pixels wide), named in the evaluation event.
        assertEquals(dir.resolve("w.png").toString(), a.get("ais_weights_png").asText());
        assertEquals(800, javax.imageio.ImageIO.read(dir.resolve("w.png").toFile()).getWidth());
        CliRun.of("rbm", "eval", "--model", out.resolve("model.ebm").toString(), "--limit", "300",
                "--ais-weights-png", dir.resolve("x.png").toString()).assertFailed(2, "--ais-weights-png needs --logz ais");
        assertTrue(a.get("log_z_low").asDouble() <= a.get("log_z").asDouble());
        assertTrue(a.get("log_z_high").asDouble() >= a.get("log_z").asDouble());

        Path png = dir.resolve("s.png");
        CliRun sample = CliRun.of("rbm", "sample", "--model", out.resolve("model.ebm").toString(), "--chains", "4",
                "--steps", "5", "--out", png.toString(), "--json");
        assertEquals(0, sample.exit(), sample.toString());
        assertEquals(png.toString(), sample.last().get("out").asText());
        assertEquals((2 * 29 + 1) * 2, ImageIO.read(png.toFile()).getWidth());

        CliRun noTest = CliRun.of("rbm", "eval", "--model", out.resolve("model.ebm").toString(), "--split", "test");
        noTest.assertFailed(2, "--split test needs --data DIR with the t10k files; mnist-10k has no test split");

        // On the data it was trained on, eval takes the rows training held out (the last 100 of the 600), and says so.
        CliRun heldOut = CliRun.of("rbm", "eval", "--model", out.resolve("model.ebm").toString(), "--limit", "600",
                "--json");
        assertEquals(100, heldOut.assertSucceeded().last().get("rows").asInt(), heldOut.toString());
        assertEquals("rows 500-599 of 600 (held out by rbm train)", heldOut.last().get("rows_used").asText());
        CliRun all = CliRun.of("rbm", "eval", "--model", out.resolve("model.ebm").toString(), "--limit", "600",
                "--rows", "all", "--json");
        assertEquals(600, all.assertSucceeded().last().get("rows").asInt(), all.toString());

        CliRun human = CliRun.of("rbm", "eval", "--model", out.resolve("model.ebm").toString(), "--limit", "50");
        assertEquals(0, human.exit(), human.toString());
        assertTrue(human.out().contains("avg log likelihood:"), human.out());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "rbm train --hidden 0|--hidden: must be >= 1, found 0",
        "rbm train --momentum 1.5|--momentum: must lie in [0, 1), found 1.5",
        "rbm train --visible ternary|--visible: visible unit type must be bernoulli or gaussian, found 'ternary'",
        "rbm train --method sgd|--method: training method must be cd, pcd or pt, found 'sgd'",
        "rbm train --optimizer rmsprop|--optimizer: optimizer must be sgd or adam, found 'rmsprop'",
        "rbm train --replicas 1|--replicas must be >= 2 but was 1",
        "rbm train --betas 0.5,0.2|--betas: the first inverse temperature must be 1 (the model itself), found 0.5",
        "rbm sample --model x.ebm --method pt --replicas 3 --betas 1,0.5|--replicas: the inverse temperatures 1.0,0.5 are 2 replicas but 3 are asked for",
        "rbm train --lr-schedule cosine|--lr-schedule: learning-rate schedule must be constant",
        "rbm train --binarize maybe|--binarize: binarization must be none",
        "rbm train --lr -1|--lr: must be finite and > 0, found -1.0",
        "rbm train --batch 0|--batch: must be >= 1, found 0",
        "rbm train --data /nonexistent/dir|--data: '/nonexistent/dir' is no file or directory",
        "rbm train --holdout 20000|--holdout: a hold-out of 20000 rows leaves no training rows",
        "rbm train --resume --out /nonexistent/run|--resume: no checkpoint at",
        "rbm eval --model x.ebm --logz magic|--logz must be auto, exact or ais but was 'magic'",
        "rbm eval --model x.ebm --ais-betas 2|--ais-betas: must be >= 3, found 2",
        "rbm sample --model x.ebm --chains -3|--chains must be a positive integer but was -3",
        "rbm train --backend tpu|--backend must be one of [auto, cpu, cuda] but was 'tpu'"})
    void badFlagsAreUsageErrorsNamingTheFlag(String args, String message) {
        CliRun r = CliRun.of(args.split(" "));
        r.assertFailed(2, message);
    }

    /**
     * Parallel tempering with centering and Adam from the command line: the library's fit with the same
     * options trains the same model, the epochs report swap rates, the model carries its centering
     * offsets, and {@code rbm sample --method pt} draws from it and reports its swap rates.
     */
    @Test
    void temperedCenteredAdamTrainingAndTemperedSampling() throws Exception {
        Path out = dir.resolve("pt");
        CliRun train = CliRun.of("rbm", "train", "--limit", "300", "--holdout", "50", "--epochs", "1", "--hidden", "8",
                "--method", "pt", "--replicas", "3", "--betas", "geometric:0.3", "--chains", "10", "--centering",
                "--optimizer", "adam", "--lr", "0.01", "--samples", "4", "--sample-steps", "2", "--out",
                out.toString(), "--json");
        assertEquals(0, train.exit(), train.toString());
        JsonNode epoch = train.events("epoch").get(0);
        assertTrue(epoch.get("swap_rate_0").asDouble() >= 0 && epoch.has("swap_rate_1"), epoch.toString());
        RbmOptions options = RbmOptions.builder().hidden(8).holdout(50).epochs(1).method(TrainingMethod.PT)
                .replicas(3).betas(TemperatureLadder.geometric(0.3)).chains(10).centering(true)
                .optimizer(Optimizer.ADAM).learningRate(0.01).build();
        RbmModelFile saved = RbmModelFile.read(out.resolve("model.ebm"));
        try (Rbm rbm = Rbm.fit(Mnist.embedded().slice(0, 300), options)) {
            assertEquals(saved.parameters(), rbm.parameters(), "bit-identical weights and biases");
            assertArrayEquals(saved.centering().hidden(), rbm.centeredParameters().orElseThrow().hiddenOffset());
        }
        Path png = dir.resolve("pt.png");
        CliRun sample = CliRun.of("rbm", "sample", "--model", out.resolve("model.ebm").toString(), "--chains", "4",
                "--steps", "5", "--method", "pt", "--replicas", "4", "--png", png.toString(), "--json");
        assertEquals(0, sample.exit(), sample.toString());
        assertEquals(3, sample.events("swap_rates").get(0).get("swap_rates").size());
        assertEquals((2 * 29 + 1) * 2, ImageIO.read(png.toFile()).getWidth());
    }

    /** {@code Rbm.fit} with the options and seed of {@code ebm rbm train} trains the very model the command saves. */
    @Test
    void libraryFitGivesTheCommandsModelBitForBit() throws Exception {
        Path out = dir.resolve("parity");
        CliRun train = CliRun.of("rbm", "train", "--limit", "500", "--holdout", "100", "--epochs", "2", "--hidden", "16",
                "--samples", "4", "--sample-steps", "2", "--out", out.toString(), "--quiet");
        assertEquals(0, train.exit(), train.toString());
        RbmOptions options = RbmOptions.builder().hidden(16).holdout(100).epochs(2).build();
        try (Rbm rbm = Rbm.fit(Mnist.embedded().slice(0, 500), options)) {
            RbmModelFile saved = RbmModelFile.read(out.resolve("model.ebm"));
            assertEquals(saved.parameters(), rbm.parameters(), "bit-identical weights and biases");
            assertArrayEquals(saved.visibleMeans(), rbm.visibleMeans());
            Provenance p = Provenance.fromMetadata(saved.metadata());
            assertEquals(options, RbmOptions.fromMap(p.options()), "the command's defaults are the library's");
            assertEquals(rbm.provenance().options(), p.options());
            assertEquals(rbm.provenance().get("data.sha256"), p.get("data.sha256"));
            assertEquals(rbm.provenance().get("draw.rbm_sampling"), p.get("draw.rbm_sampling"));
        }
    }

    @Test
    void corruptModelFileIsAClearFailure() throws Exception {
        Path bad = dir.resolve("bad.ebm");
        Files.writeString(bad, "this is not a model");
        CliRun r = CliRun.of("rbm", "eval", "--model", bad.toString());
        r.assertFailed(1, "not an ebm4j model file: bad magic");
    }
}
