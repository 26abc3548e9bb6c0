package org.ebm4j.cli.dbn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.ebm4j.cli.CliRun;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.Mnist;
import org.ebm4j.dbn.Dbn;
import org.ebm4j.dbn.DbnModelFile;
import org.ebm4j.dbn.DbnOptions;
import org.ebm4j.io.Provenance;
import org.ebm4j.rbm.LearningRateSchedule;
import org.ebm4j.rbm.TrainingMethod;
import org.ebm4j.rbm.VisibleType;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.ebm4j.train.Checkpointing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ebm dbn train|eval|sample} end to end on a tiny DBN and the embedded MNIST subset. */
class DbnCommandsTest {
    @Test
    void tinyDbnTrainsSavesLoadsAndClassifiesWellAboveChance(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        CliRun train = CliRun.of("dbn", "train", "--layers", "64,32", "--limit", "2000", "--holdout", "500",
                "--pretrain-epochs", "2", "--finetune-epochs", "4", "--backend", "cpu", "--seed", "3", "--samples", "16",
                "--sample-steps", "10", "--out", out.toString(), "--json", "-q");
        train.assertSucceeded();
        JsonNode done = train.last();
        assertEquals("done", done.get("event").asText());
        double err = done.get("test_error").asDouble();
        // Chance is 90% error on 10 classes; "well above chance" here means at least 65% accuracy.
        assertTrue(err < 0.35, "test error " + err);
        assertTrue(Files.size(out.resolve("samples.png")) > 0);
        assertTrue(Files.isRegularFile(out.resolve("checkpoint.ebm")));

        CliRun eval = CliRun.of("dbn", "eval", "--model", out.resolve("model.ebm").toString(), "--holdout", "500",
                "--backend", "cpu", "--json");
        eval.assertSucceeded();
        JsonNode e = eval.last();
        assertEquals(err, e.get("test_error").asDouble(), 1e-12, "the loaded model classifies as the trained one");
        long total = 0;
        for (JsonNode row : e.get("confusion")) {
            for (JsonNode v : row) {
                total += v.asLong();
            }
        }
        assertEquals(500, total);

        CliRun.assertSamplesPicture("dbn", out.resolve("model.ebm"), dir.resolve("s.png"));
    }

    @Test
    void resumedRunsEqualUninterruptedOnesInBothPhases(@TempDir Path dir) throws Exception {
        String[] common = {"dbn", "train", "--layers", "16", "--limit", "600", "--holdout", "200", "--backend", "cpu",
            "--seed", "5", "--samples", "4", "--sample-steps", "2", "--json", "-q", "--method", "pcd", "--persistent-chains", "20"};
        // Fine-tuning: 3 epochs straight, or 2 then --resume to 3 (a constant rate does not depend on the total).
        Path a = dir.resolve("a");
        train(common, "1", "3", a);
        Path b = dir.resolve("b");
        train(common, "1", "2", b);
        train(common, "1", "3", b, "--resume");
        DbnModelFile ma = DbnModelFile.read(a.resolve("model.ebm"));
        DbnModelFile mb = DbnModelFile.read(b.resolve("model.ebm"));
        assertTrue(Arrays.deepEquals(ma.netWeights(), mb.netWeights()), "fine-tuned weights after resuming");
        assertTrue(Arrays.deepEquals(ma.netBiases(), mb.netBiases()));

        // Pretraining (PCD, so chains and stream positions must survive): 2 epochs straight, or 1 then --resume.
        Path c = dir.resolve("c");
        train(common, "2", "0", c);
        Path d = dir.resolve("d");
        train(common, "1", "0", d);
        train(common, "2", "0", d, "--resume");
        assertEquals(DbnModelFile.read(c.resolve("model.ebm")).stack(), DbnModelFile.read(d.resolve("model.ebm")).stack(),
                "pretrained RBM after resuming");
    }

