package org.ebm4j.energy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.extension.ExtendWith;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ebm4j.data.Dataset;
import org.ebm4j.energy.demo.FourSquares;
import org.ebm4j.hmc.HmcOptions;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Activation;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.ebm4j.testing.PlainSoftplusNetwork;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.EpochReport;
import org.ebm4j.train.Interrupt;
import org.ebm4j.train.SettingException;
import org.ebm4j.train.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EnergyModel}'s refusals (closed models, runs and passes too large for the heap), where its fantasies
 * start, the fit's initialization and throughput, and the fill-in's copy of the observed entries.
 */
@ExtendWith(NoLeakedTensors.class)
class EnergyModelChecksTest {
    private static final PlainSoftplusNetwork PLAIN = new PlainSoftplusNetwork(2, 3, 0.2);
    /**
     * A layer so wide that a pass of 10,000 rows needs 3 x 10,000 x 400,000 floats (48 GB) of activations, far
     * beyond any test heap, while its weights take 6 MB.
     */
    private static final List<EnergyNetwork.Layer> WIDE = List.of(new EnergyNetwork.Layer(400_000, Activation.SOFTPLUS));

    private static EnergyModel small(Backend b, double[] mean, double spread) {
        return EnergyModel.of(PLAIN.network(b, PLAIN.randomParameters(37)), new DataMoments(mean, spread));
    }

    @Test
    void aClosedModelRefusesEveryUse() {
        Backend b = new ReferenceBackend();
        EnergyModel m = small(b, new double[] {0, 0}, 1);
        assertEquals(2, m.dimension());
        assertEquals("EnergyModel[energy-network, d=2 on reference]", m.toString());
        m.close();
        Dataset data = Dataset.of("two rows", 2, 2, new float[4]);
        for (Runnable use : List.<Runnable>of(m::energyFunction, () -> m.energy(data), () -> m.fantasies(2, 1, 1, 1),
                () -> m.fillMissing(data, EnergyModel.fillOptions()))) {
            assertEquals("this energy model is closed", assertThrows(IllegalStateException.class, use::run).getMessage());
        }
    }

    /**
     * Fantasies start at the data mean plus {@code N(0, (1.5 spread)^2)} noise, the first draws of
     * {@link StreamId#ENERGY_FANTASY}: with no warm-up and one leapfrog step of 1e-6 the single draw lies within
     * 1e-4 of its start (|p| < 10 for any normal draw the test sees).
     */
    @Test
    void fantasiesStartAroundTheMeanAtOneAndAHalfTimesTheSpread() {
        Backend b = new ReferenceBackend();
        double[] mean = {1, -2};
        try (EnergyModel m = small(b, mean, 0.5)) {
            HmcOptions hmc = HmcOptions.builder().chains(3).warmup(0).draws(1).leapfrogSteps(1).stepSize(1e-6)
                    .adaptStepSize(false).adaptMass(false).stepSizeJitter(0).keepDraws(true).seed(5).build();
            float[] end = m.fantasies(hmc).finalPositions();
            float[] noise;
            try (Tensor t = b.allocate(3, 2)) {
                b.sampler().fillNormal(t, 0f, 0.75f, StreamId.ENERGY_FANTASY.open(5));
                noise = t.toArray();
            }
            assertEquals(6, end.length);
            for (int i = 0; i < 6; i++) {
                assertEquals(mean[i % 2] + noise[i], end[i], 1e-4, "coordinate " + i);
            }
        }
    }

    @Test
    void fantasiesTooLargeForTheHeapAreRefusedBeforeAnyWork() {
        Backend b = new ReferenceBackend();
        HmcOptions manyChains = HmcOptions.builder().chains(10_000).build();
        SettingException e = assertThrows(SettingException.class,
                () -> EnergyModel.requireFantasyMemory(2, WIDE, manyChains));
        assertTrue(e.getMessage().startsWith("chains: the 10000 fantasy chains and their activations need about "),
                e.getMessage());
        HmcOptions manyDraws = HmcOptions.builder().chains(4).draws(1_000_000_000).keepDraws(true).build();
        e = assertThrows(SettingException.class, () -> EnergyModel.requireFantasyMemory(2, List.of(), manyDraws));
        assertTrue(e.getMessage().startsWith("draws: the 1000000000 kept draws of 4 chains need about "), e.getMessage());
        try (EnergyModel m = EnergyModel.of(new EnergyNetwork(b, 2, WIDE, 0.1), new DataMoments(new double[2], 1))) {
            e = assertThrows(SettingException.class, () -> m.fantasies(manyChains));
            assertTrue(e.getMessage().startsWith("chains: the 10000 fantasy chains and their activations need about "),
                    e.getMessage());
        }
    }

    @Test
    void aFillTooLargeForTheHeapIsRefusedBeforeAnyWork() {
        Backend b = new ReferenceBackend();
        Dataset rows = Dataset.of("many rows", 10_000, 2, new float[20_000]);
        try (EnergyModel m = EnergyModel.of(new EnergyNetwork(b, 2, WIDE, 0.1), new DataMoments(new double[2], 1))) {
            SettingException e = assertThrows(SettingException.class, () -> m.fillMissing(rows, EnergyModel.fillOptions()));
            assertTrue(e.getMessage().startsWith("data: the 10000 rows of many rows with their copies and their activations"
                    + " need about "), e.getMessage());
        }
        try (EnergyModel m = small(b, new double[2], 1)) {
            HmcOptions hugeChains = EnergyModel.fillOptions().toBuilder().chains(1_500_000_000).build();
            SettingException e = assertThrows(SettingException.class,
                    () -> m.fillMissing(Dataset.of("one row", 1, 2, new float[] {Float.NaN, 1}), hugeChains));
            assertTrue(e.getMessage().startsWith("chains: the 1500000000 chains of 2 dimensions need about "),
                    e.getMessage());
        }
    }

