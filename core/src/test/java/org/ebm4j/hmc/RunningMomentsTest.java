package org.ebm4j.hmc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RunningMomentsTest {

    @Test
    void meanAndVarianceOfThreeRowsMatchTheHandComputedValues() {
        RunningMoments m = new RunningMoments(2);
        // Rows (1, 10), (2, 20), (4, 40) and a fourth row that rows = 3 leaves unread.
        m.addRows(new float[] {1, 10, 2, 20, 4, 40, 1000, 1000}, 3);
        assertEquals(3, m.count());
        // Mean 7/3; squared deviations 16/9 + 1/9 + 25/9 = 42/9, over n - 1 = 2: 7/3 (times 100 for column 2).
        assertArrayEquals(new double[] {7.0 / 3, 70.0 / 3}, m.mean(), 1e-12);
        assertArrayEquals(new double[] {7.0 / 3, 700.0 / 3}, m.variance(), 1e-11);
        // Stan's regularization with n = 3: (3/8) var + 1e-3 (5/8).
        assertArrayEquals(new double[] {3.0 / 8 * 7 / 3 + 1e-3 * 5 / 8, 3.0 / 8 * 700 / 3 + 1e-3 * 5 / 8},
                m.regularizedVariance(), 1e-11);
    }

    @Test
    void rowsAddedInTwoCallsGiveTheSameMomentsAsOneCall() {
        RunningMoments m = new RunningMoments(1);
        m.addRows(new float[] {1, 2}, 2);
        m.addRows(new float[] {4}, 1);
        assertEquals(3, m.count());
        assertArrayEquals(new double[] {7.0 / 3}, m.mean(), 1e-12);
        assertArrayEquals(new double[] {7.0 / 3}, m.variance(), 1e-12);
    }

    @Test
    void resetStartsAFreshEstimate() {
        RunningMoments m = new RunningMoments(1);
        m.addRows(new float[] {100, -50, 7}, 3);
        m.reset();
        assertEquals(0, m.count());
        assertArrayEquals(new double[] {0}, m.mean(), 0.0);
        m.addRows(new float[] {3, 5}, 2);
        assertArrayEquals(new double[] {4}, m.mean(), 0.0);
        // (3 - 4)^2 + (5 - 4)^2 over 1: nothing of the earlier rows may remain in the sum of squares.
        assertArrayEquals(new double[] {2}, m.variance(), 0.0);
    }

    @Test
    void theReturnedMeanIsACopy() {
        RunningMoments m = new RunningMoments(1);
        m.addRows(new float[] {2, 4}, 2);
        m.mean()[0] = 99;
        assertArrayEquals(new double[] {3}, m.mean(), 0.0);
    }

    @Test
    void varianceNeedsTwoSamples() {
        RunningMoments m = new RunningMoments(1);
        m.addRows(new float[] {5}, 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, m::variance);
        assertEquals("variance needs at least 2 samples, found 1", e.getMessage());
        m.addRows(new float[] {7}, 1);
        assertArrayEquals(new double[] {2}, m.variance(), 0.0);
    }

    @Test
    void inputsAreChecked() {
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class, () -> new RunningMoments(0));
        assertEquals("dimension must be >= 1, found 0", d.getMessage());
        RunningMoments m = new RunningMoments(2);
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> m.addRows(new float[5], 3));
        assertEquals("need 3 x 2 values but found 5", x.getMessage());
        assertEquals(0, m.count());
        // Exactly rows x d values is enough.
        m.addRows(new float[6], 3);
        assertEquals(3, m.count());
        new RunningMoments(1).addRows(new float[0], 0);
    }
}