    @Test
    void theLibraryCallWithTheSameOptionsGivesTheCommandsModelBitForBit(@TempDir Path dir) throws Exception {
        Dataset all = Mnist.embedded();
        Dataset train = all.slice(0, 500);
        try (Backend b = Backends.select("cpu").backend()) {
            // Pretrained: PCD with per-layer k and epochs, sampled layer inputs, a fine-tuning schedule.
            Path out = dir.resolve("pretrained");
            CliRun.of("dbn", "train", "--layers", "24,16", "--limit", "500", "--holdout", "200", "--method", "pcd",
                    "--persistent-chains", "20", "--k", "1,2", "--pretrain-epochs", "2,1", "--sample-inputs", "--finetune-epochs",
                    "2", "--finetune-lr-schedule", "exp:0.9", "--backend", "cpu", "--seed", "9", "--samples", "4",
                    "--sample-steps", "2", "--out", out.toString(), "--json", "-q").assertSucceeded();
            DbnOptions options = DbnOptions.builder().hiddenLayers(24, 16).method(TrainingMethod.PCD).chains(20)
                    .k(1, 2).pretrainEpochs(2, 1).sampleInputs(true).finetuneEpochs(2)
                    .finetuneSchedule(LearningRateSchedule.parse("exp:0.9")).seed(9).build();
            assertSameModel(out, b, train, options);

            // Random initialization of a network with Gaussian visibles on standardized data.
            out = dir.resolve("random");
            CliRun.of("dbn", "train", "--layers", "20", "--limit", "500", "--holdout", "200", "--visible", "gaussian",
                    "--random-init", "--finetune-epochs", "2", "--backend", "cpu", "--seed", "4", "--samples", "4",
                    "--sample-steps", "2", "--out", out.toString(), "--json", "-q").assertSucceeded();
            options = DbnOptions.builder().hiddenLayers(20).visibleType(VisibleType.GAUSSIAN).standardize(true)
                    .randomInit(true).finetuneEpochs(2).seed(4).build();
            assertSameModel(out, b, train, options);
        }
    }

    private static void assertSameModel(Path out, Backend b, Dataset train, DbnOptions options) throws Exception {
        DbnModelFile cli = DbnModelFile.read(out.resolve("model.ebm"));
        try (Dbn lib = Dbn.fit(b, train, options, Checkpointing.none())) {
            DbnModelFile mine = lib.toDbnModelFile();
            assertEquals(cli.stack(), mine.stack(), "RBM parameters");
            assertTrue(Arrays.deepEquals(cli.netWeights(), mine.netWeights()), "classifier weights");
            assertTrue(Arrays.deepEquals(cli.netBiases(), mine.netBiases()), "classifier biases");
            assertEquals(cli.standardization() == null, mine.standardization() == null);
            Provenance p = Provenance.fromMetadata(cli.metadata());
            assertEquals(p.options(), lib.provenance().options(), "the command records the options it ran with");
            assertEquals(train.sha256(), p.get("data.sha256"));
        }
    }

    @Test
    void badFlagsAreNamed(@TempDir Path dir) {
        String o = dir.toString();
        CliRun.of("dbn", "train", "--layers", "64,x", "--out", o).assertFailed(2, "--layers");
        CliRun.of("dbn", "train", "--layers", "64,32", "--pretrain-epochs", "1,2,3", "--out", o)
                .assertFailed(2, "--pretrain-epochs");
        CliRun.of("dbn", "train", "--finetune-momentum", "1.5", "--out", o).assertFailed(2, "--finetune-momentum");
        CliRun.of("dbn", "train", "--pretrain-lr", "-1", "--out", o).assertFailed(2, "--pretrain-lr");
        CliRun.of("dbn", "train", "--resume", "--out", o).assertFailed(2, "--resume");
        CliRun.of("dbn", "sample", "--model", "x.ebm", "--chains", "0").assertFailed(2, "--chains");
    }

    @Test
    void corruptModelIsReportedByName(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.ebm");
        Files.write(bad, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        CliRun.of("dbn", "eval", "--model", bad.toString(), "--backend", "cpu").assertFailed(1, "bad.ebm", "magic");
    }

    /** Runs {@code common} with {@code pretrain} and {@code finetune} epochs into {@code out}; it must succeed. */
    private static void train(String[] common, String pretrain, String finetune, Path out, String... more) {
        CliRun.of(concat(concat(common, "--pretrain-epochs", pretrain, "--finetune-epochs", finetune, "--out",
                out.toString()), more)).assertSucceeded();
    }

    private static String[] concat(String[] a, String... b) {
        String[] c = new String[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
