package org.ebm4j.dbn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.ebm4j.rbm.LearningRateSchedule;
import org.ebm4j.rbm.RbmOptions;
import org.ebm4j.rbm.TrainingMethod;
import org.ebm4j.rbm.VisibleType;
import org.junit.jupiter.api.Test;

/** {@link DbnOptions}: defaults, per-layer values, validation messages and the map round trip. */
class DbnOptionsTest {

    private static void fails(String expected, Supplier<?> build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::get);
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void defaultsAreThoseOfTheCommandWithConstantRates() {
        DbnOptions o = DbnOptions.builder().build();
        assertEquals(List.of(500, 500, 2000), o.hiddenLayers());
        assertEquals(List.of(2, 2, 2), o.pretrainEpochs());
        assertEquals(List.of(0.1, 0.1, 0.1), o.pretrainLearningRate());
        assertEquals(TrainingMethod.CD, o.method());
        assertEquals(LearningRateSchedule.constant(), o.pretrainSchedule());
        assertEquals(LearningRateSchedule.constant(), o.finetuneSchedule());
        assertEquals(10, o.finetuneEpochs());
        assertEquals(10, o.classes());
        assertEquals(1L, o.seed());
        assertEquals(0.1, o.finetuneLearningRate(9));
    }

    @Test
    void perLayerSettingsReachEachLayersRbmOptions() {
        DbnOptions o = DbnOptions.builder().hiddenLayers(8, 6, 4).k(1, 2, 3).pretrainEpochs(5, 0, 2)
                .pretrainLearningRate(0.01).method(TrainingMethod.PCD).chains(7).initWeightStd(0.05).seed(40).build();
        RbmOptions l2 = o.layerOptions(2);
        assertEquals(3, l2.k());
        assertEquals(2, l2.epochs());
        assertEquals(0.01, l2.learningRate());
        assertEquals(7, l2.chains());
        assertEquals(TrainingMethod.PCD, l2.method());
        assertEquals(0.05, l2.initWeightStd());
        assertEquals(42L, l2.seed(), "layer i's seed is seed + i");
        assertTrue(o.pretrains(0));
        assertTrue(!o.pretrains(1), "0 epochs: layer 1 is not pretrained");
        assertTrue(!o.toBuilder().randomInit(true).build().pretrains(0));
        assertEquals(List.of(9, 8, 6, 4), java.util.Arrays.stream(o.sizes(9)).boxed().toList());
    }

    @Test
    void badValuesAreNamedWithTheRangeAndTheValueFound() {
        fails("hidden_layers: must hold 1 to 64 sizes, found 0", () -> DbnOptions.builder().hiddenLayers().build());
        fails("hidden_layers: entry 2 of [5, 0] must be >= 1, found 0",
                () -> DbnOptions.builder().hiddenLayers(5, 0).build());
        fails("k: needs one value per hidden layer (3), found 2", () -> DbnOptions.builder().k(1, 2).build());
        fails("pretrain_epochs: entry 1 of [-1, -1, -1] must be >= 0, found -1",
                () -> DbnOptions.builder().pretrainEpochs(-1).build());
        fails("pretrain_lr: entry 3 of [0.1, 0.1, 0.0] must be finite and > 0, found 0.0",
                () -> DbnOptions.builder().pretrainLearningRate(0.1, 0.1, 0).build());
        fails("pretrain_momentum: must lie in [0, 1), found 1.0", () -> DbnOptions.builder().pretrainMomentum(1).build());
        fails("finetune_momentum: must lie in [0, 1), found 1.5", () -> DbnOptions.builder().finetuneMomentum(1.5).build());
        fails("finetune_lr: must be finite and > 0, found NaN",
                () -> DbnOptions.builder().finetuneLearningRate(Double.NaN).build());
        fails("finetune_weight_decay: must be finite and >= 0, found -1.0",
                () -> DbnOptions.builder().finetuneWeightDecay(-1).build());
        fails("classes: must be >= 2, found 1", () -> DbnOptions.builder().classes(1).build());
        fails("chains: must be >= 1, found 0", () -> DbnOptions.builder().chains(0).build());
        fails("metrics_every: must be >= 1, found 0", () -> DbnOptions.builder().metricsEvery(0).build());
        fails("visible_type: must be given, found none", () -> DbnOptions.builder().visibleType(null).build());
        fails("random_init: with finetune_epochs 0 trains nothing",
                () -> DbnOptions.builder().randomInit(true).finetuneEpochs(0).build());
    }

    @Test
    void theMapRoundTripsExactlyAndRejectsUnknownMissingAndMalformedEntries() {
        DbnOptions o = DbnOptions.builder().hiddenLayers(30, 20).visibleType(VisibleType.GAUSSIAN).standardize(true)
                .method(TrainingMethod.PCD).k(1, 5).chains(33).pretrainEpochs(3, 4).pretrainLearningRate(0.005, 0.1)
                .pretrainSchedule(LearningRateSchedule.parse("linear:0.1")).pretrainMomentum(0.7)
                .pretrainWeightDecay(1e-4).pretrainBatchSize(17).sampleInputs(true).initWeightStd(0.03).classes(3)
                .finetuneEpochs(7).finetuneLearningRate(1.0 / 3).finetuneSchedule(LearningRateSchedule.parse("exp:0.97"))
                .finetuneMomentum(0.8).finetuneWeightDecay(2e-5).finetuneBatchSize(50).seed(-5).metricsEvery(2).build();
        Map<String, String> m = o.toMap();
        assertEquals("30,20", m.get("hidden_layers"));
        assertEquals("0.005,0.1", m.get("pretrain_lr"));
        assertEquals("exp:0.97", m.get("finetune_lr_schedule"));
        assertEquals(o, DbnOptions.fromMap(m));
        assertEquals(o.toBuilder().build(), o);

        Map<String, String> extra = new LinkedHashMap<>(m);
        extra.put("finetune_lr_typo", "1");
        fails("unknown DBN option(s) [finetune_lr_typo]", () -> DbnOptions.fromMap(extra));
        Map<String, String> missing = new LinkedHashMap<>(m);
        missing.remove("seed");
        fails("DBN options lack 'seed'", () -> DbnOptions.fromMap(missing));
        Map<String, String> malformed = new LinkedHashMap<>(m);
        malformed.put("k", "1,x");
        fails("DBN option 'k' has a malformed value '1,x'", () -> DbnOptions.fromMap(malformed));
        malformed.put("k", "1");
        fails("DBN option 'k' needs one value per hidden layer (2), found 1", () -> DbnOptions.fromMap(malformed));
    }
}
