package org.ebm4j.tensor.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The plumbing of the contract suite: one backend per test class, tensors closed after each test,
 * seeded random inputs, and comparisons against double references with tolerances derived from
 * float rounding.
 *
 * <h2>Tolerances</h2>
 * With {@code u = 2^-24} (half an ulp of 1), a float result of a sum of terms, computed in any
 * order and with or without FMA, is within {@code (n + c) * u * sum|terms|} of the exact sum
 * ({@code n} terms, {@code c} roundings outside the sum); one correctly rounded float operation
 * is within {@code u * |exact|}. Each test states the bound it uses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ContractSupport {
    /** Half an ulp of 1: the relative rounding error of one float operation. */
    protected static final double U = 0x1p-24;
    /** An absolute floor for comparisons, so that backends that flush subnormals to zero pass. */
    protected static final double TINY = Float.MIN_NORMAL;
    /** The awkward sizes every shape is drawn from (odd, prime, below and above SIMD widths). */
    protected static final int[] SIZES = {1, 3, 7, 16, 33, 100, 257, 784, 1000};

    /** Elementwise shapes: vectors of both orientations, tall, wide, and the RBM shapes. */
    protected static final int[][] SHAPES = {
        {1, 1}, {1, 1000}, {1000, 1}, {3, 7}, {7, 3}, {16, 33}, {33, 257}, {257, 16}, {100, 784}, {784, 100},
        {1000, 784},
    };

    /**
     * One case per shape of {@link #SHAPES}, in their order, all drawing their inputs from one random
     * source seeded with {@code seed}: the loop most contract tests run.
     */
    protected static List<ShapeCase> shapeCases(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<ShapeCase> cases = new ArrayList<>(SHAPES.length);
        for (int i = 0; i < SHAPES.length; i++) {
            cases.add(new ShapeCase(i, SHAPES[i][0], SHAPES[i][1], rnd));
        }
        return cases;
    }

    /**
     * A case of {@link #shapeCases}: its position (from which a test cycles its scalar parameters and
     * alternates its optional inputs, so that each meets several shapes), its shape and the random
     * source the cases share.
     */
    protected record ShapeCase(int index, int rows, int cols, SplittableRandom rnd) {
        /** {@code rows * cols}. */
        public int size() {
            return rows * cols;
        }

        /** {@code n} uniform floats in {@code [lo, hi)} from the shared source. */
        public float[] uniform(int n, double lo, double hi) {
            return ContractSupport.uniform(rnd, n, lo, hi);
        }

        /** {@code rows x cols}, for messages. */
        public String shape() {
            return ContractSupport.shape(rows, cols);
        }

        /** The parameter of this case from {@code values}, taken in turn. */
        public float cycle(float[] values) {
            return values[index % values.length];
        }

        /** The parameters of this case from {@code values}, taken in turn. */
        public <P> P cycle(P[] values) {
            return values[index % values.length];
        }
    }

    protected Backend backend;
    private final List<Tensor> created = new ArrayList<>();

    /** The backend under test; created once per test class and closed after its tests. */
    protected abstract Backend createBackend();

    @BeforeAll
    final void openBackend() {
        backend = createBackend();
    }

    @AfterAll
    final void closeBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    @AfterEach
    final void closeTensors() {
        for (Tensor t : created) {
            t.close();
        }
        created.clear();
    }

    // ---- tensors ----------------------------------------------------------------------------

    /** A tensor of this backend holding {@code data}, closed after the test. */
    protected Tensor tensor(float[] data, int rows, int cols) {
        return track(backend.fromArray(data, rows, cols));
    }

    /** A zero tensor of this backend, closed after the test. */
    protected Tensor zeros(int rows, int cols) {
        return track(backend.allocate(rows, cols));
    }

    protected Tensor track(Tensor t) {
        created.add(t);
        return t;
    }

    /** Uniform floats in {@code [lo, hi)}. */
    protected static float[] uniform(SplittableRandom rnd, int n, double lo, double hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (lo + (hi - lo) * rnd.nextDouble());
        }
        return x;
    }

    /** Filled with {@code value}. */
    protected static float[] constant(int n, float value) {
        float[] x = new float[n];
        Arrays.fill(x, value);
        return x;
    }

    protected static String shape(int rows, int cols) {
        return rows + "x" + cols;
    }

    // ---- comparisons ------------------------------------------------------------------------

    /** Exact equality, bit for bit except that any NaN matches any NaN. */
    protected static void assertSameFloats(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        int bad = 0;
        int first = -1;
        for (int i = 0; i < expected.length; i++) {
            boolean same = Float.isNaN(expected[i]) ? Float.isNaN(actual[i])
                    : Float.floatToRawIntBits(expected[i]) == Float.floatToRawIntBits(actual[i])
                      || (expected[i] == 0f && actual[i] == 0f);
            if (!same) {
                bad++;
                if (first < 0) {
                    first = i;
                }
            }
        }
        if (bad > 0) {
            fail(what + ": " + bad + " of " + expected.length + " elements differ; first at [" + first + "]: expected "
                    + expected[first] + " but was " + actual[first]);
        }
    }

    /**
     * {@code |actual[i] - expected[i]| <= tol[i]} for every element; a NaN expected needs a NaN
     * actual, an infinite expected the same infinity.
     */
    protected static void assertClose(String what, double[] expected, float[] actual, double[] tol) {
        assertEquals(expected.length, actual.length, what + ": length");
        int bad = 0;
        int first = -1;
        for (int i = 0; i < expected.length; i++) {
            if (!close(expected[i], actual[i], tol[i])) {
                bad++;
                if (first < 0) {
                    first = i;
                }
            }
        }
        if (bad > 0) {
            fail(what + ": " + bad + " of " + expected.length + " elements out of tolerance; first at [" + first
                    + "]: expected " + expected[first] + " +- " + tol[first] + " but was " + actual[first]);
        }
    }

    protected static void assertClose(String what, double expected, double actual, double tol) {
        assertTrue(close(expected, actual, tol), () -> what + ": expected " + expected + " +- " + tol + " but was "
                + actual);
    }

    protected static boolean close(double expected, double actual, double tol) {
        if (Double.isNaN(expected)) {
            return Double.isNaN(actual);
        }
        if (Double.isInfinite(expected)) {
            return expected == actual;
        }
        return Math.abs(actual - expected) <= tol;
    }

    /** The statistical bound used throughout: {@code k = 5} standard errors. */
    protected static void assertWithinStandardErrors(String what, double expected, double actual, double standardError) {
        double k = 5;
        assertTrue(Math.abs(actual - expected) <= k * standardError, () -> what + ": " + actual + " is more than " + k
                + " standard errors (" + standardError + ") from " + expected);
    }
}
