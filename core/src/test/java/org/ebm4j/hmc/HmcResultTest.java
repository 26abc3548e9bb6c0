package org.ebm4j.hmc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link HmcResult}'s layout of the draws and its per-coordinate diagnostics on fixed draws whose
 * values an independent implementation gave: ArviZ 0.23.4 on the same numbers rounded to float,
 * chains as rows ({@code x.mean()}, {@code x.std(ddof=1)}, {@code az.ess(x, method="mean")},
 * {@code az.rhat(x, method="split")}, {@code az.mcse(x, method="mean")}; for the variance check the
 * same on {@code (x - x.mean())**2}). These draws end their positive sequence on a negative pair
 * (they are antithetic), where ArviZ and Stan agree.
 */
class HmcResultTest {
    private static final float[][] CHAINS = {
        {0.19f, -0.07f, -1.18f, 0.9f, 0.73f, -2.06f, 2.3f, -1.49f, 0.4f, 1.72f, -0.44f, -0.89f, 0.7f, 0.09f, -0.25f,
            0.86f, -0.67f, 1.13f, 0.64f, -1.13f},
        {-0.61f, 0.55f, -1.57f, 0.52f, -0.56f, 1.29f, 0.24f, -1.49f, 0.25f, 0.47f, -2.32f, 1.16f, -0.91f, 1.89f,
            -0.64f, 0.12f, -0.45f, 0.07f, 1.48f, -1.46f}};
    private static final double MEAN = -0.012250001542270184;
    private static final double SD = 1.1021063382061924;
    private static final double ESS = 64.0823996531185;
    private static final double RHAT = 0.9540093046882576;
    private static final double MCSE = 0.13767469307378272;
    private static final double RELATIVE = 1e-12;

    /**
     * Two coordinates per chain: coordinate 0 holds the fixed draws, coordinate 1 is {@code 2 x + 1}
     * in float, so its mean is {@code 2 MEAN + 1}, its sd and MCSE double and its ESS and R-hat stay, up
     * to the float rounding of {@code 2 x + 1} (below 1.2e-7 per value, which moves these statistics by
     * a few parts in 1e7: the tolerances for coordinate 1 are 1e-6, and 1e-3 on the ESS of 64).
     */
    private static HmcResult result(int draws) {
        int chains = CHAINS.length;
        float[][] d = new float[draws][];
        for (int i = 0; i < draws; i++) {
            d[i] = new float[chains * 2];
            for (int c = 0; c < chains; c++) {
                d[i][c * 2] = CHAINS[c][i];
                d[i][c * 2 + 1] = 2 * CHAINS[c][i] + 1;
            }
        }
        return new HmcResult(chains, 2, d, new float[] {1, 2, 3, 4}, 0.25, new double[] {1.5, 0.5}, 7, 0.8, 0.75,
                3, 2, 0.125, 4.5);
    }

    @Test
    void diagnosticsOfEachCoordinateMatchTheIndependentValues() {
        HmcResult r = result(20);
        HmcDiagnostics d = r.diagnostics();
        assertEquals(MEAN, d.mean()[0], 1e-14);
        assertEquals(SD, d.sd()[0], RELATIVE * SD);
        assertEquals(ESS, d.ess()[0], 1e-10 * ESS);
        assertEquals(RHAT, d.rhat()[0], RELATIVE * RHAT);
        assertEquals(MCSE, d.mcse()[0], 1e-10 * MCSE);
        assertEquals(2 * MEAN + 1, d.mean()[1], 1e-6);
        assertEquals(2 * SD, d.sd()[1], 1e-6);
        assertEquals(ESS, d.ess()[1], 1e-3);
        assertEquals(RHAT, d.rhat()[1], 1e-6);
        assertEquals(2 * MCSE, d.mcse()[1], 1e-6);
        assertEquals(Math.min(d.ess()[0], d.ess()[1]), d.minEss(), 0.0);
        assertEquals(Math.max(d.rhat()[0], d.rhat()[1]), d.maxRhat(), 0.0);
        // What the run passed in comes back unchanged.
        assertEquals(2, d.chains());
        assertEquals(20, d.draws());
        assertEquals(0.25, d.stepSize());
        assertEquals(7, d.leapfrogSteps());
        assertEquals(0.8, d.acceptanceRate());
        assertEquals(0.75, d.acceptedFraction());
        assertEquals(3, d.divergences());
        assertEquals(2, d.warmupDivergences());
        assertEquals(0.125, d.meanAbsEnergyError());
        assertEquals(4.5, d.maxAbsEnergyError());
    }

