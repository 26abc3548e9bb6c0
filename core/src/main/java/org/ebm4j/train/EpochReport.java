package org.ebm4j.train;

import java.util.Map;

/**
 * What happened in one training epoch.
 *
 * @param epoch             1-based epoch just finished
 * @param epochs            planned epochs
 * @param learningRate      the rate used in this epoch
 * @param trainSeconds      wall-clock training time of the epoch (metrics excluded)
 * @param examplesPerSecond training throughput
 * @param metrics           named metrics (for example the RBM metrics {@code recon_error}, {@code free_energy_gap}), in insertion order
 */
public record EpochReport(int epoch, int epochs, double learningRate, double trainSeconds, double examplesPerSecond,
                          Map<String, Double> metrics) {
}
