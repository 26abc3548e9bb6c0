package org.ebm4j.cli.dbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ebm4j.cli.CliRun;
import org.ebm4j.data.Binarization;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.Mnist;
import org.ebm4j.dbm.Dbm;
import org.ebm4j.dbm.DbmClassifier;
import org.ebm4j.dbm.DbmModelFile;
import org.ebm4j.dbm.DbmParameters;
import org.ebm4j.dbn.DbnOptions;
import org.ebm4j.io.Provenance;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ebm dbm classify}, and {@code ebm dbn eval} of the classifier it writes, on a few embedded MNIST images. */
class DbmClassifyCommandTest {
    /** A DBM with small random weights (fine-tuning starts from any DBM; training one would only cost time). */
    private static Path randomDbm(Path dir, int... sizes) throws Exception {
        SplittableRandom r = new SplittableRandom(7);
        List<float[]> w = new ArrayList<>();
        List<float[]> b = new ArrayList<>();
        for (int l = 0; l < sizes.length; l++) {
            b.add(new float[sizes[l]]);
            if (l > 0) {
                float[] m = new float[sizes[l - 1] * sizes[l]];
                for (int i = 0; i < m.length; i++) {
                    m[i] = (float) (0.1 * r.nextGaussian());
                }
                w.add(m);
            }
        }
        Path file = dir.resolve("dbm.ebm");
        new DbmModelFile(new DbmParameters(sizes, w, b), Binarization.parse("fixed", 0), null,
                java.util.Map.of()).toModelFile().write(file);
        return file;
    }

    @Test
    void classifyFineTunesAsTheLibraryCallAndDbnEvalReadsTheClassifier(@TempDir Path dir) throws Exception {
        Path dbmFile = randomDbm(dir, 784, 8, 6);
        Path out = dir.resolve("run");
        CliRun run = CliRun.of("dbm", "classify", "--model", dbmFile.toString(), "--limit", "300", "--holdout", "200",
                "--epochs", "3", "--lr", "0.2", "--mf-iterations", "5", "--seed", "4", "--backend", "cpu",
                "--out", out.toString(), "--json", "-q");
        run.assertSucceeded();
        assertEquals(3, run.events("epoch").size());
        JsonNode done = run.last("done");
        assertEquals(200, done.get("test_rows").asInt());
        assertTrue(Files.size(out.resolve("learning-curve.png")) > 0);

        // Flags -> options -> one library call: the same call with the recorded options gives the same network.
        Dataset all = Mnist.embedded();
        Dataset train = all.slice(0, 300);
        Dataset test = all.slice(all.rows() - 200, all.rows());
        try (Backend b = Backends.select("cpu").backend();
             DbmClassifier written = DbmClassifier.load(out.resolve("model.ebm"), b);
             Dbm dbm = Dbm.load(dbmFile, b)) {
            DbnOptions options = DbnOptions.fromMap(written.provenance().options());
            assertEquals(3, options.finetuneEpochs());
            assertEquals(0.2, options.finetuneLearningRate());
            assertEquals(4, options.seed());
            try (DbmClassifier lib = DbmClassifier.fit(dbm, train, options, written.meanField())) {
                for (int i = 0; i < lib.network().layers(); i++) {
                    assertArrayEquals(lib.network().weights(i).toArray(), written.network().weights(i).toArray());
                    assertArrayEquals(lib.network().bias(i).toArray(), written.network().bias(i).toArray());
                }
                assertEquals(lib.evaluate(test).errorRate(), done.get("test_error").asDouble());
            }
            assertEquals(train.sha256(), Provenance.fromMetadata(written.toModelFile().metadata()).get("data.sha256"));
        }

        // ebm dbn eval reads the classifier and finds the error the training run printed.
        JsonNode eval = CliRun.of("dbn", "eval", "--model", out.resolve("model.ebm").toString(), "--holdout", "200",
                "--backend", "cpu", "--json").assertSucceeded().last("evaluation");
        assertEquals(done.get("test_error").asDouble(), eval.get("test_error").asDouble());
        assertEquals(done.get("test_errors").asInt(), eval.get("errors").asInt());
    }

    @Test
    void badModelsAndLabelsAreOneLineErrors(@TempDir Path dir) throws Exception {
        // A DBN's model file is not a DBM.
        Path dbn = dir.resolve("dbn");
        CliRun.of("dbn", "train", "--layers", "4", "--limit", "200", "--holdout", "100", "--pretrain-epochs", "1",
                "--finetune-epochs", "1", "--samples", "2", "--sample-steps", "1", "--backend", "cpu", "--out",
                dbn.toString(), "-q").assertSucceeded();
        String model = dbn.resolve("model.ebm").toString();
        CliRun wrongKind = CliRun.of("dbm", "classify", "--model", model, "--limit", "50", "--holdout", "20",
                "--epochs", "1", "--backend", "cpu", "--out", dir.resolve("x").toString())
                .assertFailed(1, model + ": holds a 'dbn' model, expected a DBM ('dbm')");
        assertEquals(1, wrongKind.err().strip().lines().count(), wrongKind.err());

        // 5 x 5 images whose fourth label is 12, outside MNIST's ten classes.
        Path images = dir.resolve("small-images-idx3-ubyte");
        CliRun.writeIdx(images, 0x803, new int[] {20, 5, 5}, new byte[20 * 25]);
        byte[] labels = new byte[20];
        labels[3] = 12;
        CliRun.writeIdx(dir.resolve("small-labels-idx1-ubyte"), 0x801, new int[] {20}, labels);
        Path small = randomDbm(dir, 25, 4, 3);
        CliRun badLabel = CliRun.of("dbm", "classify", "--model", small.toString(), "--data", images.toString(),
                "--holdout", "5", "--epochs", "1", "--backend", "cpu", "--out", dir.resolve("y").toString())
                .assertFailed(1, "label 12 of row 3 is outside [0, 10)");
        assertEquals(1, badLabel.err().strip().lines().count(), badLabel.err());
        assertTrue(!Files.exists(dir.resolve("y")), "a refused run writes nothing");

        // The same images against the 784-unit DBM: the widths disagree, a usage error naming both.
        Path wide = randomDbm(Files.createDirectories(dir.resolve("d")), 784, 8, 6);
        CliRun.of("dbm", "classify", "--model", wide.toString(), "--data",
                images.toString(), "--holdout", "5", "--backend", "cpu", "--out", dir.resolve("z").toString())
                .assertFailed(2, "the data has 25 columns", "has 784 visible units");
    }
}
