package org.ebm4j.hmc;

/**
 * What one HMC transition of all chains did.
 *
 * @param chains number of chains
 * @param accepted how many chains accepted their proposal
 * @param meanAcceptProbability mean over chains of {@code min(1, exp(-energyError))} (NaN counts as
 *     0): the statistic step-size adaptation steers
 * @param divergent how many chains had an energy error above the divergence threshold or not finite
 * @param finiteEnergyErrors how many chains had a finite energy error
 * @param meanAbsEnergyError mean over chains of {@code |H_new - H_old|}, over finite errors only (NaN if none)
 * @param maxAbsEnergyError the largest {@code |H_new - H_old|} (infinite when any is not finite)
 */
public record TrajectoryStats(int chains, int accepted, double meanAcceptProbability, int divergent,
                              int finiteEnergyErrors, double meanAbsEnergyError, double maxAbsEnergyError) {
}
