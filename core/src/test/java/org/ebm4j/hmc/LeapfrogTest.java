package org.ebm4j.hmc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeakedTensors.class)
class LeapfrogTest {
    static final int D = 100;
    static final int CHAINS = 6;

    private final Backend b = new ReferenceBackend();

    // Energy errors H(end) - H(start) per chain, in double on the host, for a trajectory of total time
    // `time` made of `steps` leapfrog steps.
    static double[] energyErrors(Backend b, GaussianEnergy u, float[] q0, float[] p0, double time, int steps,
                                 Tensor invMass, float[] invMassHost) {
        float eps = (float) (time / steps);
        try (Tensor q = b.fromArray(q0, CHAINS, D);
             Tensor p = b.fromArray(p0, CHAINS, D);
             Tensor grad = b.allocate(CHAINS, D);
             Tensor e0 = b.allocate(CHAINS, 1);
             Tensor e1 = b.allocate(CHAINS, 1)) {
            u.energyAndGradient(q, e0, grad);
            Leapfrog.integrate(u, q, p, grad, e1, invMass, eps, steps);
            float[] u0 = e0.toArray();
            float[] u1 = e1.toArray();
            float[] p1 = p.toArray();
            double[] dh = new double[CHAINS];
            for (int r = 0; r < CHAINS; r++) {
                double k0 = 0;
                double k1 = 0;
                for (int j = 0; j < D; j++) {
                    double w = invMassHost == null ? 1 : invMassHost[j];
                    k0 += 0.5 * w * p0[r * D + j] * p0[r * D + j];
                    k1 += 0.5 * w * p1[r * D + j] * p1[r * D + j];
                }
                dh[r] = (u1[r] + k1) - (u0[r] + k0);
            }
            return dh;
        }
    }

    static double rms(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s / v.length);
    }

    static float[] normals(Backend b, long seed, int n) {
        try (Tensor t = b.allocate(1, n)) {
            b.sampler().fillNormal(t, 0f, 1f, new RandomStream(seed));
            return t.toArray();
        }
    }

    /** A random {@code D}-dimensional Gaussian target (variances 0.5 to 2), standard normal positions and momenta. */
    record Start(DenseGaussian target, float[] q0, float[] p0) {
        static Start of(Backend b, long targetSeed, long positionSeed, long momentumSeed) {
            return new Start(DenseGaussian.randomRotation(D, 0.5, 2.0, targetSeed),
                    normals(b, positionSeed, CHAINS * D), normals(b, momentumSeed, CHAINS * D));
        }
    }

    @Test
    void energyErrorShrinksAsStepSizeSquared() {
        Start s = Start.of(b, 21, 1, 2);
        try (GaussianEnergy u = new GaussianEnergy(b, s.target())) {
            // Same trajectory time, step sizes 0.2 and 0.1: the global error of H is c(T) eps^2 + O(eps^4);
            // with eps * omega_max = 0.28 the eps^4 term moves the ratio by a few percent, far less than the
            // +-0.25 allowed; float rounding of energies near 100 (about 1e-5) is far below the errors (about 0.1).
            double e1 = rms(energyErrors(b, u, s.q0(), s.p0(), 2.0, 10, null, null));
            double e2 = rms(energyErrors(b, u, s.q0(), s.p0(), 2.0, 20, null, null));
            double e3 = rms(energyErrors(b, u, s.q0(), s.p0(), 2.0, 40, null, null));
            assertTrue(e1 > 1e-3, "error at eps 0.2 is " + e1);
            assertEquals(4.0, e1 / e2, 0.25, "halving eps from 0.2: " + e1 + " -> " + e2);
            assertEquals(4.0, e2 / e3, 0.25, "halving eps from 0.1: " + e2 + " -> " + e3);
        }
    }

    @Test
    void energyErrorShrinksAsStepSizeSquaredWithAMassMatrix() {
        Start s = Start.of(b, 22, 3, 4);
        float[] inv = new float[D];
        for (int j = 0; j < D; j++) {
            inv[j] = 0.5f + j / (float) D;
        }
        try (GaussianEnergy u = new GaussianEnergy(b, s.target()); Tensor invMass = b.fromArray(inv, 1, D)) {
            double e1 = rms(energyErrors(b, u, s.q0(), s.p0(), 2.0, 10, invMass, inv));
            double e2 = rms(energyErrors(b, u, s.q0(), s.p0(), 2.0, 20, invMass, inv));
            assertEquals(4.0, e1 / e2, 0.25, "halving eps from 0.2: " + e1 + " -> " + e2);
        }
    }

    @Test
    void negatingTheMomentumRetracesTheTrajectory() {
        Start s = Start.of(b, 23, 5, 6);
        int steps = 25;
        float eps = 0.1f;
        try (GaussianEnergy u = new GaussianEnergy(b, s.target());
             Tensor q = b.fromArray(s.q0(), CHAINS, D);
             Tensor p = b.fromArray(s.p0(), CHAINS, D);
             Tensor grad = b.allocate(CHAINS, D);
             Tensor e = b.allocate(CHAINS, 1)) {
            u.gradient(q, grad);
            Leapfrog.integrate(u, q, p, grad, e, null, eps, steps);
            float[] mid = q.toArray();
            double moved = 0;
            for (int i = 0; i < mid.length; i++) {
                moved = Math.max(moved, Math.abs(mid[i] - s.q0()[i]));
            }
            assertTrue(moved > 0.5, "the trajectory should go somewhere, moved " + moved);
            b.scale(-1f, p, p);
            Leapfrog.integrate(u, q, p, grad, e, null, eps, steps);
            float[] back = q.toArray();
            float[] pBack = p.toArray();
            // Each of the 2 * 25 steps rounds q and p to float (relative 6e-8) and the dynamics is
            // stable (eps * omega_max = 0.14), so the accumulated error stays near 50 * 6e-8 * |q| (|q| < 5).
            for (int i = 0; i < back.length; i++) {
                assertEquals(s.q0()[i], back[i], 1e-4, "position " + i);
                assertEquals(-s.p0()[i], pBack[i], 1e-4, "momentum " + i);
            }
        }
    }
}
