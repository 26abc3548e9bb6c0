package org.ebm4j.dbn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.ebm4j.data.Standardization;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.ModelFormatException;
import org.ebm4j.rbm.RbmTrainer;
import org.ebm4j.rbm.RbmParameters;
import org.ebm4j.rbm.VisibleType;
import org.ebm4j.train.TrainingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole-DBN model files and checkpoints: round trips and the corruption errors of the shared format. */
class DbnModelFileTest {

    private static float[] ramp(int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = scale * (i - n / 2f);
        }
        return a;
    }

    static DbnModelFile sample(boolean classifier) {
        RbmParameters l0 = new RbmParameters(VisibleType.GAUSSIAN, 4, 3, ramp(12, 0.1f), ramp(4, 0.2f), ramp(3, 0.3f));
        RbmParameters l1 = new RbmParameters(VisibleType.BERNOULLI, 3, 2, ramp(6, 0.4f), ramp(3, 0.5f), ramp(2, 0.6f));
        float[][] w = classifier ? new float[][] {ramp(12, 1f), ramp(6, 2f), ramp(4, 3f)} : null;
        float[][] b = classifier ? new float[][] {ramp(3, 1f), ramp(2, 2f), ramp(2, 3f)} : null;
        return new DbnModelFile(List.of(l0, l1), 2, w, b, classifier ? 2 : 0, ramp(4, 0.01f),
                new Standardization(ramp(4, 1f), new float[] {1, 2, 3, 4}), Map.of("data.source", "test"));
    }

    @Test
    void roundTripsPretrainedAndFineTunedModels(@TempDir Path dir) throws IOException {
        for (boolean classifier : new boolean[] {false, true}) {
            DbnModelFile m = sample(classifier);
            Path p = dir.resolve("m" + classifier + ".ebm");
            m.write(p);
            DbnModelFile r = DbnModelFile.read(p);
            assertEquals(m.stack(), r.stack());
            assertArrayEquals(new int[] {4, 3, 2}, r.sizes());
            assertEquals(2, r.pretrainedLayers());
            assertEquals(classifier ? 2 : 0, r.classes());
            assertArrayEquals(m.visibleMeans(), r.visibleMeans());
            assertArrayEquals(m.standardization().std(), r.standardization().std());
            assertEquals("test", r.metadata().get("data.source"));
            if (classifier) {
                assertTrue(Arrays.deepEquals(m.netWeights(), r.netWeights()));
                assertTrue(Arrays.deepEquals(m.netBiases(), r.netBiases()));
            } else {
                assertNull(r.netWeights());
            }
        }
    }

    @Test
    void corruptionIsReportedWithTheFileName(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("m.ebm");
        sample(true).write(p);
        byte[] good = Files.readAllBytes(p);

        byte[] flipped = good.clone();
        flipped[good.length - 40] ^= 0x10;
        Files.write(p, flipped);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> DbnModelFile.read(p));
        assertTrue(e.getMessage().contains("CRC") && e.getMessage().contains(p.toString()), e.getMessage());

        Files.write(p, Arrays.copyOf(good, good.length - 100));
        e = assertThrows(ModelFormatException.class, () -> DbnModelFile.read(p));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        byte[] magic = good.clone();
        magic[1] = 'X';
        Files.write(p, magic);
        e = assertThrows(ModelFormatException.class, () -> DbnModelFile.read(p));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());

        byte[] version = good.clone();
        version[8] = 9;
        Files.write(p, version);
        e = assertThrows(ModelFormatException.class, () -> DbnModelFile.read(p));
        assertTrue(e.getMessage().contains("version"), e.getMessage());
    }

    @Test
    void anRbmFileIsNotADbn(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("rbm.ebm");
        new org.ebm4j.rbm.RbmModelFile(RbmParameters.zeros(VisibleType.BERNOULLI, 2, 2), Map.of()).write(p);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> DbnModelFile.read(p));
        assertTrue(e.getMessage().contains("expected a DBN"), e.getMessage());
    }

    @Test
    void checkpointsOfBothPhasesCarryPhaseLayerAndTrainerState(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("c.ebm");
        TrainingState ts = TrainingState.builder(RbmTrainer.KIND, 3).counter("sampling_draw", 17)
                .array("chains", 5, 3, ramp(5 * 3, 1f)).build();
        write(DbnCheckpoint.mark(sample(false).toModelFile(), DbnPhase.PRETRAIN, 1), ts, p);
        DbnCheckpoint c = DbnCheckpoint.read(p);
        assertEquals(DbnPhase.PRETRAIN, c.phase());
        assertEquals(1, c.layer());
        assertEquals(17, c.state().counter("sampling_draw"));
        assertEquals(3, c.state().epochsDone());
        assertArrayEquals(ts.array("chains", 5, 3), c.state().array("chains", 5, 3));
        assertEquals(sample(false).stack(), c.model().stack());

        TrainingState fs = TrainingState.builder(FineTuner.KIND, 2).counter("shuffle_draw", 9)
                .array("velocity.net0.W", 4, 3, ramp(12, 1f)).build();
        write(DbnCheckpoint.mark(sample(true).toModelFile(), DbnPhase.FINETUNE, -1), fs, p);
        c = DbnCheckpoint.read(p);
        assertEquals(DbnPhase.FINETUNE, c.phase());
        assertEquals(-1, c.layer());
        assertEquals(9, c.state().counter("shuffle_draw"));
        assertTrue(Arrays.deepEquals(sample(true).netWeights(), c.model().netWeights()));

        // A fine-tuning checkpoint holding an RBM trainer's state, or a model without any state, is refused.
        write(DbnCheckpoint.mark(sample(true).toModelFile(), DbnPhase.FINETUNE, -1), ts, p);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> DbnCheckpoint.read(p));
        assertTrue(e.getMessage().contains("'dbn-finetune'") && e.getMessage().contains("'rbm'"), e.getMessage());
        sample(true).write(p);
        e = assertThrows(ModelFormatException.class, () -> DbnCheckpoint.read(p));
        assertTrue(e.getMessage().contains("not a checkpoint"), e.getMessage());
    }

    private static void write(ModelFile f, TrainingState state, Path p) throws IOException {
        state.writeTo(f);
        f.write(p);
    }
}
