package org.ebm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.ebm4j.boltzmann.BarsAndStripes;
import org.ebm4j.boltzmann.BoltzmannMachine;
import org.ebm4j.boltzmann.BoltzmannOptions;
import org.ebm4j.boltzmann.UnitValues;
import org.ebm4j.conditional.ConditionalModel;
import org.ebm4j.conditional.ConditionalOptions;
import org.ebm4j.energy.DataMoments;
import org.ebm4j.hopfield.CapacityExperiment;
import org.ebm4j.segmentation.SegmentationModel;
import org.ebm4j.segmentation.SegmentationOptions;
import org.ebm4j.structured.ChainModel;
import org.ebm4j.structured.Sequences;
import org.ebm4j.data.Binarization;
import org.ebm4j.data.Dataset;
import org.ebm4j.dbm.Dbm;
import org.ebm4j.dbm.DbmOptions;
import org.ebm4j.dbn.Dbn;
import org.ebm4j.dbn.DbnOptions;
import org.ebm4j.energy.EnergyModel;
import org.ebm4j.energy.EnergyNetwork;
import org.ebm4j.energy.EnergyOptions;
import org.ebm4j.energy.demo.FourSquares;
import org.ebm4j.hmc.DenseGaussian;
import org.ebm4j.hmc.GaussianEnergy;
import org.ebm4j.hmc.HmcOptions;
import org.ebm4j.hmc.HmcSampler;
import org.ebm4j.hopfield.HopfieldNetwork;
import org.ebm4j.hopfield.HopfieldOptions;
import org.ebm4j.rbm.AisOptions;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.RbmOptions;
import org.ebm4j.rbm.VisibleType;
import org.ebm4j.tensor.Activation;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every library entry point refuses, before it allocates, a size whose arrays cannot fit in the
 * heap: a {@link SettingException} naming the setting's key and the estimate. The sizes are chosen so
 * the estimate exceeds any heap a test JVM gets (terabytes) while the data stay tiny; a run that
 * allocated before checking would end in an {@link OutOfMemoryError} instead, which fails the test.
 */
@ExtendWith(NoLeakedTensors.class)
class MemoryEstimateTest {
    private static final int HUGE = 1 << 30;

    @Test
    void floatsSaturateInsteadOfOverflowing() {
        assertEquals(4L * 3 * 5, MemoryEstimate.floats(3, 5));
        assertEquals(Long.MAX_VALUE, MemoryEstimate.floats(HUGE, HUGE, HUGE));
        assertEquals(Long.MAX_VALUE, MemoryEstimate.sum(Long.MAX_VALUE, 1));
        // 2 matrices a layer: (4 + 1) x 3 and (3 + 1) x 2 values.
        assertEquals(2 * 4 * (15 + 8), MemoryEstimate.layerWeights(2, 4, List.of(3, 2), false));
        assertEquals(2 * 4 * 15, MemoryEstimate.layerWeights(2, 4, List.of(3, 2), true));
        assertEquals(9, MemoryEstimate.units(4, List.of(3, 2)));
    }

    @Test
    void aFittingEstimatePassesAndALargerOneNamesTheSettingAndTheHeap() {
        MemoryEstimate.require("hidden", 1024, "a kilobyte");
        SettingException e = assertThrows(SettingException.class,
                () -> MemoryEstimate.require("hidden", Long.MAX_VALUE, "the weights"));
        assertEquals("hidden", e.setting());
        assertTrue(e.getMessage().startsWith("hidden: the weights need about "), e.getMessage());
        assertTrue(e.detail().contains((Runtime.getRuntime().maxMemory() + (1 << 20) - 1 >> 20) + " MiB this JVM may use"),
                e.detail());
        // A saturated estimate is Long.MAX_VALUE bytes: 2^43 - 1 MiB rounded down (rounding up would overflow).
        assertTrue(e.detail().startsWith("the weights need about 8796093022207 MiB, more than"), e.detail());
        assertEquals(0, MemoryEstimate.sum(0, 0), "nothing plus nothing does not saturate");
    }

