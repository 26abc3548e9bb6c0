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
        if (!(rate > 0) || !Float.isFinite(rate)) {
            throw new IllegalArgumentException(op + ": rate must be finite and > 0, found " + rate);
        }
        if (steps < 0) {
            throw new IllegalArgumentException(op + ": steps must be >= 0, found " + steps);
        }
        Backend b = energy.backend();
        int n = x.rows();
        int d = x.cols();
        try (Tensor missing = b.allocate(n, d);
             Tensor ones = b.allocate(1, d);
             Tensor tmp = b.allocate(n, d);
             Tensor e = b.allocate(n, 1)) {
            b.fill(ones, 1f);
            b.scale(-1f, observed, missing);
            b.addRowVector(missing, ones, 1f, missing); // 1 - observed
            b.sampler().fillNormal(tmp, 0f, noise, rng);
            b.mul(tmp, missing, tmp);
            b.mul(x, observed, x);
            b.add(x, tmp, x);
            for (int s = 0; s < steps; s++) {
                energy.gradient(x, tmp);
                b.mul(tmp, missing, tmp);
                b.axpy(-rate, tmp, x);
            }
            energy.energy(x, e);
            return e.toArray();
        }
    }
}
