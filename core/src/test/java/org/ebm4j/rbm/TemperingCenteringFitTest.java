package org.ebm4j.rbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ebm4j.data.Dataset;
import org.ebm4j.tempering.TemperatureLadder;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.Interrupt;
import org.ebm4j.train.EpochReport;
import org.ebm4j.train.Optimizer;
import org.ebm4j.train.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.extension.ExtendWith;

/** Rbm.fit with parallel tempering, centering, Adam and the training safety, end to end. */
@ExtendWith(NoLeakedTensors.class)
class TemperingCenteringFitTest {
    @TempDir
    Path dir;

    private final Backend backend = new ReferenceBackend();

    private static RbmOptions.Builder small() {
        return RbmOptions.builder().hidden(4).holdout(10).chains(5).batchSize(8).learningRate(0.05).epochs(4)
                .seed(7);
    }

    /** PT with Adam and centering: a run killed after epoch 2 and resumed ends with the uninterrupted run's model. */
    @Test
    void temperedCenteredAdamRunResumesBitForBit() throws IOException {
        Dataset data = RbmFitTest.grey("grey", 60, 6, 4);
        RbmOptions o = small().method(TrainingMethod.PT).replicas(3).betas(TemperatureLadder.geometric(0.3))
                .optimizer(Optimizer.ADAM).centering(true).build();
        List<EpochReport> reports = new ArrayList<>();
        TrainingListener collect = TrainingListener.forReports(reports::add);
        Rbm straight = Rbm.fit(backend, data, o, Checkpointing.none(), collect);
        assertEquals(4, reports.size());
        double rate = reports.get(3).metrics().get("swap_rate_0");
        assertTrue(rate > 0 && rate <= 1, "swap rate of the pair (0, 1): " + rate);
        assertTrue(reports.get(3).metrics().containsKey("swap_rate_1"));
        Path ckpt = dir.resolve("checkpoint.ebm");
        assertThrows(IllegalStateException.class,
                () -> Rbm.fit(backend, data, o, Checkpointing.every(ckpt, 1), new Interrupt(2)));
        try (straight; Rbm resumed = Rbm.resume(ckpt, data, backend, Checkpointing.none())) {
            assertEquals(straight.parameters(), resumed.parameters(), "checkpoint + resume == uninterrupted run");
            CenteredParameters a = straight.centeredParameters().orElseThrow();
            CenteredParameters b = resumed.centeredParameters().orElseThrow();
            assertArrayEquals(a.visibleOffset(), b.visibleOffset());
            assertArrayEquals(a.hiddenOffset(), b.hiddenOffset());
            Path file = dir.resolve("model.ebm");
            straight.save(file);
            try (Rbm loaded = Rbm.load(file, backend)) {
                assertArrayEquals(a.hiddenOffset(), loaded.centeredParameters().orElseThrow().hiddenOffset(),
                        "the offsets are saved with the model");
            }
        }
    }

    /**
     * A centered model and its uncentered conversion: the free energies differ by the same constant
     * {@link CenteredParameters#energyShift()} for every visible state (so they define one distribution),
     * and converting back gives the centered parameters again.
     */
    @Test
    void centeredAndUncenteredModelsGiveTheSameFreeEnergies() {
        RbmParameters c = HostRbm.random(VisibleType.BERNOULLI, 5, 3, 1.0, 0.7, 21);
        Random r = new Random(2);
        float[] mu = new float[5];
        float[] lambda = new float[3];
        for (int i = 0; i < 5; i++) {
            mu[i] = r.nextFloat();
        }
        for (int j = 0; j < 3; j++) {
            lambda[j] = r.nextFloat();
        }
        CenteredParameters centered = new CenteredParameters(c, mu, lambda);
        double[][] vs = HostRbm.allStates(5);
        double[][] hs = HostRbm.allStates(3);
        try (Rbm plain = Rbm.of(backend, centered.uncentered())) {
            double[] f = plain.freeEnergy(Dataset.of("all", vs.length, 5, HostRbm.flat(vs)));
            for (int k = 0; k < vs.length; k++) {
                // F_centered(v) = -log sum_h exp(-E_centered(v, h)), enumerated in double from the centered energy.
                double s = 0;
                for (double[] h : hs) {
                    s += Math.exp(-centeredEnergy(c, mu, lambda, vs[k], h));
                }
                assertEquals(-Math.log(s), f[k] + centered.energyShift(), 1e-4, "state " + k);
            }
            CenteredParameters back = CenteredParameters.of(plain.parameters(), mu, lambda);
            assertArrayEquals(c.visibleBias(), back.centered().visibleBias(), 1e-5f);
            assertArrayEquals(c.hiddenBias(), back.centered().hiddenBias(), 1e-5f);
        }
    }