    static Stream<Arguments> entryPoints() {
        Dataset bits = Dataset.of("bits", 4, 4, new float[16]);
        return Stream.of(
                entry("bm fit", "hidden", b -> BoltzmannMachine.fit(b, BarsAndStripes.dataset(2, UnitValues.BINARY),
                        BoltzmannOptions.builder().hidden(HUGE).build(), Checkpointing.none())),
                entry("bm fit", "model_chains", b -> BoltzmannMachine.fit(b, BarsAndStripes.dataset(2,
                        UnitValues.BINARY), BoltzmannOptions.builder().hidden(1).modelChains(HUGE).build(),
                        Checkpointing.none())),
                entry("bm sample", "samples", b -> {
                    try (BoltzmannMachine m = new BoltzmannMachine(b, 4, 1, UnitValues.BINARY)) {
                        m.sample(HUGE, 1L);
                    }
                }),
                entry("rbm fit", "hidden", b -> Rbm.fit(b, bits, RbmOptions.builder().hidden(HUGE).build(),
                        Checkpointing.none())),
                entry("rbm fit", "chains", b -> Rbm.fit(b, bits, RbmOptions.builder().hidden(2).chains(HUGE).build(),
                        Checkpointing.none())),
                entry("rbm sample", "chains", b -> {
                    try (Rbm rbm = Rbm.zeros(b, VisibleType.BERNOULLI, 4, 2)) {
                        rbm.sample(HUGE, 1, 1L);
                    }
                }),
                entry("rbm ais", "ais_runs", b -> {
                    try (Rbm rbm = Rbm.zeros(b, VisibleType.BERNOULLI, 4, 2)) {
                        rbm.estimateLogPartition(new AisOptions(HUGE, 10, 1L), bits);
                    }
                }),
                entry("rbm ais", "ais_betas", b -> new AisOptions(1, HUGE, 1L).requireMemory(4, 2)),
                entry("dbn fit", "hidden_layers", b -> Dbn.fit(b, bits, DbnOptions.builder().hiddenLayers(HUGE, 2)
                        .finetuneEpochs(0).build(), Checkpointing.none())),
                entry("dbn fit", "chains", b -> Dbn.fit(b, bits, DbnOptions.builder().hiddenLayers(2).chains(HUGE)
                        .finetuneEpochs(0).build(), Checkpointing.none())),
                entry("dbm fit", "hidden", b -> Dbm.fit(b, bits, DbmOptions.builder().hidden(HUGE, 2)
                        .binarization(Binarization.none()).build(), Checkpointing.none())),
                entry("dbm fit", "chains", b -> Dbm.fit(b, bits, DbmOptions.builder().hidden(2, 2).chains(HUGE)
                        .binarization(Binarization.none()).build(), Checkpointing.none())),
                entry("hmc sample", "chains", b -> hmcSample(b, 2, HmcOptions.builder().chains(HUGE).build())),
                entry("hmc sample", "draws", b -> hmcSample(b, 1000, HmcOptions.builder().chains(1000).draws(HUGE)
                        .keepDraws(true).build())),
                entry("hopfield fit", "units", b -> HopfieldNetwork.fit(b, Dataset.of("wide", 1, 1 << 19,
                        new float[1 << 19]), HopfieldOptions.builder().build())),
                entry("energy fit", "layers", b -> EnergyModel.fit(b, FourSquares.dataset(8, 1), EnergyOptions.builder()
                        .model(EnergyOptions.Model.NETWORK).layers(List.of(new EnergyNetwork.Layer(HUGE,
                                Activation.SOFTPLUS))).build(), Checkpointing.none())),
                entry("conditional fit", "layers", b -> ConditionalModel.fit(b, labelled(), 2, ConditionalOptions
                        .builder().layers(hugeLayer()).build(), Checkpointing.none())),
                entry("conditional fit", "batch_size", b -> ConditionalModel.fit(b, labelled(), 2, ConditionalOptions
                        .builder().batchSize(HUGE).build(), Checkpointing.none())),
                entry("segmentation fit", "layers", b -> SegmentationModel.fit(b, List.of(), SegmentationOptions
                        .builder().window(2, 2).stride(1).maxSpan(3).build(), ConditionalOptions.builder()
                        .layers(hugeLayer()).build(), Checkpointing.none())),
                entry("chain fit", "batch_size", b -> ChainModel.fit(b, new Sequences(Dataset.of("positions", 4, 2,
                        new float[8]), new int[] {2, 2}), 3, ConditionalOptions.builder().batchSize(HUGE).build(),
                        Checkpointing.none())),
                // A layer of 2^16 units is small to build, but its activations for 2^20 rows are not.
                entry("energy fill", "data", b -> {
                    try (EnergyModel m = wideEnergy(b)) {
                        m.fillMissing(Dataset.of("rows", 1 << 20, 2, new float[1 << 21]), EnergyModel.fillOptions());
                    }
                }),
                entry("energy sample", "chains", b -> {
                    try (EnergyModel m = wideEnergy(b)) {
                        m.sample(HUGE, 1L);
                    }
                }),
                entry("dbn sample", "chains", b -> {
                    try (Dbn dbn = Dbn.zeros(b, VisibleType.BERNOULLI, new int[] {4, 2})) {
                        dbn.sample(HUGE, 1, 1L);
                    }
                }),
                entry("hopfield capacity", "units", b -> CapacityExperiment.requireMemory(1 << 20, 1)),
                entry("hopfield capacity", "loads", b -> CapacityExperiment.requireMemory(1 << 10, HUGE)));
    }

    private static List<EnergyNetwork.Layer> hugeLayer() {
        return List.of(new EnergyNetwork.Layer(HUGE, Activation.SOFTPLUS));
    }

    /** Four rows of two inputs, labelled 0 and 1. */
    private static Dataset labelled() {
        return new Dataset("labelled", 4, 2, new float[8], new int[] {0, 1, 0, 1}, 0, 0);
    }

    private static EnergyModel wideEnergy(Backend b) {
        return EnergyModel.of(new EnergyNetwork(b, 2, List.of(new EnergyNetwork.Layer(1 << 16, Activation.SOFTPLUS)),
                0.1), DataMoments.of(new float[4], 2, 2));
    }

    /** HMC on a {@code dim}-dimensional autoregressive Gaussian, the energy closed after the call. */
    private static void hmcSample(Backend b, int dim, HmcOptions options) {
        try (GaussianEnergy energy = new GaussianEnergy(b, DenseGaussian.autoregressive(dim, 0.5))) {
            HmcSampler.sample(energy, options);
        }
    }

    private static Arguments entry(String what, String setting, Consumer<Backend> call) {
        return Arguments.of(what + " " + setting, setting, call);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entryPoints")
    void refusesBeforeAllocating(String what, String setting, Consumer<Backend> call) {
        try (Backend b = new ReferenceBackend()) {
            SettingException e = assertThrows(SettingException.class, () -> call.accept(b), what);
            assertEquals(setting, e.setting(), e.getMessage());
            assertTrue(e.detail().contains(" MiB this JVM may use"), e.getMessage());
        }
    }
}