    /**
     * The check against a truth of mean 0.5 and variance 1: {@code |MEAN - 0.5| / MCSE} and, for the
     * variance, {@code |mean(sq) - 1| / mcse(sq)} with ArviZ's 1.1842724211964053 and
     * 0.27893225429406243 for the squared deviations {@code sq}.
     */
    @Test
    void theCheckAgainstATruthUsesTheIndependentMcse() {
        HmcResult r = result(20);
        McseCheck c = r.checkAgainst(new double[] {0.5, 2}, new double[] {1, 4});
        assertEquals(Math.abs(MEAN - 0.5) / MCSE, c.meanErrors()[0], 1e-9);
        assertEquals(Math.abs(1.1842724211964053 - 1) / 0.27893225429406243, c.varianceErrors()[0], 1e-9);
        // Coordinate 1 is 2x + 1: its mean error against 2 * 0.5 + 1 and variance error against 4 are the same.
        assertEquals(c.meanErrors()[0], c.meanErrors()[1], 1e-5);
        assertEquals(c.varianceErrors()[0], c.varianceErrors()[1], 1e-5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> r.checkAgainst(new double[2], new double[1]));
        assertEquals("the known target needs 2 means and variances, found 2 and 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> r.checkAgainst(new double[3], new double[2]));
        assertEquals("the known target needs 2 means and variances, found 3 and 2", e.getMessage());
        IllegalStateException few = assertThrows(IllegalStateException.class,
                () -> result(3).checkAgainst(new double[2], new double[2]));
        assertEquals("a check against the truth needs >= 4 draws per chain, found 3", few.getMessage());
    }

    @Test
    void drawsAreLaidOutDrawByDrawThenChainByChain() {
        HmcResult r = result(5);
        assertTrue(r.hasDraws());
        assertEquals(5, r.drawCount());
        assertEquals(2, r.chains());
        assertEquals(2, r.dimension());
        assertArrayEquals(new float[] {-1.18f, 2 * -1.18f + 1, -1.57f, 2 * -1.57f + 1}, r.draw(2));
        float[] all = r.allDraws();
        assertEquals(5 * 4, all.length);
        for (int i = 0; i < 5; i++) {
            for (int c = 0; c < 2; c++) {
                assertEquals(CHAINS[c][i], all[i * 4 + c * 2], "draw " + i + " chain " + c);
            }
        }
        double[][] coord = r.coordinate(0);
        assertEquals(2, coord.length);
        assertArrayEquals(new double[] {0.19f, -0.07f, -1.18f, 0.9f, 0.73f}, coord[0]);
        assertArrayEquals(new double[] {-0.61f, 0.55f, -1.57f, 0.52f, -0.56f}, coord[1]);
        assertEquals("coordinate 2 is outside [0, 2)",
                assertThrows(IllegalArgumentException.class, () -> r.coordinate(2)).getMessage());
        assertEquals("coordinate -1 is outside [0, 2)",
                assertThrows(IllegalArgumentException.class, () -> r.coordinate(-1)).getMessage());
        float[] fin = r.finalPositions();
        fin[0] = 99;
        assertArrayEquals(new float[] {1, 2, 3, 4}, r.finalPositions());
        double[] inv = r.inverseMass();
        inv[0] = 99;
        assertArrayEquals(new double[] {1.5, 0.5}, r.inverseMass());
        assertEquals(0.25, r.stepSize());
    }

    @Test
    void withoutKeptDrawsThereAreNoStatisticsAndReadsAreRefused() {
        HmcResult r = new HmcResult(2, 3, null, new float[6], 0.1, null, 5, 0.9, 0.9, 0, 0, 0.01, 0.02);
        assertFalse(r.hasDraws());
        assertEquals(0, r.drawCount());
        assertNull(r.inverseMass());
        HmcDiagnostics d = r.diagnostics();
        assertEquals(0, d.draws());
        assertNull(d.mean());
        assertNull(d.ess());
        assertTrue(Double.isNaN(d.maxRhat()));
        assertTrue(Double.isNaN(d.minEss()));
        String expected = "the draws were not kept (HmcOptions.keepDraws() was false)";
        assertEquals(expected, assertThrows(IllegalStateException.class, () -> r.draw(0)).getMessage());
        assertEquals(expected, assertThrows(IllegalStateException.class, r::allDraws).getMessage());
        assertEquals(expected, assertThrows(IllegalStateException.class, () -> r.coordinate(0)).getMessage());
        assertEquals(expected, assertThrows(IllegalStateException.class,
                () -> r.checkAgainst(new double[3], new double[3])).getMessage());
        // Fewer than 4 draws: kept, counted, but no statistics.
        HmcDiagnostics three = result(3).diagnostics();
        assertEquals(3, three.draws());
        assertNull(three.rhat());
        // Four draws are the fewest with statistics (split R-hat needs two halves of two).
        HmcDiagnostics four = result(4).diagnostics();
        assertEquals(2, four.rhat().length);
        assertEquals(2, four.ess().length);
    }

    /** One NaN among the coordinates makes the extreme NaN, wherever it sits: it must not pass a bound. */
    @Test
    void aNanCoordinateMakesTheExtremesNan() {
        HmcDiagnostics d = new HmcDiagnostics(2, 10, 0.1, 5, 0.8, 0.8, 0, 0, 0.01, 0.02, null, null, null,
                new double[] {12, Double.NaN, 30}, new double[] {Double.NaN, 1.01, 1.2});
        assertTrue(Double.isNaN(d.minEss()));
        assertTrue(Double.isNaN(d.maxRhat()));
        HmcDiagnostics finite = new HmcDiagnostics(2, 10, 0.1, 5, 0.8, 0.8, 0, 0, 0.01, 0.02, null, null, null,
                new double[] {12, 7, 30}, new double[] {1.05, 1.01, 1.2});
        assertEquals(7.0, finite.minEss());
        assertEquals(1.2, finite.maxRhat());
        HmcDiagnostics empty = new HmcDiagnostics(2, 10, 0.1, 5, 0.8, 0.8, 0, 0, 0.01, 0.02, null, null, null,
                new double[0], new double[0]);
        assertTrue(Double.isNaN(empty.minEss()));
    }

    /** The bound is strict on the mean side too, whichever side is the larger. */
    @Test
    void withinIsStrictForMeansAndVariances() {
        assertFalse(new McseCheck(new double[] {2}, new double[] {1}).within(2));
        assertFalse(new McseCheck(new double[] {1}, new double[] {2}).within(2));
        assertTrue(new McseCheck(new double[] {1.999}, new double[] {1.999}).within(2));
    }

    @Test
    void mcseChecksReportTheWorstCoordinateAndNanFails() {
        McseCheck c = new McseCheck(new double[] {0.5, 3.25, 1}, new double[] {2.5, 0.1, 4});
        assertEquals(3.25, c.maxMeanError());
        assertEquals(4.0, c.maxVarianceError());
        assertTrue(c.within(4.5));
        assertFalse(c.within(4.0), "the bound is strict");
        assertFalse(c.within(3.5));
        assertEquals("largest mean error 3.250 MCSE (coordinate 1), largest variance error 4.000 MCSE (coordinate 2)",
                c.summary());
        McseCheck nan = new McseCheck(new double[] {1, Double.NaN, 5}, new double[] {0, 0, 0});
        assertTrue(Double.isNaN(nan.maxMeanError()), "a NaN must not hide behind finite errors");
        assertFalse(nan.within(100));
        assertEquals("largest mean error NaN MCSE (coordinate 1), largest variance error 0.000 MCSE (coordinate 0)",
                nan.summary());
        McseCheck empty = new McseCheck(new double[0], new double[0]);
        assertTrue(Double.isNaN(empty.maxMeanError()));
        double[] mine = {1, 2};
        McseCheck copied = new McseCheck(mine, mine);
        mine[0] = 50;
        assertEquals(2.0, copied.maxMeanError());
        assertEquals(2.0, copied.meanErrors()[1]);
    }
}
