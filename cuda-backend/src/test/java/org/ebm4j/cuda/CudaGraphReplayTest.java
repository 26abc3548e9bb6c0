package org.ebm4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.ebm4j.data.Dataset;
import org.ebm4j.rbm.LearningRateSchedule;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.RbmOptions;
import org.ebm4j.rbm.TrainingMethod;
import org.ebm4j.rbm.VisibleType;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.Optimizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CUDA graph replay on a GPU (skipped with the probe's reason elsewhere): training through the real
 * trainer with graphs on must leave the same weights, bit for bit, as with plain launches (every
 * kernel and the Philox streams are deterministic, and a replay launches the same kernels with the
 * same arguments), and must really have replayed steps. 210 rows in batches of 20 leave a 10-row
 * tail, so each epoch also goes through a mismatch and a new capture. The cases cover what a step
 * can carry: persistent chains, several Gibbs steps, Gaussian visibles, momentum and weight decay, a
 * sparsity target, and a learning rate that changes every epoch (a cuBLAS call with another alpha,
 * which must fall back to plain launches and capture again); and Adam, whose host-side update inside
 * the step must turn graphs off without changing a bit of the result.
 */
@ExtendWith(RequiresCudaDevice.class)
class CudaGraphReplayTest {
    /** How the graphs' state begins after a training whose steps were replayed. */
    private static final String REPLAYS = "on (";

    static Stream<Arguments> trainings() {
        return Stream.of(
                training("CD-1", REPLAYS, () -> base().method(TrainingMethod.CD).k(1)),
                training("PCD-1, momentum 0.5, weight decay 1e-3", REPLAYS, () -> base()
                        .method(TrainingMethod.PCD).k(1).chains(20).momentum(0.5).weightDecay(1e-3)),
                training("CD-3, exponential learning-rate schedule", REPLAYS, () -> base()
                        .method(TrainingMethod.CD).k(3).schedule(LearningRateSchedule.parse("exp:0.8"))),
                training("CD-1, Gaussian visibles", REPLAYS, () -> base()
                        .method(TrainingMethod.CD).k(1).visibleType(VisibleType.GAUSSIAN).learningRate(0.005)),
                training("PCD-1, sparsity 0.1", REPLAYS, () -> base()
                        .method(TrainingMethod.PCD).k(1).chains(20).sparsity(0.1, 0.1)),
                // Adam updates its moments on the host, inside the step: graphs must turn off, not corrupt it
                training("CD-1, Adam", "off (the step does host work", () -> base()
                        .method(TrainingMethod.CD).k(1).optimizer(Optimizer.ADAM).learningRate(0.01)));
    }

    private static Arguments training(String name, String graphState, Supplier<RbmOptions.Builder> options) {
        return Arguments.of(name, options, graphState);
    }

    private static RbmOptions.Builder base() {
        return RbmOptions.builder().hidden(32).batchSize(20).learningRate(0.05).holdout(0).epochs(4)
                .metricsEvery(4).seed(11L);
    }

    private static Dataset data() {
        SplittableRandom r = new SplittableRandom(3);
        float[] values = new float[210 * 64];
        for (int i = 0; i < values.length; i++) {
            values[i] = r.nextDouble() < 0.3 ? 1f : 0f;
        }
        return Dataset.of("random binary", 210, 64, values);
    }

    /** The trained weights; {@code graphs}: the switch's value, or null to leave it unset (the default). */
    private static float[] trainedWeights(String graphs, RbmOptions options, String[] graphState) {
        // the switch is read when the backend's context is created
        Supplier<CudaBackend> create = () -> new CudaBackend(0);
        try (CudaBackend b = graphs == null ? create.get() : WithProperty.get(GraphReplay.GRAPHS_PROPERTY, graphs, create);
             Rbm rbm = Rbm.fit(b, data(), options, Checkpointing.none())) {
            graphState[0] = String.valueOf(b.describe().get("graphs"));
            return rbm.weights().toArray();
        }
    }

    private static void assertBitIdentical(float[] plain, float[] replayed) {
        assertEquals(plain.length, replayed.length);
        for (int i = 0; i < plain.length; i++) {
            assertTrue(Float.floatToRawIntBits(plain[i]) == Float.floatToRawIntBits(replayed[i]),
                    "weight " + i + ": plain " + plain[i] + ", replayed " + replayed[i]);
        }
    }

    /** {@code graphState}: how the graphs' state must begin after training with them switched on. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("trainings")
    void replayedTrainingEqualsPlainTrainingBitForBit(String name, Supplier<RbmOptions.Builder> options, String graphState) {
        String[] plainState = {null};
        String[] state = {null};
        float[] plain = trainedWeights("false", options.get().build(), plainState);
        float[] replayed = trainedWeights("true", options.get().build(), state);
        assertTrue(plainState[0].startsWith("off ("), "the plain run must not use graphs: " + plainState[0]);
        assertTrue(state[0].startsWith(graphState) && !state[0].startsWith("on (0 "),
                "graphs must be " + graphState + "...), found: " + state[0]);
        assertBitIdentical(plain, replayed);
    }

    @Test
    void graphsAreOnByDefaultWhereTheirNodesCanBeListed() {
        assumeTrue(GraphChain.unavailable() == null, () -> "graph replay is off on this JVM: " + GraphChain.unavailable());
        String[] graphState = {null};
        trainedWeights(null, base().method(TrainingMethod.CD).k(1).build(), graphState);
        assertTrue(graphState[0].startsWith("on (") && !graphState[0].startsWith("on (0 "),
                "without -D" + GraphReplay.GRAPHS_PROPERTY + " graphs must replay steps: " + graphState[0]);
    }
}
