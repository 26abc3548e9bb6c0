package org.ebm4j.energy;

import org.ebm4j.hmc.EnergyFunction;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Shapes;
import org.ebm4j.tensor.Tensor;

/**
 * Fills in missing inputs with an energy model (Hinton's lecture 3b): set the missing coordinates to
 * random values, then descend the energy gradient with respect to those coordinates only, the
 * observed ones clamped. The result is a low-energy completion (a mode of the conditional), not a
 * sample.
 */
public final class MissingInputs {
    private MissingInputs() {
    }

    /**
     * Completes {@code x} in place.
     *
     * @param x {@code n x d}; observed entries are kept, missing ones overwritten
     * @param observed {@code n x d} mask, 1 where observed and 0 where missing
     * @param noise standard deviation of the random starting values (around 0)
     * @param rate gradient-descent step
     * @param steps number of descent steps
     * @return the energies of the completions (host copy)
     */
    public static float[] complete(EnergyFunction energy, Tensor x, Tensor observed, float noise, float rate, int steps,
                                   RandomStream rng) {
        String op = "MissingInputs.complete";
        energy.checkPositions(op, x);
        Shapes.checkSameShape(op, "x", x, "observed", observed);
        if (!(noise >= 0) || !Float.isFinite(noise)) {
            throw new IllegalArgumentException(op + ": noise must be finite and >= 0, found " + noise);
        }
        checkDescent(op, rate, steps);
        Backend b = energy.backend();
        int n = x.rows();
        int d = x.cols();
        try (Tensor missing = b.allocate(n, d);
             Tensor start = b.allocate(n, d)) {
            complement(b, observed, missing);
            b.sampler().fillNormal(start, 0f, noise, rng);
            b.mul(start, missing, start);
            b.mul(x, observed, x);
            b.add(x, start, x);
        }
        return descend(energy, x, observed, rate, steps);
    }

    /**
     * Samples the missing entries of {@code x} from the model's conditional
     * {@code p(x_missing | x_observed) ~ exp(-E(x))}: {@code trajectories} Metropolis-corrected HMC
     * trajectories on the missing entries only, the observed ones clamped, starting from the values
     * {@code x} holds there. Where {@link #complete} finds a mode, this draws a sample: averages over such
     * draws are the expectations that marginalize the missing entries (the data term of the gradient
     * when training with missing inputs, see {@link EnergyTrainer}).
     *
     * @param x {@code n x d}, finite; the missing entries are overwritten with the last state of the chains
     * @param observed {@code n x d} mask, 1 where observed and 0 where missing
     * @param stepSize leapfrog step ({@code > 0})
     * @param leapfrogSteps leapfrog steps per trajectory ({@code >= 1})
     * @param trajectories trajectories ({@code >= 0})
     * @return the mean acceptance probability of the trajectories (1 when there were none)
     */
    public static double sample(EnergyFunction energy, Tensor x, Tensor observed, float stepSize, int leapfrogSteps,
                                int trajectories, RandomStream rng) {
        String op = "MissingInputs.sample";
        energy.checkPositions(op, x);
        Shapes.checkSameShape(op, "x", x, "observed", observed);
        if (!(stepSize > 0) || !Float.isFinite(stepSize)) {
            throw new IllegalArgumentException(op + ": step size must be finite and > 0, found " + stepSize);
        }
        if (leapfrogSteps < 1 || trajectories < 0) {
            throw new IllegalArgumentException(op + ": leapfrog steps must be >= 1 and trajectories >= 0, found "
                    + leapfrogSteps + " and " + trajectories);
        }
        try (ConditionalChains chains = new ConditionalChains(energy, x.rows())) {
            return chains.move(x, observed, stepSize, leapfrogSteps, trajectories, rng);
        }
    }

    /**
     * Gradient descent on the free coordinates of {@code x} from their current values, the clamped
     * ones kept: the zero-temperature inference of a conditional energy {@code y* = argmin_y E(x, y)}
     * when the answer's columns are free, and the completion step of {@link #complete}.
     *
     * @param x {@code n x d}, updated in place
     * @param clamped {@code n x d} mask, 1 where a coordinate is held fixed and 0 where it descends
     * @param rate gradient-descent step ({@code > 0})
     * @param steps number of descent steps ({@code >= 0})
     * @return the energies at the end (host copy)
     */
    public static float[] descend(EnergyFunction energy, Tensor x, Tensor clamped, float rate, int steps) {
        String op = "MissingInputs.descend";
        energy.checkPositions(op, x);
        Shapes.checkSameShape(op, "x", x, "clamped", clamped);
        checkDescent(op, rate, steps);
        Backend b = energy.backend();
        int n = x.rows();
        int d = x.cols();
        try (Tensor free = b.allocate(n, d);
             Tensor grad = b.allocate(n, d);
             Tensor e = b.allocate(n, 1)) {
            complement(b, clamped, free);
            for (int s = 0; s < steps; s++) {
                energy.gradient(x, grad);
                b.mul(grad, free, grad);
                b.axpy(-rate, grad, x);
            }
            energy.energy(x, e);
            return e.toArray();
        }
    }

    private static void checkDescent(String op, float rate, int steps) {
        if (!(rate > 0) || !Float.isFinite(rate)) {
            throw new IllegalArgumentException(op + ": rate must be finite and > 0, found " + rate);
        }
        if (steps < 0) {
            throw new IllegalArgumentException(op + ": steps must be >= 0, found " + steps);
        }
    }

    // out = 1 - mask, elementwise.
    static void complement(Backend b, Tensor mask, Tensor out) {
        try (Tensor ones = b.allocate(1, mask.cols())) {
            b.fill(ones, 1f);
            b.scale(-1f, mask, out);
            b.addRowVector(out, ones, 1f, out);
        }
    }
}
