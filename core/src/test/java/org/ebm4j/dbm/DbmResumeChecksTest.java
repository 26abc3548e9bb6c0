package org.ebm4j.dbm;

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
            PhaseRecorder rec = new PhaseRecorder("", 0);
            try (Dbm resumed = Dbm.resume(first, data, b, Checkpointing.none(), rec)) {
                assertEquals("pretrain1", rec.phases.get(0));
                assertEquals(2, resumed.depth());
            }
        }
    }
}
