package org.ebm4j.rbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LearningRateScheduleTest {

    /**
     * Rates written out by hand for base 0.5: {@code exp:0.5} halves the rate each epoch
     * (0.5, 0.25, 0.125, 0.0625); {@code linear:0.25} over 5 epochs falls by equal steps of
     * {@code (1 - 0.25) / 4 = 0.1875} of the base from 0.5 to 0.125; {@code constant} stays at the base.
     * Every number is a sum of powers of two, so the comparison is exact.
     */
    @ParameterizedTest
    @CsvSource({
        "exp:0.5, 0, 0.5", "exp:0.5, 1, 0.25", "exp:0.5, 2, 0.125", "exp:0.5, 3, 0.0625",
        "linear:0.25, 0, 0.5", "linear:0.25, 1, 0.40625", "linear:0.25, 2, 0.3125", "linear:0.25, 3, 0.21875",
        "linear:0.25, 4, 0.125",
        "constant, 0, 0.5", "constant, 4, 0.5"})
    void ratesEqualTheNumbersWorkedOutByHand(String spec, int epoch, double rate) {
        assertEquals(rate, LearningRateSchedule.parse(spec).rate(0.5, epoch, 5), 0.0, spec + " at epoch " + epoch);
    }

    @Test
    void rbmOptionsTakeTheirRateFromTheirSchedule() {
        RbmOptions o = RbmOptions.builder().learningRate(0.5).schedule(LearningRateSchedule.parse("exp:0.5")).epochs(5)
                .build();
        assertEquals(0.125, o.learningRate(2), 0.0);
    }

    @Test
    void aSingleEpochLinearScheduleKeepsTheBaseRate() {
        assertEquals(0.5, LearningRateSchedule.parse("linear:0.25").rate(0.5, 0, 1), 0.0);
    }

    @Test
    void theTextFormRoundTrips() {
        assertEquals("exp:0.5", LearningRateSchedule.parse(" EXP:0.5 ").toString());
        assertEquals(LearningRateSchedule.parse("linear:0.25"), LearningRateSchedule.parse(LearningRateSchedule.CODEC.format(LearningRateSchedule.parse("linear:0.25"))));
        assertEquals(1.0, LearningRateSchedule.parse("linear:1").factor(), 0.0, "a factor of exactly 1 is allowed");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "exp:1.5    | learning-rate schedule exp needs a factor in (0, 1], found 1.5",
        "linear:0   | learning-rate schedule linear needs a factor in (0, 1], found 0.0",
        "constant:2 | learning-rate schedule 'constant' takes no factor, found 'constant:2'",
        "exp        | learning-rate schedule 'exp' needs a factor, e.g. linear:0.1 or exp:0.95",
        "exp:x      | learning-rate schedule 'exp:x' has a malformed factor",
        "cosine     | learning-rate schedule must be constant, linear:F or exp:G, found 'cosine'"})
    void factorsOutsideTheRangeAndMalformedSpecsAreRefused(String spec, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.parse(spec))
                .getMessage());
    }
}
