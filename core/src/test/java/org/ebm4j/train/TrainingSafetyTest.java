package org.ebm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Divergence rollback and early stopping of {@link TrainingRun} on a trainer whose behaviour is known
 * in closed form: gradient descent on {@code x^2 / 2}, four steps per epoch, so an epoch multiplies
 * {@code x} by {@code (1 - lr)^4}; it diverges for {@code lr > 2} and converges for {@code lr < 2}.
 */
class TrainingSafetyTest {

    /** Gradient descent on {@code x^2 / 2}; the model file holds {@code x}. */
    private static final class Quadratic extends ScalarTrainer {
        private final double lr;

        Quadratic(double x, double lr, int epochs) {
            super("quadratic", epochs, 4, x);
            this.lr = lr;
        }

        @Override
        protected double runEpoch(int epochIndex, BatchDone done) {
            double rate = lr * rateFactor();
            for (int i = 0; i < 4; i++) {
                x -= rate * x;
                done.after(i + 1);
            }
            return rate;
        }
    }

    /** Records rollbacks, early stops and reported epochs. */
    private static final class Log implements TrainingListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void onReport(EpochReport r) {
            events.add("report " + r.epoch());
        }

        @Override
        public void onRollback(int epoch, int backTo, String reason, double rateFactor) {
            events.add("rollback " + epoch + " to " + backTo + " x" + rateFactor);
        }

        @Override
        public void onEarlyStop(int epoch, int bestEpoch, String metric, double best) {
            events.add("stop " + epoch + " best " + bestEpoch + " " + metric);
        }
    }

    private static void run(Quadratic q, TrainingRun.Metrics metrics, TrainingSafety safety, Log log) {
        TrainingRun.run(q, null, q::file, q::load, Checkpointing.none(), 1, metrics, safety, List.of(log));
    }

    /**
     * At lr = 3 an epoch multiplies x by 16 and the loss x^2 by 256: the first epoch sets the reference
     * (256), the second (65,536) is more than 10 times worse, so it is rolled back to epoch 1 with lr 1.5,
     * which contracts x by 0.5^4 per epoch: the run then ends with x = 16 * 0.5^16 after 5 more epochs.
     */
    @Test
    void anExplodingMetricIsRolledBackWithTheRateHalved() {
        Quadratic q = new Quadratic(1, 3, 6);
        Log log = new Log();
        run(q, (e, n) -> Map.of("loss", q.x * q.x), new TrainingSafety("loss", false, 0, 3, 10), log);
        assertEquals(List.of("report 1", "rollback 2 to 1 x0.5", "report 2", "report 3", "report 4", "report 5",
                "report 6"), log.events);
        assertEquals(16 * Math.pow(0.5, 20), q.x, 1e-12);
        assertEquals(1, q.state().counter("rate_halvings"), "the halving is part of the state");
    }

    /**
     * At lr = 100 every halving still diverges: epoch 1 multiplies x by 99^4, then 49^4, then 24^4 =
     * 331,776, each past {@link TrainingSafety#MAX_GROWTH}; after the allowed rollbacks the run fails,
     * saying so. At lr = 9 (8^4 = 4096 an epoch, then 3.5^4 = 150 at lr 4.5) the parameter's growth is
     * caught once, and the metric's explosion (the loss x^2 grows 22,500 times) after that.
     */
    @Test
    void divergenceAfterTheLastRollbackEndsTheRun() {
        Quadratic q = new Quadratic(1, 100, 6);
        Log log = new Log();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> run(q, (ep, n) -> Map.of("loss", q.x * q.x), new TrainingSafety("loss", false, 0, 2, 10), log));
        assertTrue(e.getMessage().startsWith("training diverged in epoch 1 (the largest magnitude in x grew from 1.0 to "
                + "331776.0 in one epoch) after 2 rollback(s)"), e.getMessage());
        assertEquals(List.of("rollback 1 to 0 x0.5", "rollback 1 to 0 x0.25"), log.events);

        Quadratic metric = new Quadratic(1, 9, 6);
        Log second = new Log();
        IllegalStateException m = assertThrows(IllegalStateException.class, () -> run(metric,
                (ep, n) -> Map.of("loss", metric.x * metric.x), new TrainingSafety("loss", false, 0, 1, 10), second));
        assertTrue(m.getMessage().startsWith("training diverged in epoch 2 (loss = "), m.getMessage());
        assertEquals(List.of("rollback 1 to 0 x0.5", "report 1"), second.events);
    }

    /** A non-finite parameter is a divergence even without a watched metric. */
    @Test
    void nonFiniteParametersAreRolledBack() {
        Quadratic q = new Quadratic(1e30, 1e10, 2);
        Log log = new Log();
        assertThrows(IllegalStateException.class,
                () -> run(q, TrainingRun.Metrics.none(), new TrainingSafety(null, false, 0, 1, 10), log));
        assertEquals(1, log.events.size());
        assertTrue(log.events.get(0).startsWith("rollback 1 to 0"), log.events.toString());
    }

    /**
     * A finite explosion is a divergence too, without a watched metric: at lr = 7 an epoch multiplies x
     * by (1 - 7)^4 = 1296, past {@link TrainingSafety#MAX_GROWTH} (1000) times its last good magnitude
     * of 1, so epoch 1 is rolled back with lr 3.5, where an epoch multiplies x by 2.5^4 = 39: never 1000
     * times what it was, so the three epochs then run to x = 2.5^12. At lr = 6.5 the first epoch's
     * factor 5.5^4 = 915 stays under the bound and is kept.
     */
    @Test
    void aParameterGrowingByThreeOrdersOfMagnitudeInOneEpochIsRolledBack() {
        Quadratic q = new Quadratic(1, 7, 3);
        Log log = new Log();
        List<String> reasons = new ArrayList<>();
        TrainingRun.run(q, null, q::file, q::load, Checkpointing.none(), 1, TrainingRun.Metrics.none(),
                new TrainingSafety(null, false, 0, 1, 10), List.of(log, new TrainingListener() {
                    @Override
                    public void onRollback(int epoch, int backTo, String reason, double rateFactor) {
                        reasons.add(reason);
                    }
                }));
        assertEquals(List.of("rollback 1 to 0 x0.5", "report 1", "report 2", "report 3"), log.events);
        assertEquals(List.of("the largest magnitude in x grew from 1.0 to 1296.0 in one epoch"), reasons);
        assertEquals(Math.pow(2.5, 12), q.x, 1e-6 * Math.pow(2.5, 12));

        Quadratic under = new Quadratic(1, 6.5, 1);
        Log kept = new Log();
        run(under, TrainingRun.Metrics.none(), new TrainingSafety(null, false, 0, 1, 10), kept);
        assertEquals(List.of("report 1"), kept.events);
    }

    /**
     * Training drives x from 1 to 0 (x_e = 0.9^(4e)) while the held-out loss (x - 0.5)^2 is least at
     * epoch 2 (x = 0.43); with patience 2 the run stops after epoch 4 and the model gets epoch 2's x.
     */
    @Test
    void earlyStoppingKeepsTheBestEpoch() {
        Quadratic q = new Quadratic(1, 0.1, 20);
        Log log = new Log();
        run(q, (e, n) -> Map.of("heldout", (q.x - 0.5) * (q.x - 0.5)), new TrainingSafety("heldout", false, 2, 0, 10),
                log);
        assertEquals(List.of("report 1", "report 2", "report 3", "report 4", "stop 4 best 2 heldout"), log.events);
        assertEquals(Math.pow(0.9, 8), q.x, 1e-6);
        assertEquals(4, q.epochsDone());
    }
}
