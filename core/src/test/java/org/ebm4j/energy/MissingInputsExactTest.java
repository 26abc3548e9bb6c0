package org.ebm4j.energy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.ebm4j.hmc.HmcOptions;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Activation;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link MissingInputs} on an energy whose every step is known by hand: a network with all parameters 0
 * and visible precision {@code lambda} is {@code E(x) = (lambda / 2) |x|^2} (every unit's scale is 0), so
 * its gradient is {@code lambda x} and a descent step multiplies each free coordinate by
 * {@code 1 - rate lambda}.
 */
@ExtendWith(NoLeakedTensors.class)
class MissingInputsExactTest {
    private static final float LAMBDA = 0.5f;

    private static EnergyNetwork quadratic(Backend b, int d) {
        return new EnergyNetwork(b, d, List.of(new EnergyNetwork.Layer(1, Activation.SOFTPLUS)), LAMBDA);
    }

    private static double halfLambdaSquaredNorm(float[] x, int row, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += (double) x[row * d + j] * x[row * d + j];
        }
        return 0.5 * LAMBDA * s;
    }

    @Test
    void descendTakesExactlyTheGivenStepsOnTheFreeCoordinatesAndReturnsTheEnergies() {
        Backend b = new ReferenceBackend();
        float[] start = {1f, 2f, -3f, 0.5f, -1f, 4f};
        float[] clamped = {1, 0, 0, 0, 1, 0};
        try (EnergyNetwork e = quadratic(b, 3);
             Tensor x = b.fromArray(start, 2, 3);
             Tensor mask = b.fromArray(clamped, 2, 3)) {
            float rate = 0.4f;
            int steps = 3;
            float[] energies = MissingInputs.descend(e, x, mask, rate, steps);
            float[] got = x.toArray();
            double factor = Math.pow(1 - rate * LAMBDA, steps); // 0.8^3 = 0.512: a fourth step would give 0.4096
            for (int i = 0; i < start.length; i++) {
                double expected = clamped[i] == 1 ? start[i] : start[i] * factor;
                assertEquals(expected, got[i], 1e-6 * Math.abs(start[i]), "coordinate " + i);
            }
            assertEquals(2, energies.length);
            for (int r = 0; r < 2; r++) {
                assertEquals(halfLambdaSquaredNorm(got, r, 3), energies[r], 1e-5, "energy of row " + r);
            }
            float[] before = x.toArray();
            float[] still = MissingInputs.descend(e, x, mask, rate, 0);
            assertArrayEquals(before, x.toArray(), "zero steps leave x alone");
            assertEquals(halfLambdaSquaredNorm(before, 1, 3), still[1], 1e-5);
        }
    }

    @Test
    void completeStartsTheMissingEntriesAtScaledNormalsAndKeepsTheObservedOnes() {
        Backend b = new ReferenceBackend();
        float[] start = {1f, 7f, -3f, 7f, 2f, 7f}; // 7 at the missing entries: overwritten, never read
        float[] observed = {1, 0, 1, 0, 1, 0};
        float noise = 0.75f;
        try (EnergyNetwork e = quadratic(b, 3);
             Tensor x = b.fromArray(start, 2, 3);
             Tensor mask = b.fromArray(observed, 2, 3);
             Tensor normals = b.allocate(2, 3)) {
            b.sampler().fillNormal(normals, 0f, noise, new RandomStream(21));
            float[] z = normals.toArray();
            float[] energies = MissingInputs.complete(e, x, mask, noise, 0.1f, 0, new RandomStream(21));
            float[] got = x.toArray();
            for (int i = 0; i < start.length; i++) {
                assertEquals(observed[i] == 1 ? start[i] : z[i], got[i], 0f, "entry " + i);
            }
            assertTrue(z[1] != 0f && z[3] != 0f && z[5] != 0f, "the normals are not all 0");
            for (int r = 0; r < 2; r++) {
                assertEquals(halfLambdaSquaredNorm(got, r, 3), energies[r], 1e-5, "energy of row " + r);
            }
            // Without noise the missing entries start at 0 exactly; one step keeps them there (gradient 0).
            x.copyFrom(start, 0);
            MissingInputs.complete(e, x, mask, 0f, 0.1f, 1, new RandomStream(21));
            assertArrayEquals(new float[] {1f, 0f, -3f, 0f, 2f, 0f}, x.toArray());
        }
    }

    @Test
    void badArgumentsAreRefusedWithTheOperationAndTheValue() {
        Backend b = new ReferenceBackend();
        try (EnergyNetwork e = quadratic(b, 3);
             Tensor x = b.allocate(2, 3);
             Tensor narrow = b.allocate(2, 2);
             Tensor mask = b.allocate(2, 3);
             Tensor shortMask = b.allocate(1, 3)) {
            RandomStream rng = new RandomStream(1);
            HmcOptions hmc = HmcOptions.builder().chains(1).warmup(0).draws(1).build();
            String wide = ": positions must have 3 columns (the energy's dimension) but are 2x2";
            assertEquals("MissingInputs.complete" + wide, message(() -> MissingInputs.complete(e, narrow, mask, 1f,
                    0.1f, 1, rng)));
            assertEquals("MissingInputs.descend" + wide, message(() -> MissingInputs.descend(e, narrow, mask, 0.1f,
                    1)));
            assertEquals("MissingInputs.sample" + wide, message(() -> MissingInputs.sample(e, narrow, mask, 0.1f, 1,
                    1, rng)));
            assertEquals("MissingInputs.posteriorMean" + wide, message(() -> MissingInputs.posteriorMean(e, narrow,
                    mask, hmc, rng)));
            String shape = "x is 2x3 but %s is 1x3; they must have the same shape";
            assertEquals("MissingInputs.complete: " + shape.formatted("observed"), message(() -> MissingInputs
                    .complete(e, x, shortMask, 1f, 0.1f, 1, rng)));
            assertEquals("MissingInputs.descend: " + shape.formatted("clamped"), message(() -> MissingInputs
                    .descend(e, x, shortMask, 0.1f, 1)));
            assertEquals("MissingInputs.sample: " + shape.formatted("observed"), message(() -> MissingInputs
                    .sample(e, x, shortMask, 0.1f, 1, 1, rng)));
            assertEquals("MissingInputs.posteriorMean: " + shape.formatted("observed"), message(() -> MissingInputs
                    .posteriorMean(e, x, shortMask, hmc, rng)));

            assertEquals("MissingInputs.complete: noise must be finite and >= 0, found -0.5", message(
                    () -> MissingInputs.complete(e, x, mask, -0.5f, 0.1f, 1, rng)));
            assertEquals("MissingInputs.complete: noise must be finite and >= 0, found Infinity", message(
                    () -> MissingInputs.complete(e, x, mask, Float.POSITIVE_INFINITY, 0.1f, 1, rng)));
            assertEquals("MissingInputs.complete: rate must be finite and > 0, found 0.0", message(
                    () -> MissingInputs.complete(e, x, mask, 1f, 0f, 1, rng)));
            assertEquals("MissingInputs.complete: steps must be >= 0, found -1", message(
                    () -> MissingInputs.complete(e, x, mask, 1f, 0.1f, -1, rng)));
            assertEquals("MissingInputs.descend: rate must be finite and > 0, found NaN", message(
                    () -> MissingInputs.descend(e, x, mask, Float.NaN, 1)));
            assertEquals("MissingInputs.descend: rate must be finite and > 0, found Infinity", message(
                    () -> MissingInputs.descend(e, x, mask, Float.POSITIVE_INFINITY, 1)));
            assertEquals("MissingInputs.descend: steps must be >= 0, found -1", message(
                    () -> MissingInputs.descend(e, x, mask, 0.1f, -1)));

            assertEquals("MissingInputs.sample: step size must be finite and > 0, found 0.0", message(
                    () -> MissingInputs.sample(e, x, mask, 0f, 1, 1, rng)));
            assertEquals("MissingInputs.sample: step size must be finite and > 0, found Infinity", message(
                    () -> MissingInputs.sample(e, x, mask, Float.POSITIVE_INFINITY, 1, 1, rng)));
            assertEquals("MissingInputs.sample: leapfrog steps must be >= 1 and trajectories >= 0, found 0 and 1",
                    message(() -> MissingInputs.sample(e, x, mask, 0.1f, 0, 1, rng)));
            assertEquals("MissingInputs.sample: leapfrog steps must be >= 1 and trajectories >= 0, found 1 and -1",
                    message(() -> MissingInputs.sample(e, x, mask, 0.1f, 1, -1, rng)));
        }
    }

    private static String message(Runnable call) {
        return assertThrows(IllegalArgumentException.class, call::run).getMessage();
    }

    @Test
    void sampleWithNoTrajectoriesLeavesTheRowsAndOneLeapfrogStepMovesOnlyTheMissingEntries() {
        Backend b = new ReferenceBackend();
        float[] start = {1f, 0.2f, -3f, -0.4f};
        float[] observed = {1, 0, 1, 0};
        try (EnergyNetwork e = quadratic(b, 2);
             Tensor x = b.fromArray(start, 2, 2);
             Tensor mask = b.fromArray(observed, 2, 2)) {
            assertEquals(1.0, MissingInputs.sample(e, x, mask, 0.3f, 1, 0, new RandomStream(2)), 0);
            assertArrayEquals(start, x.toArray());
            double acceptance = MissingInputs.sample(e, x, mask, 0.3f, 1, 2, new RandomStream(2));
            // One leapfrog step of 0.3 on a unit of precision 0.5 (0.21 of its period's radian) keeps the energy
            // error of order 1e-2, so the mean acceptance, at least 1 minus the mean absolute error, is near 1.
            assertTrue(acceptance > 0.9 && acceptance <= 1, "acceptance " + acceptance);
            float[] got = x.toArray();
            assertEquals(start[0], got[0], 0f);
            assertEquals(start[2], got[2], 0f);
            assertTrue(got[1] != start[1] && got[3] != start[3], "the missing entries moved: " + Arrays.toString(got));
        }
    }

    @Test
    void thePosteriorMeanReportsTheAcceptanceOfItsKeptTransitions() {
        Backend b = new ReferenceBackend();
        float[] start = {1f, 0f, -2f, 0f};
        float[] observed = {1, 0, 1, 0};
        // Leapfrog steps of 2.5 on a unit of precision 0.5 (stable below 2 / sqrt(0.5) = 2.83, but with energy
        // errors of order 1): a fixed step, no warm-up, so some of the 16 x 4 proposals are rejected and the
        // mean acceptance lies strictly between 0 and 1.
        HmcOptions options = HmcOptions.builder().chains(8).warmup(0).draws(4).leapfrogSteps(3).stepSize(2.5)
                .adaptStepSize(false).stepSizeJitter(0).build();
        try (EnergyNetwork e = quadratic(b, 2);
             Tensor x = b.fromArray(start, 2, 2);
             Tensor mask = b.fromArray(observed, 2, 2)) {
            double acceptance = MissingInputs.posteriorMean(e, x, mask, options, new RandomStream(5));
            assertTrue(acceptance > 0.05 && acceptance < 0.95, "acceptance " + acceptance);
            float[] got = x.toArray();
            assertEquals(start[0], got[0], 0f);
            assertEquals(start[2], got[2], 0f);
        }
    }

    /**
     * Rows past the draw budget go in blocks, each a posterior mean of its own: with room for two rows, five
     * rows are three blocks (the last a one-row tail), and the result equals three calls on those rows in
     * turn with the same random stream, the acceptance being the mean of the three calls' acceptances.
     */
    @Test
    void rowsPastTheDrawBudgetAreFilledBlockByBlock() {
        Backend b = new ReferenceBackend();
        int d = 2;
        float[] start = {1f, 0f, -2f, 0f, 0f, 3f, 0.5f, 0f, 0f, -1f};
        float[] observed = {1, 0, 1, 0, 0, 1, 1, 0, 0, 1};
        HmcOptions options = HmcOptions.builder().chains(4).warmup(0).draws(3).leapfrogSteps(3).stepSize(1.5)
                .adaptStepSize(false).stepSizeJitter(0).build();
        long perRow = 4L * d * 3;
        int[][] blocks = {{0, 2}, {2, 2}, {4, 1}};
        try (EnergyNetwork e = quadratic(b, d);
             Tensor x = b.fromArray(start, 5, d);
             Tensor mask = b.fromArray(observed, 5, d)) {
            double acceptance = MissingInputs.posteriorMean(e, x, mask, options, new RandomStream(9), 2 * perRow + 1);
            float[] expected = new float[start.length];
            double acceptanceSum = 0;
            RandomStream rng = new RandomStream(9);
            for (int[] block : blocks) {
                int from = block[0] * d;
                int to = from + block[1] * d;
                try (Tensor xs = b.fromArray(Arrays.copyOfRange(start, from, to), block[1], d);
                     Tensor ms = b.fromArray(Arrays.copyOfRange(observed, from, to), block[1], d)) {
                    acceptanceSum += MissingInputs.posteriorMean(e, xs, ms, options, rng);
                    System.arraycopy(xs.toArray(), 0, expected, from, to - from);
                }
            }
            assertArrayEquals(expected, x.toArray(), "every block filled as a call of its own");
            assertEquals(acceptanceSum / blocks.length, acceptance, 1e-12);
            for (int i = 0; i < start.length; i++) {
                if (observed[i] == 1) {
                    assertEquals(start[i], x.toArray()[i], 0f, "observed entry " + i);
                } else {
                    assertTrue(expected[i] != start[i] || start[i] != 0f, "missing entry " + i + " was filled");
                }
            }
        }
    }
}
