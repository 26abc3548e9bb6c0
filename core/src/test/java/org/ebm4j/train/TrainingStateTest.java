package org.ebm4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.ModelFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingStateTest {

    private static TrainingState sample() {
        return TrainingState.builder("toy", 3).counter("draw", -5L).counter("step", 0.125)
                .array("velocity", 2, 3, new float[] {1, -2, 3, Float.MIN_VALUE, -0f, 6}).build();
    }

    @Test
    void roundTripsThroughAModelFile(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("c.ebm");
        ModelFile f = new ModelFile().putMetadata("model", "toy").putTensor("W", 1, 1, new float[] {7});
        sample().writeTo(f);
        f.write(p);
        CheckpointWriter.Checkpoint back = CheckpointWriter.read(p);
        TrainingState s = back.state();
        assertEquals("toy", s.trainer());
        assertEquals(3, s.epochsDone());
        assertEquals(-5L, s.counter("draw"));
        assertEquals(0.125, Double.longBitsToDouble(s.counter("step")));
        assertArrayEquals(sample().array("velocity", 2, 3), s.array("velocity", 2, 3));
        assertEquals(7f, back.model().tensors().get("W").data()[0], "the model part is untouched");
    }

    @Test
    void theReportedMetricsRoundTripExactlyAndTheirAbsenceMeansNone(@TempDir Path dir) throws IOException {
        Map<String, Double> first = new LinkedHashMap<>();
        first.put("recon_error", 0.1 + 0.2);
        first.put("pl_heldout", Double.NaN);
        first.put("metrics_seconds", 1.5);
        TrainingState.Reported one = TrainingState.Reported.of(new EpochReport(1, 3, 0.1, 2, 50, first));
        assertEquals(List.of("recon_error", "pl_heldout"), List.copyOf(one.metrics().keySet()), "timings left out");
        assertNull(TrainingState.Reported.of(new EpochReport(2, 3, 0.1, 2, 50, Map.of("metrics_seconds", 1.0))));
        TrainingState.Reported three = new TrainingState.Reported(3, Map.of("recon_error", -1e-300));
        Path p = dir.resolve("c.ebm");
        ModelFile f = new ModelFile().putMetadata("model", "toy");
        sample().withReports(List.of(one, three)).writeTo(f);
        f.write(p);
        assertEquals(List.of(one, three), CheckpointWriter.read(p).state().reports());

        Path old = dir.resolve("old.ebm");
        ModelFile before = new ModelFile().putMetadata("model", "toy");
        sample().writeTo(before);
        assertFalse(before.metadata().containsKey("state.history"), "no entry without reports");
        before.write(old);
        assertEquals(List.of(), CheckpointWriter.read(old).state().reports());
    }

    @Test
    void aMalformedHistoryIsRefusedNamingTheFile(@TempDir Path dir) throws IOException {
        for (String bad : List.of("v9;1 a=1.0", "v1;1 a=x", "v1;one a=1.0", "v1;1 a")) {
            Path p = dir.resolve("bad.ebm");
            ModelFile f = new ModelFile().putMetadata("model", "toy");
            sample().writeTo(f);
            f.putMetadata("state.history", bad);
            f.write(p);
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> CheckpointWriter.read(p), bad);
            assertTrue(e.getMessage().startsWith(p + ": ") && e.getMessage().contains("training history"),
                    e.getMessage());
        }
    }

    @Test
    void aResumedRunTellsItsListenersTheEpochsReportedBeforeItsCheckpoint(@TempDir Path dir) throws IOException {
        Path checkpoint = dir.resolve("c.ebm");
        Supplier<ModelFile> file = () -> new ModelFile().putMetadata("model", "toy");
        TrainingRun.Metrics metrics = (epoch, epochs) -> Map.of("loss", 1.0 / epoch);
        Toy first = new Toy(3);
        first.stop = 2;
        TrainingRun.run(first, null, file, Checkpointing.every(checkpoint, 1), 3, metrics, List.of());
        TrainingState state = CheckpointWriter.read(checkpoint).state();
        assertEquals(2, state.epochsDone());
        List<String> heard = new ArrayList<>();
        TrainingListener log = new TrainingListener() {
            @Override
            public void onPastReport(int epoch, Map<String, Double> m) {
                heard.add("past " + epoch + " " + m);
            }

            @Override
            public void onReport(EpochReport r) {
                heard.add("now " + r.epoch() + " " + r.metrics());
            }
        };
        TrainingRun.run(new Toy(3), state, file, Checkpointing.every(checkpoint, 1), 3, metrics, List.of(log));
        assertEquals(List.of("past 1 {loss=1.0}", "past 2 {loss=0.5}", "now 3 {loss=" + 1.0 / 3 + "}"), heard);
        assertEquals(3, CheckpointWriter.read(checkpoint).state().reports().size(), "the last checkpoint has all three");
    }

    /** A state array is read with the model's rule: a non-finite value is refused, naming the file. */
    @Test
    void aNonFiniteStateArrayIsRefused(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("nan.ebm");
        ModelFile f = new ModelFile().putMetadata("model", "toy");
        TrainingState.builder("toy", 1).array("chains", 1, 2, new float[] {0f, Float.NaN}).build().writeTo(f);
        f.write(p);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> CheckpointWriter.read(p));
        assertTrue(e.getMessage().startsWith(p + ": tensor 'state.chains'"), e.getMessage());
    }

    @Test
    void aModelWithoutStateIsNotACheckpoint(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("m.ebm");
        new ModelFile().putMetadata("model", "toy").write(p);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> CheckpointWriter.read(p));
        assertTrue(e.getMessage().contains("not a checkpoint"), e.getMessage());
    }

    @Test
    void missingAndMisshapenEntriesAreNamed() {
        TrainingState s = sample();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.counter("nope"));
        assertTrue(e.getMessage().contains("'nope'") && e.getMessage().contains("draw"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> s.array("velocity", 3, 2));
        assertTrue(e.getMessage().contains("2x3") && e.getMessage().contains("3x2"), e.getMessage());
        assertFalse(s.hasArray("chains"));
        assertTrue(s.hasArray("velocity"));
    }

    @Test
    void aStateOfAnotherTrainerOrPastThePlanIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sample().checkFits("rbm", 10));
        assertTrue(e.getMessage().contains("'toy'") && e.getMessage().contains("'rbm'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> sample().checkFits("toy", 2));
        assertTrue(e.getMessage().contains("epoch 3"), e.getMessage());
        sample().checkFits("toy", 3);
    }

    /** Counts its epochs' updates in x. Stops after epoch {@code stop} when one is set. */
    private static final class Toy extends ScalarTrainer {
        int stop;

        Toy(int epochs) {
            super("toy", epochs, 3, 0);
        }

        @Override
        protected double runEpoch(int epochIndex, BatchDone done) {
            for (int b = 1; b <= 3; b++) {
                x++;
                done.after(b);
            }
            if (epochIndex + 1 == stop) {
                stop();
            }
            return 0.5 / (epochIndex + 1);
        }
    }

    @Test
    void theLoopCallsListenersInOrderAndResumes() {
        EventLog log = new EventLog();
        List<String> events = log.events();
        Toy t = new Toy(2);
        t.train(List.of(log));
        assertEquals(List.of("start 1/2 x3", "1.1/3", "1.2/3", "1.3/3", "end 1 lr 0.5", "2.1/3", "2.2/3", "2.3/3",
                "end 2 lr 0.25", "done"), events);
        assertEquals(6.0, t.x);

        Toy half = new Toy(2);
        half.trainEpoch(List.of());
        TrainingState s = half.state();
        Toy resumed = new Toy(2);
        resumed.restore(s);
        events.clear();
        resumed.train(List.of(log));
        assertEquals("start 2/2 x3", events.get(0));
        assertEquals(2, resumed.epochsDone());
        assertEquals(6.0, resumed.x, "3 restored + 3 trained");
    }
}
