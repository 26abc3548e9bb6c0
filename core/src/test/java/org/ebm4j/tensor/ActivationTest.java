package org.ebm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Known values of the activations, computed outside Java (Python's math module, double precision). */
class ActivationTest {
    private static final double EPS = 1e-15;

    @Test
    void softplusIsLogOnePlusExpAndItsDerivativeTheSigmoid() {
        Activation f = Activation.SOFTPLUS;
        assertEquals(0.6931471805599453, f.value(0), EPS);
        assertEquals(2.1269280110429727, f.value(2), EPS);
        assertEquals(0.04858735157374206, f.value(-3), EPS);
        assertEquals(0.5, f.derivative(0), EPS);
        assertEquals(0.8807970779778823, f.derivative(2), EPS);
        assertEquals(0.04742587317756678, f.derivative(-3), EPS);
    }

    /** Far from 0, where exp(|z|) overflows a double: the value is max(z, 0), the derivative 0 or 1, never NaN. */
    @Test
    void softplusStaysFiniteWhereExpOverflows() {
        Activation f = Activation.SOFTPLUS;
        assertEquals(800.0, f.value(800), 0.0);
        assertEquals(0.0, f.value(-800), 0.0);
        assertEquals(1.0, f.derivative(800), 0.0);
        assertEquals(0.0, f.derivative(-800), 0.0);
    }

    @Test
    void fasIsLogOnePlusZSquaredAndItsDerivative2ZOverOnePlusZSquared() {
        Activation f = Activation.LOG1P_SQUARE;
        assertEquals(1.6094379124341003, f.value(2), EPS);
        assertEquals(0.22314355131420976, f.value(-0.5), EPS);
        assertEquals(0.8, f.derivative(2), EPS);
        assertEquals(-0.8, f.derivative(-0.5), EPS);
        assertEquals(0.0, f.value(0), 0.0);
    }

    @Test
    void namesAreTheShortNameOrTheEnumNameInAnyCase() {
        assertEquals("softplus", Activation.SOFTPLUS.shortName());
        assertEquals("fas", Activation.LOG1P_SQUARE.shortName());
        assertSame(Activation.SOFTPLUS, Activation.byName("SoftPlus"));
        assertSame(Activation.LOG1P_SQUARE, Activation.byName("FAS"));
        assertSame(Activation.LOG1P_SQUARE, Activation.byName("log1p_square"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activation.byName("relu"));
        assertEquals("unknown activation 'relu'; expected one of softplus, fas", e.getMessage());
    }
}
