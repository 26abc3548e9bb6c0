package org.ebm4j.hmc;

import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Sampler;
import org.ebm4j.tensor.Tensor;

/**
 * The state of many HMC chains on one backend (chain index = row) and the transition that moves
 * them: fresh momentum {@code p ~ N(0, M)}, {@link Leapfrog} integration, then a per-chain Metropolis
 * accept with probability {@code min(1, exp(H_old - H_new))}; rejected chains keep their position.
 * The gradient and energy at the current positions are cached between transitions, so a trajectory
 * of {@code L} steps costs {@code L} gradient evaluations.
 *
 * <p>The accept decision is made by {@link Sampler#metropolisSelect} on the positions, and replayed
 * from the same stream position on the cached gradients (same uniforms, same energies, hence the same
 * decisions), so no per-chain mask ever leaves the backend. The energy error is formed on the host in
 * double from the {@code chains x 1} potential and kinetic energies: the backend compares
 * {@code 0} with it, which keeps float cancellation of large energies out of the accept test.
 *
 * <p>Not thread-safe. Close to release the backend tensors (not the energy function).
 */
public final class HmcChains implements AutoCloseable {
    /** Stan's divergence threshold on the energy error. */
    public static final double DEFAULT_DIVERGENCE_THRESHOLD = 1000;

    private final EnergyFunction energyFunction;
    private final Backend backend;
    private final Sampler sampler;
    private final int chains;
    private final int d;
    private final DiagonalMetric metric;
    private final Tensor q;
    private final Tensor grad;
    private final Tensor qProposal;
    private final Tensor pMomentum;
    private final Tensor gradProposal;
    private final Tensor potential;
    private final Tensor kinetic;
    private final Tensor zeroEnergy;
    private final Tensor energyError;
    private final Tensor accepted;
    private final double[] potentialHost;
    private final double[] energyErrorHost;
    private final float[] scratch;
    private final float[] proposalPotential;
    private final float[] acceptedHost;
    private final float[] uploadBuffer;
    private final double[] kineticBefore;
    private final double[] kineticAfter;
    private double divergenceThreshold = DEFAULT_DIVERGENCE_THRESHOLD;
    private boolean stale = true;

    /**
     * Chains starting at the rows of {@code initial} ({@code chains x d}, copied).
     */
    public HmcChains(EnergyFunction energyFunction, Tensor initial) {
        this.energyFunction = energyFunction;
        this.backend = energyFunction.backend();
        this.sampler = backend.sampler();
        energyFunction.checkPositions("HmcChains", initial);
        this.chains = initial.rows();
        this.d = initial.cols();
        this.metric = new DiagonalMetric(backend, chains, d);
        this.q = backend.allocate(chains, d);
        this.grad = backend.allocate(chains, d);
        this.qProposal = backend.allocate(chains, d);
        this.pMomentum = backend.allocate(chains, d);
        this.gradProposal = backend.allocate(chains, d);
        this.potential = backend.allocate(chains, 1);
        this.kinetic = backend.allocate(chains, 1);
        this.zeroEnergy = backend.allocate(chains, 1);
        this.energyError = backend.allocate(chains, 1);
        this.accepted = backend.allocate(chains, 1);
        this.potentialHost = new double[chains];
        this.energyErrorHost = new double[chains];
        this.scratch = new float[chains];
        this.proposalPotential = new float[chains];
        this.acceptedHost = new float[chains];
        this.uploadBuffer = new float[chains];
        this.kineticBefore = new double[chains];
        this.kineticAfter = new double[chains];
        backend.copy(initial, q);
    }

    public int chains() {
        return chains;
    }

    public int dimension() {
        return d;
    }

    public EnergyFunction energyFunction() {
        return energyFunction;
    }

    /** The mass matrix (identity until set). */
    public DiagonalMetric metric() {
        return metric;
    }

    /** The current positions, {@code chains x d}, owned by these chains: read them, do not write them. */
    public Tensor positions() {
        return q;
    }

    /** Replaces the positions with the rows of {@code src} ({@code chains x d}). */
    public void setPositions(Tensor src) {
        backend.copy(src, q);
        stale = true;
    }

    /**
     * Says that the energy function changed (for example its parameters were updated while these
     * chains persist): the cached energies and gradients are recomputed before the next transition.
     */
    public void energyChanged() {
        stale = true;
    }

