package org.ebm4j.dbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.ebm4j.data.Dataset;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.ModelFormatException;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.PhaseRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DBM checkpoint's phase and layer must agree with the trainer state it holds and the model's depth: a
 * pretraining checkpoint names a layer in {@code 1..depth} and holds a pretraining trainer's state, a
 * joint one the joint trainer's. Each disagreement is refused naming the file; layer 1, the lowest, resumes.
 */
@ExtendWith(NoLeakedTensors.class)
class DbmResumeChecksTest {
    private final Dataset data = DbmFitTest.modes("modes", 40, 12);
    private final DbmOptions options = DbmFitTest.small().pretrainEpochs(1).epochs(1).build();

    /** The checkpoint a run writes when it stops after its only epoch of pretraining layer {@code layer}. */
    private Path stoppedIn(Backend b, int layer, Path dir) {
        Path ckpt = dir.resolve("pretrain" + layer + ".ebm");
        assertThrows(PhaseRecorder.Stop.class, () -> Dbm.fit(b, data, options, Checkpointing.every(ckpt, 1),
                new PhaseRecorder("pretrain" + layer, 1)));
        return ckpt;
    }

    private static Path edited(Path from, String key, String value, Path to) throws IOException {
        ModelFile.read(from).putMetadata(key, value).write(to);
        return to;
    }

    @Test
    void aCheckpointWhosePhaseOrLayerDisagreesIsRefused(@TempDir Path dir) throws IOException {
        try (Backend b = new ReferenceBackend()) {
            Path second = stoppedIn(b, 2, dir);
            assertEquals("2", ModelFile.read(second).metadata().get("checkpoint.layer"));
            assertEquals(options, Dbm.readOptions(second));
            assertComposed(ModelFile.read(second), 2);
            for (String layer : new String[] {"0", "3"}) {
                Path bad = edited(second, "checkpoint.layer", layer, dir.resolve("layer" + layer + ".ebm"));
                ModelFormatException e = assertThrows(ModelFormatException.class,
                        () -> Dbm.resume(bad, data, b, Checkpointing.none()));
                assertEquals(bad + ": checkpoint layer " + layer + " outside 1..2", e.getMessage());
            }
            Path joint = edited(second, "checkpoint.phase", "joint", dir.resolve("joint.ebm"));
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> Dbm.resume(joint, data, b, Checkpointing.none()));
            assertEquals(joint + ": a joint checkpoint must hold the state of a 'dbm' trainer, found 'dbm-pretrain'",
                    e.getMessage());
            Path word = edited(second, "checkpoint.layer", "two", dir.resolve("word.ebm"));
            e = assertThrows(ModelFormatException.class, () -> Dbm.resume(word, data, b, Checkpointing.none()));
            assertTrue(e.getMessage().startsWith(word + ": malformed DBM checkpoint metadata: "), e.getMessage());

            Path first = stoppedIn(b, 1, dir);
            assertComposed(ModelFile.read(first), 1);
            PhaseRecorder rec = new PhaseRecorder("", 0);
            try (Dbm resumed = Dbm.resume(first, data, b, Checkpointing.none(), rec)) {
                assertEquals("pretrain1", rec.phases.get(0));
                assertEquals(2, resumed.depth());
            }
        }
    }

    /**
     * A pretraining checkpoint's model is the composition of the RBMs it stores ({@code pretrain<l>.*}):
     * {@code W_l} of RBM {@code l}, the visible bias RBM 1's, an intermediate bias half the lower RBM's upper
     * bias plus half the upper RBM's lower bias, the top bias all of the top RBM's upper bias, and 0 for a
     * layer no RBM has reached yet.
     */
    private static void assertComposed(ModelFile f, int rbms) throws IOException {
        DbmModelFile model = DbmModelFile.from(f, "checkpoint");
        DbmParameters p = model.parameters();
        int[] sizes = p.sizes();
        double[][] expected = new double[sizes.length][];
        for (int l = 0; l < sizes.length; l++) {
            expected[l] = new double[sizes[l]];
        }
        for (int l = 1; l <= rbms; l++) {
            float[] w = f.tensor("pretrain" + l + ".W", sizes[l - 1], sizes[l], "checkpoint").data();
            assertArrayEquals(w, p.weights().get(l - 1), "W" + l);
            float[] lower = f.tensor("pretrain" + l + ".b0", 1, sizes[l - 1], "checkpoint").data();
            float[] upper = f.tensor("pretrain" + l + ".b1", 1, sizes[l], "checkpoint").data();
            for (int i = 0; i < lower.length; i++) {
                expected[l - 1][i] += (l == 1 ? 1 : 0.5) * lower[i];
            }
            for (int j = 0; j < upper.length; j++) {
                expected[l][j] += (l == sizes.length - 1 ? 1 : 0.5) * upper[j];
            }
        }
        for (int l = 0; l < sizes.length; l++) {
            for (int j = 0; j < sizes[l]; j++) {
                assertEquals(expected[l][j], p.biases().get(l)[j], 1e-6, rbms + " RBMs, bias " + l + " unit " + j);
            }
        }
        float[] hiddenBias = f.tensor("pretrain" + rbms + ".b1", 1, sizes[rbms], "checkpoint").data();
        boolean trained = false;
        for (float x : hiddenBias) {
            trained |= x != 0;
        }
        assertTrue(trained, "the RBMs' upper biases have moved from 0, so their share shows");
    }
}
