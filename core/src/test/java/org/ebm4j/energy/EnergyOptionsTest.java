package org.ebm4j.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ebm4j.tensor.Activation;
import org.ebm4j.testing.Rejections;
import org.junit.jupiter.api.Test;

class EnergyOptionsTest {

    private static final Rejections.OfBuilder<EnergyOptions.Builder> REJECTED =
            new Rejections.OfBuilder<>(EnergyOptions::builder, EnergyOptions.Builder::build);

    @Test
    void everyOptionNamesItselfTheRangeAndTheValue() {
        assertEquals("model: must be given, found none", REJECTED.of(b -> b.model(null)));
        assertEquals("layers: must list at least one layer, found none", REJECTED.of(b -> b.layers(List.of())));
        assertEquals("visible_precision: must be finite and >= 0, found -1.0", REJECTED.of(b -> b.visiblePrecision(-1)));
        assertEquals("weight_scale: must be finite and > 0, found 0.0", REJECTED.of(b -> b.weightScale(0)));
        assertEquals("initial_scale: must be finite, found NaN", REJECTED.of(b -> b.initialScale(Double.NaN)));
        assertEquals("experts: must be >= 1, found 0", REJECTED.of(b -> b.experts(0)));
        assertEquals("envelope: must be finite and >= 0, found -0.5", REJECTED.of(b -> b.envelope(-0.5)));
        assertEquals("loss: must be one of [ml, energy, perceptron, hinge, log, square-square, square-exp, nll, lvq2, mce, min-hinge], found"
                + " 'squared'", REJECTED.of(b -> b.loss("squared")));
        assertEquals("margin: must be finite and >= 0, found -1.0", REJECTED.of(b -> b.margin(-1)));
        assertEquals("loss_scale: must be finite and > 0, found 0.0", REJECTED.of(b -> b.lossScale(0)));
        assertEquals("negatives: must be given, found none", REJECTED.of(b -> b.negatives(null)));
        assertEquals("negatives_per_example: must be >= 1, found 0", REJECTED.of(b -> b.negativesPerExample(0)));
        assertEquals("leapfrog_steps: must be >= 1, found 0", REJECTED.of(b -> b.leapfrogSteps(0)));
        assertEquals("trajectories: must be >= 1, found 0", REJECTED.of(b -> b.trajectories(0)));
        assertEquals("step_size: must be finite and > 0, found 0.0", REJECTED.of(b -> b.stepSize(0)));
        assertEquals("target_accept: must lie in (0, 1), found 0.0", REJECTED.of(b -> b.targetAccept(0)));
        assertEquals("learning_rate: must be finite and > 0, found 0.0", REJECTED.of(b -> b.learningRate(0)));
        assertEquals("momentum: must lie in [0, 1), found 1.0", REJECTED.of(b -> b.momentum(1)));
        assertEquals("weight_decay: must be finite and >= 0, found -1.0", REJECTED.of(b -> b.weightDecay(-1)));
        assertEquals("update: must be given, found none", REJECTED.of(b -> b.update(null)));
        assertEquals("max_gradient_norm: must be > 0, found 0.0", REJECTED.of(b -> b.maxGradientNorm(0)));
        assertEquals("batch_size: must be >= 1, found 0", REJECTED.of(b -> b.batchSize(0)));
        assertEquals("updates: must be >= 1, found 0", REJECTED.of(b -> b.updates(0)));
    }

    @Test
    void defaultsAreThoseOfTheCommandWithoutADemo() {
        EnergyOptions o = EnergyOptions.builder().build();
        assertEquals(EnergyOptions.Model.NETWORK, o.model());
        assertEquals(List.of(new EnergyNetwork.Layer(64, Activation.SOFTPLUS)), o.layers());
        assertEquals(0.05, o.learningRate());
        assertEquals(200, o.batchSize());
        assertEquals(3000, o.updates());
        assertEquals("ml", o.loss());
        assertEquals(NegativeSampling.CD, o.negatives());
        assertEquals(1L, o.seed());
    }

    @Test
    void theMapFormRoundTripsEveryOption() {
        EnergyOptions o = EnergyOptions.builder().model(EnergyOptions.Model.UNIGAUSS).layers("5:fas,3:softplus")
                .visiblePrecision(0.25).weightScale(1.5).initialScale(-0.3).experts(9).envelope(0.125).loss("hinge")
                .margin(2.5).lossScale(0.75).negatives(NegativeSampling.PERSISTENT).negativesPerExample(3)
                .leapfrogSteps(7).trajectories(2).stepSize(0.0123456789).adaptStepSize(false).targetAccept(0.7)
                .metropolis(false).learningRate(1e-3).momentum(0.5).weightDecay(0).update(EnergyOptions.Update.SIGN)
                .maxGradientNorm(4).batchSize(33).updates(77).seed(-9).build();
        assertEquals(o, EnergyOptions.fromMap(o.toMap()));
        assertEquals(o, o.toBuilder().build());
        EnergyOptions defaults = EnergyOptions.builder().build();
        assertEquals(defaults, EnergyOptions.fromMap(defaults.toMap()));
        assertEquals("Infinity", defaults.toMap().get("max_gradient_norm"));
        assertEquals("5:fas,3:softplus", o.toMap().get("layers"));
        assertEquals("persistent", o.toMap().get("negatives"));
        assertEquals("sign", o.toMap().get("update"));
    }

    @Test
    void malformedMissingAndUnknownKeysAreNamed() {
        Map<String, String> m = new LinkedHashMap<>(EnergyOptions.builder().build().toMap());
        m.put("updates", "many");
        assertEquals("energy model options: 'updates' must be an integer, found 'many'",
                Rejections.message(() -> EnergyOptions.fromMap(m)));
        m.put("updates", "5");
        m.put("model", "rbm");
        assertEquals("unknown energy model 'rbm'; expected network or unigauss",
                Rejections.message(() -> EnergyOptions.fromMap(m)));
        Rejections.assertKeysChecked(EnergyOptions.builder().build().toMap(), EnergyOptions::fromMap,
                "energy model options", "seed", "learning_rate_schedule");
    }

    @Test
    void updatesAreSpreadOverEpochsOfFullBatches() {
        EnergyOptions o = EnergyOptions.builder().batchSize(50).updates(10).build();
        assertEquals(4, o.updatesPerEpoch(220)); // 20 rows of the last partial batch are dropped
        assertEquals(3, o.epochs(220)); // 4 + 4 + 2
        assertEquals(1, o.updatesPerEpoch(30)); // a batch larger than the data takes all rows
        assertEquals(30, o.batchRows(30));
        assertEquals(10, o.epochs(30));
        assertEquals(1, EnergyOptions.builder().batchSize(50).updates(4).build().epochs(200));
    }
}
