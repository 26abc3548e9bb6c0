package org.ebm4j.rbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.train.CheckpointWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RbmCheckpointTest {
    @TempDir
    Path dir;

    private final Backend backend = new ReferenceBackend();

    private static float[] data(int n, int nv) {
        java.util.Random r = new java.util.Random(1);
        float[] d = new float[n * nv];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextInt(3) == 0 ? 1f : 0f;
        }
        return d;
    }

    @Test
    void checkpointFileResumesToTheSameWeights() throws IOException {
        RbmOptions cfg = RbmOptions.builder().method(TrainingMethod.PCD).k(1).chains(6).learningRate(0.1)
                .momentum(0.5).batchSize(8).epochs(4).seed(3).build();
        float[] d = data(30, 5);
        Path ckpt = dir.resolve("run/checkpoint.ebm");
        RbmParameters straight;
        List<Path> written = new ArrayList<>();
        try (Rbm rbm = Rbm.zeros(backend, VisibleType.BERNOULLI, 5, 3); Tensor t = backend.fromArray(d, 30, 5);
             RbmTrainer tr = new RbmTrainer(rbm, cfg, t)) {
            RbmTrainer.initialize(rbm, cfg, t);
            tr.train(List.of());
            straight = rbm.parameters();
            assertEquals(4, tr.epochsDone());
            // Rerun from scratch with a checkpoint writer, stopping after epoch 2 as a killed run would.
            RbmTrainer.initialize(rbm, cfg, t);
            try (RbmTrainer tr2 = new RbmTrainer(rbm, cfg, t)) {
                CheckpointWriter cw2 = new CheckpointWriter(tr2, () -> new RbmModelFile(rbm.parameters(),
                        Map.of("data.source", "test")).toModelFile(), ckpt, 2, written::add);
                tr2.trainEpoch(List.of(cw2));
                tr2.trainEpoch(List.of(cw2));
                try (RbmEpochMetrics m2 = new RbmEpochMetrics(rbm, t, t)) {
                    Map<String, Double> metrics = m2.evaluate();
                    assertTrue(metrics.containsKey("pseudo_likelihood_heldout"), metrics.toString());
                    assertEquals(0.0, metrics.get("free_energy_gap"), 1e-5, "same data on both sides");
                }
            }
            assertEquals(List.of(ckpt), written);
        }
        CheckpointWriter.Checkpoint back = CheckpointWriter.read(ckpt);
        assertEquals(2, back.state().epochsDone());
        assertEquals("rbm", back.state().trainer());
        RbmModelFile model = RbmModelFile.from(back.model(), ckpt.toString());
        assertEquals("test", model.metadata().get("data.source"));
        try (Rbm rbm = Rbm.of(backend, model.parameters()); Tensor t = backend.fromArray(d, 30, 5);
             RbmTrainer tr = new RbmTrainer(rbm, cfg, t)) {
            tr.restore(back.state());
            tr.train(List.of());
            assertEquals(straight, rbm.parameters(), "checkpoint + resume == uninterrupted run");
        }
    }
}