    /** Energy errors above this (or not finite) count as divergent; default 1000 as in Stan. */
    public void setDivergenceThreshold(double threshold) {
        if (!(threshold > 0)) {
            throw new IllegalArgumentException("divergence threshold must be > 0, found " + threshold);
        }
        this.divergenceThreshold = threshold;
    }

    /** {@code U} at the current positions (host copy, double). */
    public double[] potentials() {
        refreshIfStale();
        return potentialHost.clone();
    }

    /** The energy errors {@code H_new - H_old} of the last transition, per chain. */
    public double[] lastEnergyErrors() {
        return energyErrorHost.clone();
    }

    /**
     * One Metropolis-corrected HMC transition of every chain.
     *
     * @param eps leapfrog step size, finite and > 0
     * @param steps leapfrog steps per trajectory, {@code >= 1}
     */
    public TrajectoryStats transition(float eps, int steps, RandomStream rng) {
        return move(eps, steps, rng, true);
    }

    /**
     * The dynamics without the Metropolis test: every chain moves to the end of its trajectory (the
     * contrastive-divergence shortcut, where a few steps from the data only need to head downhill in
     * free energy, not to sample exactly). Divergences are still counted; a chain whose end point has a
     * non-finite energy keeps its old position, so garbage never enters the state.
     */
    public TrajectoryStats transitionUncorrected(float eps, int steps, RandomStream rng) {
        return move(eps, steps, rng, false);
    }

    private TrajectoryStats move(float eps, int steps, RandomStream rng, boolean metropolis) {
        if (!(eps > 0) || !Float.isFinite(eps)) {
            throw new IllegalArgumentException("step size must be finite and > 0, found " + eps);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("leapfrog steps must be >= 1, found " + steps);
        }
        refreshIfStale();
        drawMomentum(rng);
        kineticEnergies(kineticBefore);
        backend.copy(q, qProposal);
        backend.copy(grad, gradProposal);
        Leapfrog.integrate(energyFunction, qProposal, pMomentum, gradProposal, potential, metric.inverseMassRow(),
                eps, steps);
        kineticEnergies(kineticAfter);
        potential.copyTo(proposalPotential);
        int finite = 0;
        double sumAbs = 0;
        double maxAbs = 0;
        double sumAccept = 0;
        int divergent = 0;
        float[] errorsUpload = uploadBuffer;
        for (int r = 0; r < chains; r++) {
            double h = (double) proposalPotential[r] + kineticAfter[r] - (potentialHost[r] + kineticBefore[r]);
            if (Double.isNaN(h)) {
                h = Double.POSITIVE_INFINITY; // a NaN end point is as unusable as an infinite one
            }
            energyErrorHost[r] = h;
            errorsUpload[r] = (float) h;
            if (Double.isFinite(h)) {
                finite++;
                sumAbs += Math.abs(h);
                maxAbs = Math.max(maxAbs, Math.abs(h));
                sumAccept += h <= 0 ? 1 : Math.exp(-h);
            } else {
                maxAbs = Double.POSITIVE_INFINITY;
            }
            if (!(h <= divergenceThreshold)) {
                divergent++;
            }
        }
        int acceptedCount;
        if (metropolis) {
            energyError.copyFrom(errorsUpload);
            long draw = rng.drawIndex();
            backend.fill(zeroEnergy, 0f);
            sampler.metropolisSelect(q, zeroEnergy, qProposal, energyError, accepted, rng);
            RandomStream replay = rng.at(draw);
            backend.fill(zeroEnergy, 0f);
            sampler.metropolisSelect(grad, zeroEnergy, gradProposal, energyError, accepted, replay);
            accepted.copyTo(acceptedHost);
        } else {
            // Keep only finite end points: select with error 0 (accept) or +inf (reject), which needs no uniform.
            for (int r = 0; r < chains; r++) {
                errorsUpload[r] = Double.isFinite(energyErrorHost[r]) ? 0f : Float.POSITIVE_INFINITY;
            }
            energyError.copyFrom(errorsUpload);
            backend.fill(zeroEnergy, 0f);
            sampler.metropolisSelect(q, zeroEnergy, qProposal, energyError, accepted, rng);
            backend.fill(zeroEnergy, 0f);
            sampler.metropolisSelect(grad, zeroEnergy, gradProposal, energyError, accepted, rng);
            accepted.copyTo(acceptedHost);
        }
        acceptedCount = 0;
        for (int r = 0; r < chains; r++) {
            if (acceptedHost[r] != 0f) {
                acceptedCount++;
                potentialHost[r] = proposalPotential[r];
            }
        }
        return new TrajectoryStats(chains, acceptedCount, sumAccept / chains, divergent, finite,
                finite == 0 ? Double.NaN : sumAbs / finite, maxAbs);
    }

