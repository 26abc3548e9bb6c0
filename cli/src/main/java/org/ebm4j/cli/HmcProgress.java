package org.ebm4j.cli;

import org.ebm4j.hmc.HmcListener;
import org.ebm4j.hmc.TrajectoryStats;

/**
 * Progress bars of an HMC run on stderr: one over the warm-up transitions, then one over the kept
 * draws, each with speed and ETA; nothing when the command shows no progress.
 */
final class HmcProgress implements HmcListener, AutoCloseable {
    private final TerminalProgress warmup;
    private final TerminalProgress draws;
    private final long warmupTransitions;
    private final long drawTransitions;

    HmcProgress(boolean shown, long warmupTransitions, long drawTransitions) {
        this.warmup = new TerminalProgress(shown, "HMC warm-up", "transitions");
        this.draws = new TerminalProgress(shown, "HMC draws", "transitions");
        this.warmupTransitions = warmupTransitions;
        this.drawTransitions = drawTransitions;
    }

    @Override
    public void onTransition(boolean inWarmup, int iteration, double stepSize, TrajectoryStats stats) {
        if (inWarmup) {
            warmup.onProgress(iteration + 1L, warmupTransitions);
        } else {
            warmup.close();
            draws.onProgress(iteration + 1L, drawTransitions);
        }
    }

    @Override
    public void close() {
        warmup.close();
        draws.close();
    }
}