    /** Observed entries come back bit for bit (-0 included); the missing ones come back filled in. */
    @Test
    void fillingInReturnsObservedEntriesAndFillsTheMissingOnes() {
        Backend b = new ReferenceBackend();
        float[] values = {0.25f, Float.NaN, -0.0f, 0.75f, Float.NaN, 0.1f};
        Dataset data = Dataset.of("gaps", 3, 2, values);
        try (EnergyModel m = small(b, new double[] {0.3, -0.2}, 1)) {
            HmcOptions hmc = EnergyModel.fillOptions().toBuilder().chains(2).warmup(3).draws(2).seed(3).build();
            float[] filled = m.fillMissing(data, hmc).values();
            for (int i = 0; i < values.length; i++) {
                if (Float.isNaN(values[i])) {
                    assertTrue(Float.isFinite(filled[i]), "entry " + i + " filled in: " + filled[i]);
                } else {
                    assertEquals(Float.floatToIntBits(values[i]), Float.floatToIntBits(filled[i]), "entry " + i);
                }
            }
        }
    }

    /**
     * A run that asks for more memory than the heap holds is refused before the model is built: the weights
     * of a billion hidden units alone would take 8 GB per copy.
     */
    @Test
    void fitRefusesANetworkTooLargeForTheHeap() {
        EnergyOptions o = EnergyOptions.builder().layers("1000000000:softplus").updates(1).build();
        SettingException e = assertThrows(SettingException.class,
                () -> EnergyModel.fit(new ReferenceBackend(), FourSquares.dataset(8, 3), o, Checkpointing.none()));
        assertTrue(e.getMessage().startsWith("layers: the weights of the layers 1000000000:softplus"), e.getMessage());
    }

    /**
     * The uni-gauss experts of a fit start where {@code initialize} puts them from {@link StreamId#ENERGY_INIT}
     * and the data's moments (worked out here from their definition); a rate of 1e-30 leaves them there to float
     * precision.
     */
    @Test
    void uniGaussExpertsStartFromTheDataMoments() {
        Backend b = new ReferenceBackend();
        Dataset data = FourSquares.dataset(32, 3);
        EnergyOptions o = EnergyOptions.builder().model(EnergyOptions.Model.UNIGAUSS).experts(3).batchSize(16)
                .negatives(NegativeSampling.PERSISTENT).learningRate(1e-30).updates(1).seed(11).build();
        float[] v = data.values();
        float[] mean = new float[2];
        double[] sum = new double[2];
        for (int i = 0; i < v.length; i++) {
            sum[i % 2] += v[i];
        }
        double squares = 0;
        for (int i = 0; i < v.length; i++) {
            double dev = v[i] - sum[i % 2] / 32;
            squares += dev * dev;
        }
        mean[0] = (float) (sum[0] / 32);
        mean[1] = (float) (sum[1] / 32);
        try (EnergyModel m = EnergyModel.fit(b, data, o, Checkpointing.none());
             UniGaussExperts expected = new UniGaussExperts(b, 2, 3, o.envelope())) {
            expected.initialize(StreamId.ENERGY_INIT.open(11), mean, (float) Math.sqrt(squares / v.length));
            for (int p = 0; p < expected.parameters().size(); p++) {
                assertArrayEquals(expected.parameters().get(p).toArray(),
                        m.energyFunction().parameters().get(p).toArray(), 1e-6f, expected.parameterNames().get(p));
            }
        }
    }

    /** An epoch's throughput is its training rows (4 batches of 16 of the 72) over its seconds. */
    @Test
    void theThroughputCountsTheRowsOfAnEpochsBatches() {
        List<EpochReport> reports = new ArrayList<>();
        TrainingListener l = TrainingListener.forReports(reports::add);
        try (EnergyModel m = EnergyModel.fit(new ReferenceBackend(), FourSquares.dataset(72, 3),
                EnergyModelTest.small(EnergyOptions.Model.NETWORK), Checkpointing.none(), l)) {
            assertFalse(reports.isEmpty());
            for (EpochReport r : reports) {
                assertEquals(64, r.examplesPerSecond() * r.trainSeconds(), 1e-9 * 64, "epoch " + r.epoch());
            }
        }
    }

    /** A resume that fails after the model was read releases it (the leak check would name its tensors). */
    @Test
    void aFailedResumeClosesTheModelItRead(@TempDir Path dir) {
        Backend b = new ReferenceBackend();
        Dataset data = FourSquares.dataset(72, 3);
        Path ckpt = dir.resolve("run.ckpt");
        EnergyOptions o = EnergyModelTest.small(EnergyOptions.Model.NETWORK);
        assertThrows(IllegalStateException.class,
                () -> EnergyModel.fit(b, data, o, Checkpointing.every(ckpt, 1), new Interrupt(1)));
        TrainingListener refuses = new TrainingListener() {
            @Override
            public void onStart(int firstEpoch, int epochs, int batchesPerEpoch) {
                throw new IllegalStateException("the listener refuses to start");
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> EnergyModel.resume(ckpt, data, b, Checkpointing.none(), refuses));
        assertEquals("the listener refuses to start", e.getMessage());
    }
}
