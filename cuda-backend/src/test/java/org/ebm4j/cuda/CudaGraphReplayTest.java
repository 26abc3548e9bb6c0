package org.ebm4j.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ebm4j.data.Dataset;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.RbmOptions;
import org.ebm4j.rbm.TrainingMethod;
import org.ebm4j.train.Checkpointing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CUDA graph replay on a GPU (skipped with the probe's reason elsewhere): CD-1 through the real
 * trainer with {@code -Debm.cuda.graphs=true} must leave the same weights, bit for bit, as with plain
 * launches (every kernel and the Philox streams are deterministic, and a replay launches the same
 * kernels with the same arguments), and must really have replayed steps. 210 rows in batches of 20
 * leave a 10-row tail, so each epoch also goes through a mismatch and a new capture.
 */
@ExtendWith(RequiresCudaDevice.class)
class CudaGraphReplayTest {

    private static float[] trainedWeights(boolean graphs, String[] graphState) {
        // the switch is read when the backend's context is created
        try (CudaBackend b = WithProperty.get(GraphReplay.GRAPHS_PROPERTY, Boolean.toString(graphs), () -> new CudaBackend(0))) {
            SplittableRandom r = new SplittableRandom(3);
            float[] values = new float[210 * 64];
            for (int i = 0; i < values.length; i++) {
                values[i] = r.nextDouble() < 0.3 ? 1f : 0f;
            }
            RbmOptions options = RbmOptions.builder().hidden(32).method(TrainingMethod.CD).k(1).batchSize(20)
                    .learningRate(0.05).holdout(0).epochs(4).metricsEvery(4).seed(11L).build();
            try (Rbm rbm = Rbm.fit(b, Dataset.of("random binary", 210, 64, values), options, Checkpointing.none())) {
                graphState[0] = String.valueOf(b.describe().get("graphs"));
                return rbm.weights().toArray();
            }
        }
    }

    @Test
    void replayedTrainingEqualsPlainTrainingBitForBit() {
        String[] graphState = {null};
        float[] plain = trainedWeights(false, new String[1]);
        float[] replayed = trainedWeights(true, graphState);
        assertTrue(graphState[0].startsWith("on (") && !graphState[0].startsWith("on (0 "),
                "graphs must have replayed steps: " + graphState[0]);
        for (int i = 0; i < plain.length; i++) {
            assertTrue(Float.floatToRawIntBits(plain[i]) == Float.floatToRawIntBits(replayed[i]),
                    "weight " + i + ": plain " + plain[i] + ", replayed " + replayed[i]);
        }
    }
}