    private static double centeredEnergy(RbmParameters p, float[] mu, float[] lambda, double[] v, double[] h) {
        int nh = p.hidden();
        double e = 0;
        for (int i = 0; i < p.visible(); i++) {
            e -= p.visibleBias()[i] * (v[i] - mu[i]);
            for (int j = 0; j < nh; j++) {
                e -= (v[i] - mu[i]) * p.weights()[i * nh + j] * (h[j] - lambda[j]);
            }
        }
        for (int j = 0; j < nh; j++) {
            e -= p.hiddenBias()[j] * (h[j] - lambda[j]);
        }
        return e;
    }

    /**
     * A learning rate of 3e38 with momentum 0.9 overflows the velocities (beyond the float range 3.4e38
     * after two updates of one sign) within the first epochs: the run is rolled back
     * with the rate halved, twice, and the third divergence ends it with an error that says so.
     */
    @Test
    void aHugeLearningRateIsRolledBackThenRefused() {
        Dataset data = RbmFitTest.grey("grey", 60, 6, 4);
        RbmOptions o = small().learningRate(3e38).momentum(0.9).maxRollbacks(2).build();
        List<String> rollbacks = new ArrayList<>();
        TrainingListener l = new TrainingListener() {
            @Override
            public void onRollback(int epoch, int backTo, String reason, double rateFactor) {
                rollbacks.add(epoch + "->" + backTo + " x" + rateFactor);
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Rbm.fit(backend, data, o, Checkpointing.none(), l));
        assertEquals(2, rollbacks.size(), rollbacks.toString());
        String epoch = rollbacks.get(0).substring(0, rollbacks.get(0).indexOf("->"));
        int back = Integer.parseInt(epoch) - 1;
        assertEquals(List.of(epoch + "->" + back + " x0.5", epoch + "->" + back + " x0.25"), rollbacks,
                "each rollback returns to the last good epoch and halves the rate once more");
        // Non-finite, or finite but grown by orders of magnitude (TrainingSafety.MAX_GROWTH): both diverged.
        assertTrue(e.getMessage().startsWith("training diverged in epoch ") && (e.getMessage().contains(
                " (non-finite value") || e.getMessage().contains(" (the largest magnitude in ")), e.getMessage());
        assertTrue(e.getMessage().contains("after 2 rollback(s)"), e.getMessage());
    }

    @Test
    void optionsCheckTheNewFields() {
        RbmOptions o = small().method(TrainingMethod.PT).replicas(4).betas(TemperatureLadder.of(1, 0.7, 0.4, 0.2))
                .optimizer(Optimizer.ADAM).centering(true).patience(3).maxRollbacks(1).build();
        assertEquals(o, RbmOptions.fromMap(o.toMap()));
        assertEquals("pt", o.toMap().get("method"));
        assertEquals("1.0,0.7,0.4,0.2", o.toMap().get("betas"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> small().method(TrainingMethod.PT).replicas(3).betas(TemperatureLadder.of(1, 0.5)).build());
        assertTrue(e.getMessage().contains("2 replicas but 3 are asked for"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> small().replicas(1).build());
        assertThrows(IllegalArgumentException.class,
                () -> small().visibleType(VisibleType.GAUSSIAN).method(TrainingMethod.PT).build());
        IllegalArgumentException noHeldOut = assertThrows(IllegalArgumentException.class,
                () -> Rbm.fit(backend, RbmFitTest.grey("grey", 30, 6, 4), small().holdout(0).patience(2).build(),
                        Checkpointing.none()));
        assertTrue(noHeldOut.getMessage().contains("needs held-out rows"), noHeldOut.getMessage());
    }
}