    /**
     * Stan's heuristic for an initial step size: from {@code eps}, double (or halve) it until the
     * mean acceptance probability of a single leapfrog step from the current positions crosses 0.8.
     * The chains do not move.
     *
     * @return the step size found, finite and > 0
     * @throws IllegalStateException if no step size between 1e-10 and 1e7 works (the energy or its
     *     gradient is likely broken at the current positions)
     */
    public double findReasonableStepSize(double eps, RandomStream rng) {
        if (!(eps > 0) || !Double.isFinite(eps)) {
            throw new IllegalArgumentException("initial step size must be finite and > 0, found " + eps);
        }
        refreshIfStale();
        double logTarget = Math.log(0.8);
        int direction = 0;
        for (int tries = 0; tries < 200; tries++) {
            double logAccept = Math.log(oneStepAcceptance((float) eps, rng));
            if (direction == 0) {
                direction = logAccept > logTarget ? 1 : -1;
            }
            if (direction == 1 && !(logAccept > logTarget)) {
                return eps;
            }
            if (direction == -1 && !(logAccept < logTarget)) {
                return eps;
            }
            eps = direction == 1 ? 2 * eps : 0.5 * eps;
            if (eps > 1e7 || eps < 1e-10) {
                throw new IllegalStateException("no usable step size: searching from the initial step size reached "
                        + eps + " (check that the energy gradient matches the energy)");
            }
        }
        return eps;
    }

    // Mean over chains of min(1, exp(-dH)) for one leapfrog step from the current state; state unchanged.
    private double oneStepAcceptance(float eps, RandomStream rng) {
        drawMomentum(rng);
        double[] before = kineticBefore;
        kineticEnergies(before);
        backend.copy(q, qProposal);
        backend.copy(grad, gradProposal);
        Leapfrog.integrate(energyFunction, qProposal, pMomentum, gradProposal, potential, metric.inverseMassRow(),
                eps, 1);
        double[] after = kineticAfter;
        kineticEnergies(after);
        potential.copyTo(proposalPotential);
        double sum = 0;
        for (int r = 0; r < chains; r++) {
            double h = (double) proposalPotential[r] + after[r] - (potentialHost[r] + before[r]);
            if (Double.isFinite(h)) {
                sum += h <= 0 ? 1 : Math.exp(-h);
            }
        }
        return sum / chains;
    }

    private void drawMomentum(RandomStream rng) {
        sampler.fillNormal(pMomentum, 0f, 1f, rng);
        Tensor sqrtMass = metric.sqrtMassTiled();
        if (sqrtMass != null) {
            backend.mul(pMomentum, sqrtMass, pMomentum);
        }
    }

    // p^T M^-1 p / 2 per chain, to the host in double.
    private void kineticEnergies(double[] k) {
        backend.rowSquaredNorms(pMomentum, metric.inverseMassRow(), kinetic);
        kinetic.copyTo(scratch);
        for (int r = 0; r < chains; r++) {
            k[r] = 0.5 * scratch[r];
        }
    }

    private void refreshIfStale() {
        if (stale) {
            energyFunction.energyAndGradient(q, potential, grad);
            potential.copyTo(scratch);
            for (int r = 0; r < chains; r++) {
                if (!Float.isFinite(scratch[r])) {
                    throw new IllegalStateException("chain " + r + " sits where the energy is " + scratch[r]
                            + "; HMC needs a finite energy at every current position (check the starting points"
                            + " or the model's parameters)");
                }
                potentialHost[r] = scratch[r];
            }
            stale = false;
        }
    }

    @Override
    public void close() {
        metric.close();
        for (Tensor t : new Tensor[] {q, grad, qProposal, pMomentum, gradProposal, potential, kinetic, zeroEnergy,
                energyError, accepted}) {
            t.close();
        }
    }
}
