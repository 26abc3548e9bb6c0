package org.ebm4j.hmc;

/**
 * The diagonal mass matrix of Stan's windowed warm-up: the positions of the iterations inside a slow
 * window ({@link WarmupWindows}) are summarized, and at the window's end the metric becomes their
 * regularized variance. Each window starts afresh: positions of earlier windows, drawn under a worse
 * metric and further from the typical set, must not leak into the next estimate.
 */
final class MetricAdaptation {
    private final WarmupWindows windows;
    private final RunningMoments moments;

    /** @param windows the warm-up schedule; {@code d} the dimension of the positions */
    MetricAdaptation(WarmupWindows windows, int d) {
        this.windows = windows;
        this.moments = new RunningMoments(d);
    }

    /** Whether warm-up iteration {@code it} needs the positions (callers skip the copy otherwise). */
    boolean collects(int it) {
        return windows.collects(it);
    }

    /**
     * Takes the positions after warm-up iteration {@code it} ({@code rows x d} row-major; ignored outside
     * the windows) and returns the new inverse mass when a window ends there, otherwise null.
     */
    double[] observe(int it, float[] positions, int rows) {
        if (windows.collects(it)) {
            moments.addRows(positions, rows);
        }
        if (!windows.endsWindow(it)) {
            return null;
        }
        double[] inverseMass = moments.regularizedVariance();
        moments.reset();
        return inverseMass;
    }
}
