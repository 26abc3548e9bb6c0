package org.ebm4j.cpu.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Float transcendentals for the vector kernels, built from add/mul/fma/div/sqrt and exponent bit
 * tricks only, so they cost a few instructions per lane on any JDK (no dependence on the JDK's
 * vector math library). Every vector function has a scalar twin that performs the same IEEE
 * operations in the same order, so the scalar tails of a row give bit-identical results to its
 * vector body.
 *
 * <p>Accuracy (float): exp within 2 ulp over [-87, 88]; sigmoid, softplus, log and cos within
 * about 1e-7 absolute of the double-precision values on the ranges used here.
 */
final class VectorMath {
    private VectorMath() {
    }

    /** exp's argument is clamped to [EXP_LO, EXP_HI] so that 2^n stays a normal float. */
    static final float EXP_LO = -87f;
    static final float EXP_HI = 88f;
    private static final float LOG2E = 1.44269504088896341f;
    /** 1.5 * 2^23: adding it rounds a float of magnitude < 2^22 to an integer held in the low mantissa bits. */
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = 0x4B400000;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float LN2 = 0.693147180559945309f;
    // Taylor coefficients of exp on |r| <= ln2/2: truncation error below 5e-9 relative.
    private static final float E2 = 1f / 2;
    private static final float E3 = 1f / 6;
    private static final float E4 = 1f / 24;
    private static final float E5 = 1f / 120;
    private static final float E6 = 1f / 720;
    private static final float E7 = 1f / 5040;
    // 2 atanh(s) = 2 s (1 + s^2/3 + s^4/5 + ...): log(1 + t) with s = t / (2 + t).
    private static final float A3 = 1f / 3;
    private static final float A5 = 1f / 5;
    private static final float A7 = 1f / 7;
    private static final float A9 = 1f / 9;
    private static final float A11 = 1f / 11;
    private static final float A13 = 1f / 13;
    private static final float SQRT2 = 1.41421356237309505f;
    private static final float TWO_OVER_PI = 0.636619772367581343f;
    private static final float PIO2_HI = 1.57079637050628662f;
    private static final float PIO2_LO = -4.37113900018624283e-8f;
    private static final float TWO_PI = (float) (2.0 * Math.PI);

    /** {@code a * b + c}, one rounding (the vector twin of {@code Math.fma(a, b, c)}). */
    private static FloatVector fma(FloatVector a, FloatVector b, float c) {
        return a.fma(b, FloatVector.broadcast(a.species(), c));
    }

    private static FloatVector fma(FloatVector a, float b, FloatVector c) {
        return a.fma(FloatVector.broadcast(a.species(), b), c);
    }

    // ---- exp ----------------------------------------------------------------------------------

    /** e^a for {@code a} already within [EXP_LO, EXP_HI] (or NaN). */
    static FloatVector expClamped(FloatVector a) {
        FloatVector t = a.fma(LOG2E, ROUNDER);
        FloatVector n = t.sub(ROUNDER);
        IntVector ni = t.reinterpretAsInts().sub(ROUNDER_BITS);
        FloatVector r = fma(n, -LN2_HI, a).add(n.mul(-LN2_LO));
        FloatVector p = fma(fma(fma(fma(fma(fma(r.fma(E7, E6), r, E5), r, E4), r, E3), r, E2), r, 1f), r, 1f);
        FloatVector scale = ni.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(scale);
    }

