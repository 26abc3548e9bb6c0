package org.ebm4j.cli.dbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.ebm4j.cli.CliRun;
import org.ebm4j.data.CsvReader;
import org.ebm4j.data.Dataset;
import org.ebm4j.dbm.Dbm;
import org.ebm4j.dbm.DbmModelFile;
import org.ebm4j.dbm.DbmOptions;
import org.ebm4j.io.Provenance;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.ebm4j.train.Checkpointing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ebm dbm train|eval|sample} end to end: a tiny DBM on a CSV file, and a small one on embedded MNIST. */
class DbmCommandsTest {
    /** 200 rows of 6 pixels: {@code 111000} or {@code 000111}, each pixel flipped with probability 0.05. */
    private static Path modesCsv(Path dir) throws Exception {
        SplittableRandom r = new SplittableRandom(1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            boolean left = r.nextBoolean();
            for (int j = 0; j < 6; j++) {
                boolean on = (j < 3) == left ^ r.nextDouble() < 0.05;
                sb.append(j > 0 ? "," : "").append(on ? 1 : 0);
            }
            sb.append('\n');
        }
        Path csv = dir.resolve("modes.csv");
        Files.writeString(csv, sb.toString());
        return csv;
    }

    /** {@code ebm dbm train} of a 4-3 DBM on {@code csv} into {@code out} (batch 20, 20 chains, init std 0.1) with {@code flags}. */
    private static CliRun trainTiny(Path csv, Path out, String... flags) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("dbm", "train", "--data",
                csv.toString(), "--layers", "4,3", "--binarize", "none", "--batch", "20", "--persistent-chains", "20",
                "--init-std", "0.1", "--samples", "4", "--backend", "cpu", "--out", out.toString(), "--json", "-q"));
        args.addAll(java.util.List.of(flags));
        return CliRun.of(args.toArray(String[]::new)).assertSucceeded();
    }

    /** The model the command saved in {@code out} has the parameters of the library's fit on {@code csv} with {@code options}. */
    private static void assertLibraryFitGivesTheSavedModel(Path csv, Path out, DbmOptions options) throws Exception {
        DbmModelFile file = DbmModelFile.read(out.resolve("model.ebm"));
        assertEquals(options, DbmOptions.fromMap(Provenance.fromMetadata(file.metadata()).options()));
        Dataset data = new CsvReader(',', CsvReader.Header.AUTO).read(csv);
        try (Backend b = Backends.select("cpu").backend(); Dbm lib = Dbm.fit(b, data, options, Checkpointing.none())) {
            assertEquals(lib.parameters(), file.parameters());
        }
    }

    @Test
    void tinyDbmTrainsAsTheLibraryCallAndEvaluatesExactly(@TempDir Path dir) throws Exception {
        Path csv = modesCsv(dir);
        Path out = dir.resolve("run");
        CliRun train = trainTiny(csv, out, "--pretrain-epochs", "5", "--pretrain-lr", "0.1", "--epochs", "20", "--lr",
                "0.05", "--seed", "3", "--sample-steps", "5");
        assertEquals("done", train.last().get("event").asText());
        assertEquals(5 + 5 + 20, train.events("epoch").size());
        assertTrue(Files.isRegularFile(out.resolve("checkpoint.ebm")));
        assertTrue(Files.size(out.resolve("samples.png")) > 0);
        // The learning curve is LearningCurve's chart (800 pixels wide), named in the done event.
        Path curve = out.resolve("learning-curve.png");
        assertEquals(curve.toString(), train.last().get("learning_curve_png").asText());
        assertEquals(800, ImageIO.read(curve.toFile()).getWidth());

        // The command is flags -> options -> Dbm.fit: the library call with the recorded options gives the same model.
        assertLibraryFitGivesTheSavedModel(csv, out, DbmOptions.fromMap(Provenance.fromMetadata(
                DbmModelFile.read(out.resolve("model.ebm")).metadata()).options()));

        CliRun eval = CliRun.of("dbm", "eval", "--model", out.resolve("model.ebm").toString(), "--data", csv.toString(),
                "--backend", "cpu", "--json");
        eval.assertSucceeded();
        JsonNode e = eval.last();
        assertEquals("exact", e.get("log_z_method").asText());
        double ll = e.get("avg_log_likelihood").asDouble();
        double bound = e.get("avg_log_likelihood_bound").asDouble();
        // Independent pixels score about -4.16 nats on these data; the two-mode source -1.89.
        assertTrue(ll > -3.0, "log-likelihood " + ll);
        assertTrue(bound <= ll + 1e-4, "bound " + bound + " above log-likelihood " + ll);

        CliRun ais = CliRun.of("dbm", "eval", "--model", out.resolve("model.ebm").toString(), "--data", csv.toString(),
                "--logz", "ais", "--ais-runs", "100", "--ais-betas", "3000", "--backend", "cpu", "--json");
        ais.assertSucceeded();
        JsonNode a = ais.last();
        double exactLogZ = e.get("log_z").asDouble();
        assertTrue(a.get("log_z_low").asDouble() <= exactLogZ && exactLogZ <= a.get("log_z_high").asDouble(),
                "exact log Z " + exactLogZ + " outside the AIS interval " + a);

        CliRun.assertSamplesPicture("dbm", out.resolve("model.ebm"), dir.resolve("s.png"));
    }

    /**
     * --holdout and the training-safety flags reach the options: the command and the library fit with the same
     * options built by hand give the same parameters; joint training reports the held-out log-likelihood, and at
     * a rate that makes it stop improving (0.5, momentum 0.9, as in the library's test) patience 2 ends the run
     * early with an {@code early_stop} event.
     */
    @Test
    void heldOutRowsAndTrainingSafetyFlagsReachTheLibrary(@TempDir Path dir) throws Exception {
        Path csv = modesCsv(dir);
        Path out = dir.resolve("run");
        CliRun train = trainTiny(csv, out, "--pretrain-epochs", "3", "--pretrain-lr", "0.1", "--epochs", "60", "--lr",
                "0.5", "--momentum", "0.9", "--holdout", "50", "--patience", "2", "--optimizer", "sgd", "--max-rollbacks",
                "1", "--seed", "7", "--sample-steps", "2");
        // 200 rows, the last 50 held out: joint training sees the first 150.
        assertEquals(150, train.last("start").get("train_rows").asInt());
        assertEquals(50, train.last("start").get("heldout_rows").asInt());
        JsonNode stop = train.last("early_stop");
        assertEquals(Dbm.HELDOUT_METRIC, stop.get("metric").asText());
        assertTrue(train.last("epoch").has(Dbm.HELDOUT_METRIC), train.last("epoch").toString());
        DbmOptions options = DbmOptions.builder().hidden(4, 3).binarization(org.ebm4j.data.Binarization.none())
                .pretrainEpochs(3).pretrainLearningRate(0.1).epochs(60).learningRate(0.5).momentum(0.9).batchSize(20)
                .chains(20).initWeightStd(0.1).holdout(50).patience(2).maxRollbacks(1).seed(7).build();
        assertLibraryFitGivesTheSavedModel(csv, out, options);
    }

    @Test
    void resumeContinuesTheCheckpointAndBadFlagsAreUsageErrors(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        String[] args = {"dbm", "train", "--layers", "16,8", "--limit", "300", "--pretrain-epochs", "1", "--epochs",
            "2", "--samples", "4", "--sample-steps", "2", "--backend", "cpu", "--out", out.toString(), "--json", "-q"};
        CliRun.of(args).assertSucceeded();
        String[] resumed = java.util.Arrays.copyOf(args, args.length + 1);
        resumed[args.length] = "--resume";
        CliRun again = CliRun.of(resumed);
        again.assertSucceeded();
        assertEquals(0, again.events("epoch").size(), "the checkpoint had finished: nothing left to train");
        // A resumed run keeps the checkpoint's options: a flag given that contradicts them is refused.
        for (String[] change : new String[][] {{"--seed", "2", "seed=2"}, {"--lr", "0.01", "lr=0.01"},
            {"--epochs", "3", "epochs=3"}}) {
            java.util.List<String> changed = new java.util.ArrayList<>(java.util.List.of(resumed));
            int at = changed.indexOf(change[0]);
            if (at >= 0) {
                changed.set(at + 1, change[1]);
            } else {
                changed.addAll(java.util.List.of(change[0], change[1]));
            }
            CliRun.of(changed.toArray(String[]::new)).assertFailed(2, "--resume: " + change[0] + " gives " + change[2] + " but the checkpoint ");
        }
        CliRun.of("dbm", "train", "--layers", "16", "--out", dir.resolve("x").toString())
                .assertFailed(2, "--layers: must hold 2 or 3 layer sizes, found 1");
        CliRun.of("dbm", "train", "--mf-damping", "1", "--out", dir.resolve("x").toString())
                .assertFailed(2, "--mf-damping: must lie in [0, 1), found 1.0");
        CliRun.of("dbm", "train", "--resume", "--out", dir.resolve("none").toString())
                .assertFailed(2, "no checkpoint at");
        CliRun.of("dbm", "train", "--method", "cd", "--out", dir.resolve("x").toString())
                .assertFailed(2, "method must be pcd or pt, found cd");
        CliRun.of("dbm", "train", "--method", "pt", "--replicas", "3", "--betas", "1,0.5", "--out",
                dir.resolve("x").toString()).assertFailed(2, "--replicas");
        // An --out that names a file is refused before any work, and the file is left as it was.
        Path file = Files.writeString(dir.resolve("a-file"), "kept");
        CliRun.of("dbm", "train", "--limit", "50", "--out", file.toString())
                .assertFailed(2, "--out " + file + " is an existing file, expected a directory");
        assertEquals("kept", Files.readString(file));
    }

    /** {@code --method pt --centering}: the joint epochs report a swap rate per neighbouring pair, the model keeps its offsets. */
    @Test
    void temperedCenteredTrainingReportsSwapRatesAndSavesOffsets(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        CliRun train = CliRun.of("dbm", "train", "--data", modesCsv(dir).toString(), "--layers", "4,3", "--binarize",
                "none", "--pretrain-epochs", "1", "--epochs", "2", "--batch", "50", "--persistent-chains", "10",
                "--method", "pt", "--replicas", "3", "--betas", "geometric:0.3", "--centering", "--samples", "4",
                "--sample-steps", "2", "--backend", "cpu", "--out", out.toString(), "--json", "-q");
        train.assertSucceeded();
        JsonNode last = train.events("epoch").get(train.events("epoch").size() - 1);
        assertEquals("joint", last.get("phase").asText());
        assertEquals(2, last.get("swap_rates").size());
        try (Backend b = Backends.select("cpu").backend(); Dbm dbm = Dbm.load(out.resolve("model.ebm"), b)) {
            assertTrue(dbm.centeredParameters().isPresent(), "offsets saved with the model");
        }
        CliRun sample = CliRun.of("dbm", "sample", "--model", out.resolve("model.ebm").toString(), "--chains", "3",
                "--steps", "2", "--method", "pt", "--replicas", "2", "--backend", "cpu", "--out",
                dir.resolve("s.png").toString(), "--json");
        sample.assertSucceeded();
        assertEquals(1, sample.events("swap_rates").get(0).get("swap_rates").size());
    }
}
