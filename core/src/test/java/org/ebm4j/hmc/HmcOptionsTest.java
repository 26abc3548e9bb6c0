package org.ebm4j.hmc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ebm4j.testing.Rejections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HmcOptionsTest {

    private static final Rejections.OfBuilder<HmcOptions.Builder> REJECTED =
            new Rejections.OfBuilder<>(HmcOptions::builder, HmcOptions.Builder::build);

    @Test
    void everyOptionNamesItselfTheRangeAndTheValue() {
        assertEquals("chains: must be >= 1, found 0", REJECTED.of(b -> b.chains(0)));
        assertEquals("warmup: must be >= 0, found -1", REJECTED.of(b -> b.warmup(-1)));
        assertEquals("draws: must be >= 1, found 0", REJECTED.of(b -> b.draws(0)));
        assertEquals("leapfrog_steps: must be >= 1, found 0", REJECTED.of(b -> b.leapfrogSteps(0)));
        assertEquals("step_size: must be finite and > 0, found NaN", REJECTED.of(b -> b.stepSize(Double.NaN)));
        assertEquals("target_accept: must lie in (0, 1), found 1.0", REJECTED.of(b -> b.targetAccept(1)));
        assertEquals("dual_averaging_gamma: must be finite and > 0, found 0.0", REJECTED.of(b -> b.gamma(0)));
        assertEquals("dual_averaging_kappa: must lie in (0.5, 1], found 0.5", REJECTED.of(b -> b.kappa(0.5)));
        assertEquals("dual_averaging_t0: must be finite and >= 0, found -1.0", REJECTED.of(b -> b.t0(-1)));
        assertEquals("divergence_threshold: must be > 0, found 0.0", REJECTED.of(b -> b.divergenceThreshold(0)));
        assertEquals("step_size_jitter: must lie in [0, 1), found 1.0", REJECTED.of(b -> b.stepSizeJitter(1)));
        assertEquals("init_sd: must be finite and >= 0, found Infinity",
                REJECTED.of(b -> b.initSd(Double.POSITIVE_INFINITY)));
    }

    @Test
    void defaultsAreThoseOfTheCommand() {
        HmcOptions o = HmcOptions.builder().build();
        assertEquals(4, o.chains());
        assertEquals(500, o.warmup());
        assertEquals(500, o.draws());
        assertEquals(10, o.leapfrogSteps());
        assertEquals(0.1, o.stepSize());
        assertTrue(o.adaptStepSize());
        assertEquals(0.8, o.targetAccept());
        assertEquals(0.2, o.stepSizeJitter());
        assertEquals(2.0, o.initSd());
        assertEquals(1L, o.seed());
    }

    @Test
    void theMapFormRoundTripsEveryOption() {
        HmcOptions o = HmcOptions.builder().chains(7).warmup(11).draws(13).leapfrogSteps(3).stepSize(0.0123456789)
                .adaptStepSize(false).adaptMass(true).targetAccept(0.65).gamma(0.07).kappa(0.9).t0(3).divergenceThreshold(
                        Double.POSITIVE_INFINITY).stepSizeJitter(0).keepDraws(false).initSd(0.3).seed(-5).build();
        assertEquals(o, HmcOptions.fromMap(o.toMap()));
        assertEquals(o, o.toBuilder().build());
        assertEquals("0.0123456789", o.toMap().get("step_size"));
        assertEquals("Infinity", o.toMap().get("divergence_threshold"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "chains|x|HMC options: 'chains' must be an integer, found 'x'",
        "adapt_mass|yes|HMC options: 'adapt_mass' must be true or false, found 'yes'",
        "step_size|-1|HMC options: 'step_size' must be finite and > 0, found -1.0",
    })
    void aMalformedValueIsNamed(String key, String value, String message) {
        Map<String, String> m = new LinkedHashMap<>(HmcOptions.builder().build().toMap());
        m.put(key, value);
        assertEquals(message, Rejections.message(() -> HmcOptions.fromMap(m)));
    }

    @Test
    void missingAndUnknownKeysAreErrors() {
        Rejections.assertKeysChecked(HmcOptions.builder().build().toMap(), HmcOptions::fromMap, "HMC options", "draws",
                "drawz");
    }
}
