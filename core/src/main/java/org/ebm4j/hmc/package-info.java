/**
 * Hamiltonian Monte Carlo over many chains at once (chain index = tensor row), on any backend.
 *
 * <p>{@link org.ebm4j.hmc.EnergyFunction} is the target ({@code p(q) ~ exp(-U(q))}, with its exact
 * gradient); {@link org.ebm4j.hmc.Leapfrog} integrates the dynamics with merged kicks through the SPI's
 * fused leapfrog op; {@link org.ebm4j.hmc.HmcChains} holds the chains and makes one Metropolis-corrected
 * transition; {@link org.ebm4j.hmc.HmcSampler} (one call: {@code sample(energy, HmcOptions)}) adds
 * warm-up (dual-averaging step size, {@link org.ebm4j.hmc.DualAveraging}; optional diagonal mass
 * matrix in Stan's windows, {@link org.ebm4j.hmc.WarmupWindows}) and returns an {@link org.ebm4j.hmc.HmcResult} with
 * {@link org.ebm4j.hmc.HmcDiagnostics} (acceptance, divergences, energy error, split R-hat and ESS per
 * coordinate from {@link org.ebm4j.hmc.ConvergenceDiagnostics}). {@link org.ebm4j.hmc.GaussianEnergy} is a
 * dense Gaussian target with a known answer, and {@link org.ebm4j.hmc.McseCheck} measures a run's
 * distance from it in Monte Carlo standard errors. Public API.
 */
package org.ebm4j.hmc;
