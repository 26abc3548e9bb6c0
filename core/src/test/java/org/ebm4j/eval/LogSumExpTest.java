package org.ebm4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LogSumExpTest {

    @Test
    void matchesTheDefinitionWhereExpNeitherOverflowsNorVanishes() {
        SplittableRandom rnd = new SplittableRandom(3);
        double[] x = new double[1000];
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextDouble(-50, 50);
            sum += Math.exp(x[i]);
        }
        // Both sides round each of 1000 terms once or twice (relative 2^-53 each) around a value near 50:
        // they agree far inside 1e-12.
        assertEquals(Math.log(sum), LogSumExp.of(x), 1e-12);
    }

    @Test
    void termsBeyondTheRangeOfExpNeitherOverflowNorVanish() {
        assertEquals(1000 + Math.log(2), LogSumExp.of(-1000, 1000, 1000), 1e-12);
        assertEquals(-1000 + Math.log(3), LogSumExp.of(-1000, -1000, -1000), 1e-12);
        assertEquals(Double.NEGATIVE_INFINITY, LogSumExp.of());
    }
}
