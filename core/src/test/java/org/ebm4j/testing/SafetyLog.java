package org.ebm4j.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ebm4j.train.EpochReport;
import org.ebm4j.train.TrainingListener;

/**
 * Records what the training safety told a run's listeners: the rollbacks (epoch, epoch gone back to,
 * rate factor), the early stop's best epoch and the reported value of a metric per epoch.
 */
public final class SafetyLog implements TrainingListener {
    private final String metric;
    /** {@code "EPOCH->BACK xFACTOR"} per rollback, in order. */
    public final List<String> rollbacks = new ArrayList<>();
    /** The watched metric per reported epoch (only epochs whose report has it). */
    public final Map<Integer, Double> values = new LinkedHashMap<>();
    /** The best epoch the early stop named, or 0 when the run did not stop early. */
    public int bestEpoch;
    /** The epoch after which the run stopped early, or 0. */
    public int stoppedAfter;

    /** A log of the reported values of {@code metric}. */
    public SafetyLog(String metric) {
        this.metric = metric;
    }

    @Override
    public void onReport(EpochReport r) {
        Double v = r.metrics().get(metric);
        if (v != null) {
            values.put(r.epoch(), v);
        }
    }

    @Override
    public void onRollback(int epoch, int backTo, String reason, double rateFactor) {
        rollbacks.add(epoch + "->" + backTo + " x" + rateFactor);
    }

    @Override
    public void onEarlyStop(int epoch, int best, String watched, double value) {
        stoppedAfter = epoch;
        bestEpoch = best;
    }

    /** The epoch with the best reported value (the first of ties), higher or lower being better. */
    public int bestReported(boolean higherIsBetter) {
        int best = 0;
        double bestValue = Double.NaN;
        for (Map.Entry<Integer, Double> e : values.entrySet()) {
            double v = e.getValue();
            if (best == 0 || (higherIsBetter ? v > bestValue : v < bestValue)) {
                best = e.getKey();
                bestValue = v;
            }
        }
        return best;
    }

    /**
     * Checks that the run rolled back at least once and that every rollback went from epoch 1 back to the
     * start, the rate halved each time ({@code 1->0 x0.5}, {@code 1->0 x0.25}, ...), and returns how many
     * there were: the run that followed is then the run of a fresh model at the rate times {@code 2^-n}.
     */
    public int rollbacksToTheStart() {
        org.junit.jupiter.api.Assertions.assertFalse(rollbacks.isEmpty(), "rolled back at least once");
        for (int i = 0; i < rollbacks.size(); i++) {
            org.junit.jupiter.api.Assertions.assertEquals("1->0 x" + Math.scalb(1.0, -(i + 1)), rollbacks.get(i));
        }
        return rollbacks.size();
    }

    /**
     * Checks that a run planned for {@code planned} epochs stopped early, {@code patience} epochs after the
     * best reported value of a metric of which lower is better, and that the early stop named that epoch;
     * returns it.
     */
    public int stoppedEarlyAtTheLowest(int planned, int patience) {
        org.junit.jupiter.api.Assertions.assertTrue(stoppedAfter > 0 && stoppedAfter < planned,
                "stopped early: " + values);
        org.junit.jupiter.api.Assertions.assertEquals(bestReported(false), bestEpoch);
        org.junit.jupiter.api.Assertions.assertEquals(stoppedAfter - patience, bestEpoch,
                patience + " epochs without improvement");
        return bestEpoch;
    }
}
