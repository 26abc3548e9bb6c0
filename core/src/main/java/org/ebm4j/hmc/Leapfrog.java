package org.ebm4j.hmc;

import org.ebm4j.tensor.Sampler;
import org.ebm4j.tensor.Tensor;

/**
 * The leapfrog (Stormer-Verlet) integrator of Hamiltonian dynamics {@code H(q, p) = U(q) + p^T M^-1 p / 2}
 * over many chains at once, built on {@link Sampler#leapfrog}: a half kick, then {@code L - 1} fused
 * (kick, drift) steps, each a full kick merged with the previous step's last half kick, then the
 * final half kick. {@code L} steps cost {@code L} gradient evaluations, the last one shared with
 * the energy at the end point.
 */
public final class Leapfrog {
    private Leapfrog() {
    }

    /**
     * Integrates {@code steps} leapfrog steps of size {@code eps} in place.
     *
     * @param energyFunction the potential {@code U}
     * @param q positions, {@code chains x d}; on exit the end point
     * @param p momenta, {@code chains x d}; on exit the end momenta
     * @param grad on entry {@code dU/dq} at {@code q}; on exit at the end point
     * @param energy {@code chains x 1}; on exit {@code U} at the end point
     * @param inverseMass the diagonal of {@code M^-1} as a {@code 1 x d} row, or null for identity
     * @param eps step size (any finite value; negative integrates backward in time)
     * @param steps number of steps, {@code >= 1}
     */
    public static void integrate(EnergyFunction energyFunction, Tensor q, Tensor p, Tensor grad, Tensor energy,
                                 Tensor inverseMass, float eps, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("leapfrog steps must be >= 1, found " + steps);
        }
        Sampler sampler = energyFunction.backend().sampler();
        float half = 0.5f * eps;
        sampler.leapfrog(q, p, grad, inverseMass, half, eps);
        for (int s = 1; s < steps; s++) {
            energyFunction.gradient(q, grad);
            sampler.leapfrog(q, p, grad, inverseMass, eps, eps);
        }
        energyFunction.energyAndGradient(q, energy, grad);
        sampler.leapfrog(q, p, grad, inverseMass, half, 0f);
    }
}
