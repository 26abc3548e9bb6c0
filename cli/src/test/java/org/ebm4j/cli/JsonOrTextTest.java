package org.ebm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The output layer's one representation of numbers and names. */
class JsonOrTextTest {

    @Test
    void numbersAreRoundedToWhatTheyMean() {
        assertEquals("0.2959", JsonOrText.number(0.29586000000001433));
        assertEquals("132.347", JsonOrText.number(132.34712));
        assertEquals("-204.412", JsonOrText.number(-204.41234));
        assertEquals("12345.7", JsonOrText.number(12345.678));
        assertEquals("0.05", JsonOrText.number(0.05));
        assertEquals("3", JsonOrText.number(3.0));
        assertEquals("1.000e-05", JsonOrText.number(1e-5));
        assertEquals("0", JsonOrText.number(0.0));
    }

    @Test
    void nonFiniteNumbersHaveOneSpellingInTextAndJson() {
        assertEquals("-inf", JsonOrText.number(Double.NEGATIVE_INFINITY));
        assertEquals("inf", JsonOrText.number(Double.POSITIVE_INFINITY));
        assertEquals("nan", JsonOrText.number(Double.NaN));
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("log_z_low", Double.NEGATIVE_INFINITY);
        fields.put("values", new double[] {1.5, Double.NaN});
        assertEquals("{\"event\":\"evaluation\",\"log_z_low\":\"-inf\",\"values\":[1.5,\"nan\"]}",
                JsonOut.line(JsonOrText.jsonObject("evaluation", fields)));
    }

    @Test
    void fieldNamesMustBeSnakeCase() {
        assertThrows(IllegalStateException.class, () -> JsonOrText.jsonObject("done", Map.of("logLikelihood", 1.0)));
        assertThrows(IllegalStateException.class, () -> JsonOrText.jsonObject("done", Map.of("event", "x")));
        assertEquals(List.of("event", "log_likelihood"),
                List.copyOf(JsonOrText.jsonObject("done", Map.of("log_likelihood", 1.0)).keySet()));
        assertEquals("kernels_reason", JsonOrText.snakeCase("kernelsReason"));
    }
}