    static float expClamped(float a) {
        float t = Math.fma(a, LOG2E, ROUNDER);
        float n = t - ROUNDER;
        int ni = Float.floatToRawIntBits(t) - ROUNDER_BITS;
        float r = Math.fma(n, -LN2_HI, a) + n * -LN2_LO;
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(r, E7, E6), r, E5), r, E4), r, E3),
                r, E2), r, 1f), r, 1f);
        return p * Float.intBitsToFloat((ni + 127) << 23);
    }

    /** Clamps to [lo, hi]; NaN stays NaN (a comparison with NaN is false, so no lane is replaced). */
    static FloatVector clamp(FloatVector v, float lo, float hi) {
        v = v.blend(lo, v.compare(VectorOperators.LT, lo));
        return v.blend(hi, v.compare(VectorOperators.GT, hi));
    }

    static float clamp(float v, float lo, float hi) {
        v = v < lo ? lo : v;
        return v > hi ? hi : v;
    }

    // ---- sigmoid ------------------------------------------------------------------------------

    /** {@code 1 / (1 + e^-z)}; NaN gives NaN, +-infinity gives (nearly) 1 and 0. */
    static FloatVector sigmoid(FloatVector z) {
        FloatVector e = expClamped(clamp(z.neg(), EXP_LO, EXP_HI));
        return FloatVector.broadcast(z.species(), 1f).div(e.add(1f));
    }

    static float sigmoid(float z) {
        float e = expClamped(clamp(-z, EXP_LO, EXP_HI));
        return 1f / (e + 1f);
    }

    // ---- softplus -----------------------------------------------------------------------------

    /** {@code log(1 + e^z) = max(z, 0) + log1p(e^-|z|)}; NaN gives NaN, +inf gives +inf. */
    static FloatVector softplus(FloatVector z) {
        FloatVector m = expClamped(clamp(z.abs().neg(), EXP_LO, EXP_HI));
        FloatVector s = m.div(m.add(2f));
        FloatVector s2 = s.mul(s);
        FloatVector poly = fma(fma(fma(fma(fma(s2.fma(A13, A11), s2, A9), s2, A7), s2, A5), s2, A3), s2, 1f);
        FloatVector log1p = s.add(s).mul(poly);
        FloatVector pos = z.blend(0f, z.compare(VectorOperators.GT, 0f).not());
        return pos.add(log1p);
    }

    static float softplus(float z) {
        float m = expClamped(clamp(-Math.abs(z), EXP_LO, EXP_HI));
        float s = m / (m + 2f);
        float s2 = s * s;
        float poly = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(s2, A13, A11), s2, A9), s2, A7), s2, A5),
                s2, A3), s2, 1f);
        float log1p = (s + s) * poly;
        float pos = z > 0f ? z : 0f;
        return pos + log1p;
    }

    // ---- Box-Muller ---------------------------------------------------------------------------

    /** {@code sqrt(-2 ln u1) cos(2 pi u2)} for {@code u1} in (0, 1] (a normal float), {@code u2} in [0, 1). */
    static FloatVector boxMuller(FloatVector u1, FloatVector u2) {
        FloatVector radius = logUnit(u1).mul(-2f).lanewise(VectorOperators.SQRT);
        return radius.mul(cosNonNegative(u2.mul(TWO_PI)));
    }

    static float boxMuller(float u1, float u2) {
        float radius = (float) Math.sqrt(logUnit(u1) * -2f);
        return radius * cosNonNegative(u2 * TWO_PI);
    }

    /** Natural log of a positive normal float. */
    static FloatVector logUnit(FloatVector u) {
        IntVector bits = u.reinterpretAsInts();
        IntVector exponent = bits.lanewise(VectorOperators.LSHR, 23).sub(127);
        FloatVector m = bits.and(0x007FFFFF).or(0x3F800000).reinterpretAsFloats();
        VectorMask<Float> big = m.compare(VectorOperators.GT, SQRT2);
        m = m.blend(m.mul(0.5f), big);
        exponent = exponent.blend(exponent.add(1), big.cast(exponent.species()));
        FloatVector f = m.sub(1f);
        FloatVector s = f.div(f.add(2f));
        FloatVector s2 = s.mul(s);
        FloatVector poly = fma(fma(fma(s2.fma(A9, A7), s2, A5), s2, A3), s2, 1f);
        FloatVector e = (FloatVector) exponent.convert(VectorOperators.I2F, 0);
        return s.add(s).mul(poly).add(e.mul(LN2));
    }

    static float logUnit(float u) {
        int bits = Float.floatToRawIntBits(u);
        int exponent = (bits >>> 23) - 127;
        float m = Float.intBitsToFloat((bits & 0x007FFFFF) | 0x3F800000);
        if (m > SQRT2) {
            m = m * 0.5f;
            exponent = exponent + 1;
        }
        float f = m - 1f;
        float s = f / (f + 2f);
        float s2 = s * s;
        float poly = Math.fma(Math.fma(Math.fma(Math.fma(s2, A9, A7), s2, A5), s2, A3), s2, 1f);
        return (s + s) * poly + exponent * LN2;
    }

    /** cos(theta) for theta in [0, 2 pi]: quadrant reduction, then the sin or cos polynomial on [-pi/4, pi/4]. */
    static FloatVector cosNonNegative(FloatVector theta) {
        FloatVector t = theta.fma(TWO_OVER_PI, ROUNDER);
        FloatVector n = t.sub(ROUNDER);
        IntVector quadrant = t.reinterpretAsInts().sub(ROUNDER_BITS);
        FloatVector r = fma(n, -PIO2_HI, theta).add(n.mul(-PIO2_LO));
        FloatVector r2 = r.mul(r);
        FloatVector cos = fma(fma(fma(r2.fma(1f / 40320, -1f / 720), r2, 1f / 24), r2, -0.5f), r2, 1f);
        FloatVector sin = fma(fma(fma(r2.fma(1f / 362880, -1f / 5040), r2, 1f / 120), r2, -1f / 6), r2, 1f).mul(r);
        VectorMask<Float> useSin = quadrant.and(1).compare(VectorOperators.NE, 0).cast(theta.species());
        VectorMask<Float> negate = quadrant.add(1).and(2).compare(VectorOperators.NE, 0).cast(theta.species());
        FloatVector v = cos.blend(sin, useSin);
        return v.blend(v.neg(), negate);
    }

    static float cosNonNegative(float theta) {
        float t = Math.fma(theta, TWO_OVER_PI, ROUNDER);
        float n = t - ROUNDER;
        int quadrant = Float.floatToRawIntBits(t) - ROUNDER_BITS;
        float r = Math.fma(n, -PIO2_HI, theta) + n * -PIO2_LO;
        float r2 = r * r;
        float cos = Math.fma(Math.fma(Math.fma(Math.fma(r2, 1f / 40320, -1f / 720), r2, 1f / 24), r2, -0.5f), r2, 1f);
        float sin = Math.fma(Math.fma(Math.fma(Math.fma(r2, 1f / 362880, -1f / 5040), r2, 1f / 120), r2, -1f / 6),
                r2, 1f) * r;
        float v = (quadrant & 1) != 0 ? sin : cos;
        return ((quadrant + 1) & 2) != 0 ? -v : v;
    }
}
