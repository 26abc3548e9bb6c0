package org.ebm4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.ebm4j.testing.ReferenceMath;
import org.junit.jupiter.api.Test;

class LogSumExpTest {

    @Test
    void streamingSumMatchesTheTwoPassReference() {
        SplittableRandom rnd = new SplittableRandom(3);
        double[] x = new double[1000];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextDouble(-50, 50);
        }
        LogSumExp lse = new LogSumExp();
        for (double v : x) {
            lse.add(v);
        }
        // Each add rounds a few times (relative 2^-53 each): 1000 terms stay far inside 1e-12 of a value near 50.
        assertEquals(ReferenceMath.logSumExp(x), lse.value(), 1e-12);
    }

    @Test
    void termsBeyondTheRangeOfExpNeitherOverflowNorVanish() {
        LogSumExp lse = new LogSumExp();
        lse.add(-1000);
        lse.add(1000);
        lse.add(1000);
        assertEquals(1000 + Math.log(2), lse.value(), 1e-12);
        assertEquals(Double.NEGATIVE_INFINITY, new LogSumExp().value());
    }
}
