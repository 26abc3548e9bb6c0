package org.ebm4j.cpu.internal.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float transcendentals for the vector kernels, built from add/mul/fma/div/sqrt and exponent bit
 * tricks only, so they cost a few instructions per lane on any JDK (no dependence on the JDK's
 * vector math library). Every vector loop has a scalar twin that performs the same IEEE
 * operations in the same order, so the scalar tails of a row give bit-identical results to its
 * vector body.
 *
 * <p>The vector forms are array-to-array loops whose bodies hold the whole computation, calling
 * only the Vector API and helpers small enough that C2 always inlines them: a vector that crosses
 * a call C2 declined to inline is boxed on the heap, and C2's inlining of larger methods depends
 * on profile counts, so it cannot be relied on for a no-allocation hot path. Sharing the exp and
 * log bodies between the loops as small vector twins was measured on JDK 17 (Zen 3, one thread,
 * paired runs): with the constants as static final vectors, softplus sums ran 2x slower (C2 reads
 * each constant from its box inside the loop); with the twins broadcasting their own constants, the
 * softplus and log1p-square activation loops reached C2's node-count inlining cutoff and ran 5x
 * slower (boxed), although sigmoid, Box-Muller and softplus sums were unchanged. Hence the
 * constants broadcast once per loop and the bodies written out in each.
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
    private static final int SQRT2_BITS = Float.floatToRawIntBits(SQRT2);
    private static final float TWO_OVER_PI = 0.636619772367581343f;
    private static final float PIO2_HI = 1.57079637050628662f;
    private static final float PIO2_LO = -4.37113900018624283e-8f;
    private static final float TWO_PI = (float) (2.0 * Math.PI);

    static float clamp(float v, float lo, float hi) {
        v = v < lo ? lo : v;
        return v > hi ? hi : v;
    }

    // ---- exp (scalar twin; the vector form is written out inside each loop) -------------------

    /** e^a for {@code a} already within [EXP_LO, EXP_HI] (or NaN): 2^n times a degree-7 polynomial. */
    static float expClamped(float a) {
        float t = Math.fma(a, LOG2E, ROUNDER);
        float n = t - ROUNDER;
        int ni = Float.floatToRawIntBits(t) - ROUNDER_BITS;
        float r = Math.fma(n, -LN2_HI, a) + n * -LN2_LO;
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(r, E7, E6), r, E5), r, E4), r, E3),
                r, E2), r, 1f), r, 1f);
        return p * Float.intBitsToFloat((ni + 127) << 23);
    }

    // ---- sigmoid ------------------------------------------------------------------------------

    /**
     * {@code out[outOff + i] = sigmoid(scale * (x[xOff + i] + bias[biasOff + i]))} for {@code i < n}
     * ({@code bias} may be null; {@code out} may alias {@code x} exactly). NaN gives NaN,
     * +-infinity gives (nearly) 1 and 0.
     */
    static void sigmoid(float[] x, int xOff, float[] bias, int biasOff, float scale, float[] out, int outOff,
                        int n) {
        VectorSpecies<Float> fs = FloatVector.SPECIES_PREFERRED;
        // Constants broadcast once, outside the loop: scalar-operand forms nest the broadcast a few
        // calls deeper, and C2 stops inlining (and starts boxing) past MaxInlineLevel.
        FloatVector lo = FloatVector.broadcast(fs, EXP_LO);
        FloatVector hi = FloatVector.broadcast(fs, EXP_HI);
        FloatVector log2e = FloatVector.broadcast(fs, LOG2E);
        FloatVector rounder = FloatVector.broadcast(fs, ROUNDER);
        FloatVector ln2Hi = FloatVector.broadcast(fs, -LN2_HI);
        FloatVector ln2Lo = FloatVector.broadcast(fs, -LN2_LO);
        FloatVector e2 = FloatVector.broadcast(fs, E2);
        FloatVector e3 = FloatVector.broadcast(fs, E3);
        FloatVector e4 = FloatVector.broadcast(fs, E4);
        FloatVector e5 = FloatVector.broadcast(fs, E5);
        FloatVector e6 = FloatVector.broadcast(fs, E6);
        FloatVector e7 = FloatVector.broadcast(fs, E7);
        FloatVector one = FloatVector.broadcast(fs, 1f);
        FloatVector scaleV = FloatVector.broadcast(fs, scale);
        IntVector bias127 = IntVector.broadcast(IntVector.SPECIES_PREFERRED, 127);
        IntVector rounderBits = IntVector.broadcast(IntVector.SPECIES_PREFERRED, ROUNDER_BITS);
        int i = 0;
        for (int bound = fs.loopBound(n); i < bound; i += fs.length()) {
            FloatVector z = FloatVector.fromArray(fs, x, xOff + i);
            if (bias != null) {
                z = z.add(FloatVector.fromArray(fs, bias, biasOff + i));
            }
            FloatVector a = z.mul(scaleV).neg();
            a = a.blend(lo, a.compare(VectorOperators.LT, lo));
            a = a.blend(hi, a.compare(VectorOperators.GT, hi));
            FloatVector t = a.fma(log2e, rounder);
            FloatVector nf = t.sub(rounder);
            IntVector ni = t.reinterpretAsInts().sub(rounderBits);
            FloatVector r = nf.fma(ln2Hi, a).add(nf.mul(ln2Lo));
            FloatVector p = r.fma(e7, e6).fma(r, e5).fma(r, e4).fma(r, e3).fma(r, e2).fma(r, one).fma(r, one);
            FloatVector e = p.mul(ni.add(bias127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            one.div(e.add(one)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            float z = bias == null ? x[xOff + i] : x[xOff + i] + bias[biasOff + i];
            out[outOff + i] = sigmoid(z * scale);
        }
    }

    static float sigmoid(float z) {
        float e = expClamped(clamp(-z, EXP_LO, EXP_HI));
        return 1f / (e + 1f);
    }

    // ---- softplus -----------------------------------------------------------------------------

    /**
     * {@code sum_i softplus(scale * (x[xOff + i] + bias[biasOff + i]))} for {@code i < n}, with
     * {@code softplus(z) = max(z, 0) + log1p(e^-|z|)}: float accumulation per lane (callers keep
     * {@code n} to a block), lanes and tail added in double. NaN gives NaN, +inf gives +inf.
     */
    static double softplusSum(float[] x, int xOff, float[] bias, int biasOff, float scale, int n) {
        VectorSpecies<Float> fs = FloatVector.SPECIES_PREFERRED;
        FloatVector lo = FloatVector.broadcast(fs, EXP_LO);
        FloatVector log2e = FloatVector.broadcast(fs, LOG2E);
        FloatVector rounder = FloatVector.broadcast(fs, ROUNDER);
        FloatVector ln2Hi = FloatVector.broadcast(fs, -LN2_HI);
        FloatVector ln2Lo = FloatVector.broadcast(fs, -LN2_LO);
        FloatVector e2 = FloatVector.broadcast(fs, E2);
        FloatVector e3 = FloatVector.broadcast(fs, E3);
        FloatVector e4 = FloatVector.broadcast(fs, E4);
        FloatVector e5 = FloatVector.broadcast(fs, E5);
        FloatVector e6 = FloatVector.broadcast(fs, E6);
        FloatVector e7 = FloatVector.broadcast(fs, E7);
        FloatVector a3 = FloatVector.broadcast(fs, A3);
        FloatVector a5 = FloatVector.broadcast(fs, A5);
        FloatVector a7 = FloatVector.broadcast(fs, A7);
        FloatVector a9 = FloatVector.broadcast(fs, A9);
        FloatVector a11 = FloatVector.broadcast(fs, A11);
        FloatVector a13 = FloatVector.broadcast(fs, A13);
        FloatVector one = FloatVector.broadcast(fs, 1f);
        FloatVector two = FloatVector.broadcast(fs, 2f);
        FloatVector zero = FloatVector.zero(fs);
        FloatVector scaleV = FloatVector.broadcast(fs, scale);
        IntVector bias127 = IntVector.broadcast(IntVector.SPECIES_PREFERRED, 127);
        IntVector rounderBits = IntVector.broadcast(IntVector.SPECIES_PREFERRED, ROUNDER_BITS);
        FloatVector acc = zero;
        int i = 0;
        for (int bound = fs.loopBound(n); i < bound; i += fs.length()) {
            FloatVector z = FloatVector.fromArray(fs, x, xOff + i);
            if (bias != null) {
                z = z.add(FloatVector.fromArray(fs, bias, biasOff + i));
            }
            z = z.mul(scaleV);
            // -|z| <= 0 needs only the lower clamp
            FloatVector a = z.abs().neg();
            a = a.blend(lo, a.compare(VectorOperators.LT, lo));
            FloatVector t = a.fma(log2e, rounder);
            FloatVector nf = t.sub(rounder);
            IntVector ni = t.reinterpretAsInts().sub(rounderBits);
            FloatVector r = nf.fma(ln2Hi, a).add(nf.mul(ln2Lo));
            FloatVector p = r.fma(e7, e6).fma(r, e5).fma(r, e4).fma(r, e3).fma(r, e2).fma(r, one).fma(r, one);
            FloatVector m = p.mul(ni.add(bias127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            FloatVector s = m.div(m.add(two));
            FloatVector s2 = s.mul(s);
            FloatVector poly = s2.fma(a13, a11).fma(s2, a9).fma(s2, a7).fma(s2, a5).fma(s2, a3).fma(s2, one);
            FloatVector log1p = s.add(s).mul(poly);
            FloatVector pos = zero.blend(z, z.compare(VectorOperators.GT, zero));
            acc = acc.add(pos.add(log1p));
        }
        VectorSpecies<Double> ds = DoubleVector.SPECIES_PREFERRED;
        double total = VectorKernels.laneSum(((DoubleVector) acc.convertShape(VectorOperators.F2D, ds, 0))
                .add(acc.convertShape(VectorOperators.F2D, ds, 1)));
        for (; i < n; i++) {
            float z = bias == null ? x[xOff + i] : x[xOff + i] + bias[biasOff + i];
            total += softplus(z * scale);
        }
        return total;
    }

    static float softplus(float z) {
        return softplusFromExp(z, expClamped(clamp(-Math.abs(z), EXP_LO, EXP_HI)));
    }

    // ---- activations: value and derivative together -------------------------------------------

    /**
     * Softplus units over {@code n} elements: with {@code z = x[xOff + i] + bias[biasOff + i]}
     * ({@code bias} may be null), {@code value[vOff + i] = max(z, 0) + log1p(e^-|z|)} and
     * {@code derivative[dOff + i] = sigmoid(z)}, both from the one exponential {@code m = e^-|z|}
     * ({@code sigmoid(z) = 1 / (1 + m)} for {@code z >= 0}, {@code m / (1 + m)} below). Either output
     * may be null, and either may alias {@code x} exactly (z is read before the stores). NaN gives
     * NaN; below z = -87 the clamped exponential leaves an absolute error under 2e-38.
     */
    static void softplusActivation(float[] x, int xOff, float[] bias, int biasOff, float[] value, int vOff,
                                   float[] derivative, int dOff, int n) {
        VectorSpecies<Float> fs = FloatVector.SPECIES_PREFERRED;
        FloatVector lo = FloatVector.broadcast(fs, EXP_LO);
        FloatVector log2e = FloatVector.broadcast(fs, LOG2E);
        FloatVector rounder = FloatVector.broadcast(fs, ROUNDER);
        FloatVector ln2Hi = FloatVector.broadcast(fs, -LN2_HI);
        FloatVector ln2Lo = FloatVector.broadcast(fs, -LN2_LO);
        FloatVector e2 = FloatVector.broadcast(fs, E2);
        FloatVector e3 = FloatVector.broadcast(fs, E3);
        FloatVector e4 = FloatVector.broadcast(fs, E4);
        FloatVector e5 = FloatVector.broadcast(fs, E5);
        FloatVector e6 = FloatVector.broadcast(fs, E6);
        FloatVector e7 = FloatVector.broadcast(fs, E7);
        FloatVector a3 = FloatVector.broadcast(fs, A3);
        FloatVector a5 = FloatVector.broadcast(fs, A5);
        FloatVector a7 = FloatVector.broadcast(fs, A7);
        FloatVector a9 = FloatVector.broadcast(fs, A9);
        FloatVector a11 = FloatVector.broadcast(fs, A11);
        FloatVector a13 = FloatVector.broadcast(fs, A13);
        FloatVector one = FloatVector.broadcast(fs, 1f);
        FloatVector two = FloatVector.broadcast(fs, 2f);
        FloatVector zero = FloatVector.zero(fs);
        IntVector bias127 = IntVector.broadcast(IntVector.SPECIES_PREFERRED, 127);
        IntVector rounderBits = IntVector.broadcast(IntVector.SPECIES_PREFERRED, ROUNDER_BITS);
        int i = 0;
        for (int bound = fs.loopBound(n); i < bound; i += fs.length()) {
            FloatVector z = FloatVector.fromArray(fs, x, xOff + i);
            if (bias != null) {
                z = z.add(FloatVector.fromArray(fs, bias, biasOff + i));
            }
            // -|z| <= 0 needs only the lower clamp
            FloatVector a = z.abs().neg();
            a = a.blend(lo, a.compare(VectorOperators.LT, lo));
            FloatVector t = a.fma(log2e, rounder);
            FloatVector nf = t.sub(rounder);
            IntVector ni = t.reinterpretAsInts().sub(rounderBits);
            FloatVector r = nf.fma(ln2Hi, a).add(nf.mul(ln2Lo));
            FloatVector p = r.fma(e7, e6).fma(r, e5).fma(r, e4).fma(r, e3).fma(r, e2).fma(r, one).fma(r, one);
            FloatVector m = p.mul(ni.add(bias127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            if (value != null) {
                FloatVector s = m.div(m.add(two));
                FloatVector s2 = s.mul(s);
                FloatVector poly = s2.fma(a13, a11).fma(s2, a9).fma(s2, a7).fma(s2, a5).fma(s2, a3).fma(s2, one);
                FloatVector log1p = s.add(s).mul(poly);
                FloatVector pos = zero.blend(z, z.compare(VectorOperators.GT, zero));
                pos.add(log1p).intoArray(value, vOff + i);
            }
            if (derivative != null) {
                FloatVector numerator = one.blend(m, z.compare(VectorOperators.LT, zero));
                numerator.div(one.add(m)).intoArray(derivative, dOff + i);
            }
        }
        for (; i < n; i++) {
            float z = bias == null ? x[xOff + i] : x[xOff + i] + bias[biasOff + i];
            float m = expClamped(clamp(-Math.abs(z), EXP_LO, EXP_HI));
            if (value != null) {
                value[vOff + i] = softplusFromExp(z, m);
            }
            if (derivative != null) {
                derivative[dOff + i] = sigmoidFromExp(z, m);
            }
        }
    }

    /** {@code max(z, 0) + log1p(m)} for {@code m = e^-|z|}: the value of {@link #softplusActivation}. */
    static float softplusFromExp(float z, float m) {
        float s = m / (m + 2f);
        float s2 = s * s;
        float poly = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(s2, A13, A11), s2, A9), s2, A7), s2, A5),
                s2, A3), s2, 1f);
        float log1p = (s + s) * poly;
        float pos = z > 0f ? z : 0f;
        return pos + log1p;
    }

    /** {@code sigmoid(z)} for {@code m = e^-|z|}: the derivative of {@link #softplusActivation}. */
    static float sigmoidFromExp(float z, float m) {
        float numerator = z < 0f ? m : 1f;
        return numerator / (1f + m);
    }

    /** Above this |z|, {@code 1 + z^2} rounds to {@code z^2} in float: log1p(z^2) is taken as 2 log|z|. */
    static final float FAS_BIG = 4096f;

    /**
     * "fas" units over {@code n} elements: with {@code z = x[xOff + i] + bias[biasOff + i]}
     * ({@code bias} may be null), {@code value[vOff + i] = log1p(z^2)} and
     * {@code derivative[dOff + i] = 2z / (1 + z^2)}. Either output may be null, and either may alias
     * {@code x} exactly.
     *
     * <p>{@code 1 + z^2} is formed exactly as a float sum {@code u + c} (Knuth's two-sum), and
     * {@code log1p(z^2) = log(u) + c / u} to first order: relative accuracy for tiny z (where
     * {@code u} rounds to 1 and {@code c} is all of {@code z^2}) and no overflow of {@code z^2} up to
     * |z| = {@value #FAS_BIG}; above it {@code u = |z|} and the value is {@code 2 log|z|} (the dropped
     * {@code log1p(z^-2) < 2^-24} is under 1/30 ulp of a value above 16) and the derivative
     * {@code (z / |z|) * (2 / |z|)}. log(u) splits u into {@code 2^e * m} with m in [sqrt(1/2), sqrt(2)) and
     * takes {@code log m = 2 atanh((m - 1) / (m + 1))}. As the double definition does, +-infinity
     * gives value +infinity and derivative NaN (inf / inf); NaN gives NaN.
     */
    static void fasActivation(float[] x, int xOff, float[] bias, int biasOff, float[] value, int vOff,
                              float[] derivative, int dOff, int n) {
        VectorSpecies<Float> fs = FloatVector.SPECIES_PREFERRED;
        VectorSpecies<Integer> is = IntVector.SPECIES_PREFERRED;
        FloatVector one = FloatVector.broadcast(fs, 1f);
        FloatVector two = FloatVector.broadcast(fs, 2f);
        FloatVector zero = FloatVector.zero(fs);
        FloatVector big = FloatVector.broadcast(fs, FAS_BIG);
        FloatVector inf = FloatVector.broadcast(fs, Float.POSITIVE_INFINITY);
        FloatVector a3 = FloatVector.broadcast(fs, A3);
        FloatVector a5 = FloatVector.broadcast(fs, A5);
        FloatVector a7 = FloatVector.broadcast(fs, A7);
        FloatVector a9 = FloatVector.broadcast(fs, A9);
        FloatVector ln2Hi = FloatVector.broadcast(fs, LN2_HI);
        FloatVector ln2Lo = FloatVector.broadcast(fs, LN2_LO);
        IntVector bias127 = IntVector.broadcast(is, 127);
        IntVector mantissa = IntVector.broadcast(is, 0x007FFFFF);
        IntVector oneBits = IntVector.broadcast(is, 0x3F800000);
        IntVector sqrt2Bits = IntVector.broadcast(is, SQRT2_BITS);
        IntVector exponentOne = IntVector.broadcast(is, 1 << 23);
        IntVector intOne = IntVector.broadcast(is, 1);
        int i = 0;
        for (int bound = fs.loopBound(n); i < bound; i += fs.length()) {
            FloatVector z = FloatVector.fromArray(fs, x, xOff + i);
            if (bias != null) {
                z = z.add(FloatVector.fromArray(fs, bias, biasOff + i));
            }
            FloatVector a = z.abs();
            VectorMask<Float> large = a.compare(VectorOperators.GT, big);
            FloatVector t = z.mul(z);
            FloatVector u = one.add(t);
            FloatVector v = u.sub(one);
            FloatVector c = one.sub(u.sub(v)).add(t.sub(v));
            u = u.blend(a, large);
            c = c.blend(zero, large);
            FloatVector r = one.div(u);
            IntVector bits = u.reinterpretAsInts();
            IntVector exponent = bits.lanewise(VectorOperators.LSHR, 23).sub(bias127);
            IntVector mBits = bits.and(mantissa).or(oneBits);
            VectorMask<Integer> high = mBits.compare(VectorOperators.GT, sqrt2Bits);
            mBits = mBits.blend(mBits.sub(exponentOne), high);
            exponent = exponent.blend(exponent.add(intOne), high);
            if (value != null) {
                FloatVector f = mBits.reinterpretAsFloats().sub(one);
                FloatVector s = f.div(f.add(two));
                FloatVector s2 = s.mul(s);
                FloatVector poly = s2.fma(a9, a7).fma(s2, a5).fma(s2, a3).fma(s2, one);
                FloatVector ef = (FloatVector) exponent.convert(VectorOperators.I2F, 0);
                FloatVector low = ef.mul(ln2Lo).add(s.add(s).mul(poly).add(c.mul(r)));
                FloatVector ln = ef.mul(ln2Hi).add(low);
                ln = ln.blend(ln.add(ln), large);
                ln.blend(a, a.compare(VectorOperators.EQ, inf)).intoArray(value, vOff + i);
            }
            if (derivative != null) {
                // (z / u) * 2, or (z / |z|) * (2 / |z|) where z + z or z * z could overflow
                z.mul(r).mul(two.blend(r.add(r), large)).intoArray(derivative, dOff + i);
            }
        }
        for (; i < n; i++) {
            float z = bias == null ? x[xOff + i] : x[xOff + i] + bias[biasOff + i];
            if (value != null) {
                value[vOff + i] = fasValue(z);
            }
            if (derivative != null) {
                derivative[dOff + i] = fasDerivative(z);
            }
        }
    }

    /** {@code log1p(z^2)}: the scalar twin of the value lanes of {@link #fasActivation}. */
    static float fasValue(float z) {
        float a = Math.abs(z);
        boolean large = a > FAS_BIG;
        float t = z * z;
        float u = 1f + t;
        float v = u - 1f;
        float c = (1f - (u - v)) + (t - v);
        if (large) {
            u = a;
            c = 0f;
        }
        float r = 1f / u;
        int bits = Float.floatToRawIntBits(u);
        float ef = (float) logExponent(bits);
        float low = ef * LN2_LO + (logMantissa(bits) + c * r);
        float ln = ef * LN2_HI + low;
        if (large) {
            ln = ln + ln;
        }
        return a == Float.POSITIVE_INFINITY ? a : ln;
    }

    /** {@code 2z / (1 + z^2)}: the scalar twin of the derivative lanes of {@link #fasActivation}. */
    static float fasDerivative(float z) {
        float a = Math.abs(z);
        boolean large = a > FAS_BIG;
        float t = z * z;
        float u = large ? a : 1f + t;
        float r = 1f / u;
        return z * r * (large ? r + r : 2f);
    }

    // ---- Box-Muller ---------------------------------------------------------------------------

    /**
     * {@code out[outOff + i] = mean + stddev * sqrt(-2 ln u1[i]) cos(2 pi u2[i])} where
     * {@code u1[i] = u1s[u1Off + i]} is in (0, 1] and {@code u2[i] = u2s[u2Off + i]} in [0, 1);
     * {@code out} may alias {@code u1s} exactly.
     */
    static void boxMuller(float[] u1s, int u1Off, float[] u2s, int u2Off, float mean, float stddev, float[] out,
                          int outOff, int n) {
        VectorSpecies<Float> fs = FloatVector.SPECIES_PREFERRED;
        VectorSpecies<Integer> is = IntVector.SPECIES_PREFERRED;
        FloatVector one = FloatVector.broadcast(fs, 1f);
        FloatVector two = FloatVector.broadcast(fs, 2f);
        FloatVector minusTwo = FloatVector.broadcast(fs, -2f);
        FloatVector a3 = FloatVector.broadcast(fs, A3);
        FloatVector a5 = FloatVector.broadcast(fs, A5);
        FloatVector a7 = FloatVector.broadcast(fs, A7);
        FloatVector a9 = FloatVector.broadcast(fs, A9);
        FloatVector ln2 = FloatVector.broadcast(fs, LN2);
        FloatVector twoPi = FloatVector.broadcast(fs, TWO_PI);
        FloatVector twoOverPi = FloatVector.broadcast(fs, TWO_OVER_PI);
        FloatVector rounder = FloatVector.broadcast(fs, ROUNDER);
        FloatVector pio2Hi = FloatVector.broadcast(fs, -PIO2_HI);
        FloatVector pio2Lo = FloatVector.broadcast(fs, -PIO2_LO);
        FloatVector c8 = FloatVector.broadcast(fs, 1f / 40320);
        FloatVector c6 = FloatVector.broadcast(fs, -1f / 720);
        FloatVector c4 = FloatVector.broadcast(fs, 1f / 24);
        FloatVector c2 = FloatVector.broadcast(fs, -0.5f);
        FloatVector s9 = FloatVector.broadcast(fs, 1f / 362880);
        FloatVector s7 = FloatVector.broadcast(fs, -1f / 5040);
        FloatVector s5 = FloatVector.broadcast(fs, 1f / 120);
        FloatVector s3 = FloatVector.broadcast(fs, -1f / 6);
        FloatVector meanV = FloatVector.broadcast(fs, mean);
        FloatVector stddevV = FloatVector.broadcast(fs, stddev);
        IntVector bias127 = IntVector.broadcast(is, 127);
        IntVector mantissa = IntVector.broadcast(is, 0x007FFFFF);
        IntVector oneBits = IntVector.broadcast(is, 0x3F800000);
        IntVector sqrt2Bits = IntVector.broadcast(is, SQRT2_BITS);
        IntVector exponentOne = IntVector.broadcast(is, 1 << 23);
        IntVector intOne = IntVector.broadcast(is, 1);
        IntVector intTwo = IntVector.broadcast(is, 2);
        IntVector intZero = IntVector.zero(is);
        IntVector rounderBits = IntVector.broadcast(is, ROUNDER_BITS);
        int i = 0;
        for (int bound = fs.loopBound(n); i < bound; i += fs.length()) {
            // ln u1: u1 = m 2^e with m in [sqrt(1/2), sqrt(2)), ln m = 2 atanh((m - 1) / (m + 1)).
            IntVector bits = FloatVector.fromArray(fs, u1s, u1Off + i).reinterpretAsInts();
            IntVector exponent = bits.lanewise(VectorOperators.LSHR, 23).sub(bias127);
            IntVector mBits = bits.and(mantissa).or(oneBits);
            // m > sqrt(2) compared as bit patterns (both positive floats), and halving m is one off
            // its exponent field: all in the int domain, with no mask changing lane type.
            VectorMask<Integer> big = mBits.compare(VectorOperators.GT, sqrt2Bits);
            mBits = mBits.blend(mBits.sub(exponentOne), big);
            exponent = exponent.blend(exponent.add(intOne), big);
            FloatVector f = mBits.reinterpretAsFloats().sub(one);
            FloatVector s = f.div(f.add(two));
            FloatVector sq = s.mul(s);
            FloatVector poly = sq.fma(a9, a7).fma(sq, a5).fma(sq, a3).fma(sq, one);
            FloatVector ef = (FloatVector) exponent.convert(VectorOperators.I2F, 0);
            FloatVector ln = s.add(s).mul(poly).add(ef.mul(ln2));
            FloatVector radius = ln.mul(minusTwo).lanewise(VectorOperators.SQRT);
            // cos(theta), theta = 2 pi u2 in [0, 2 pi): quadrant q, remainder in [-pi/4, pi/4].
            FloatVector theta = FloatVector.fromArray(fs, u2s, u2Off + i).mul(twoPi);
            FloatVector t = theta.fma(twoOverPi, rounder);
            FloatVector nf = t.sub(rounder);
            IntVector quadrant = t.reinterpretAsInts().sub(rounderBits);
            FloatVector r = nf.fma(pio2Hi, theta).add(nf.mul(pio2Lo));
            FloatVector r2 = r.mul(r);
            FloatVector cos = r2.fma(c8, c6).fma(r2, c4).fma(r2, c2).fma(r2, one);
            FloatVector sin = r2.fma(s9, s7).fma(r2, s5).fma(r2, s3).fma(r2, one).mul(r);
            // odd quadrants take sin; quadrants 1 and 2 flip the sign bit (((q + 1) & 2) << 30)
            VectorMask<Integer> useSin = quadrant.and(intOne).compare(VectorOperators.NE, intZero);
            IntVector c = cos.reinterpretAsInts().blend(sin.reinterpretAsInts(), useSin);
            IntVector sign = quadrant.add(intOne).and(intTwo).lanewise(VectorOperators.LSHL, 30);
            FloatVector z = radius.mul(c.lanewise(VectorOperators.XOR, sign).reinterpretAsFloats());
            z.mul(stddevV).add(meanV).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = mean + stddev * boxMuller(u1s[u1Off + i], u2s[u2Off + i]);
        }
    }

    static float boxMuller(float u1, float u2) {
        float radius = (float) Math.sqrt(logUnit(u1) * -2f);
        return radius * cosNonNegative(u2 * TWO_PI);
    }

    /** Natural log of a positive normal float (scalar twin of the vector log in {@link #boxMuller}). */
    static float logUnit(float u) {
        int bits = Float.floatToRawIntBits(u);
        return logMantissa(bits) + logExponent(bits) * LN2;
    }

    /**
     * The scalar twins' log splits a positive normal float (raw bits {@code bits}) into
     * {@code 2^e * m} with m in [sqrt(1/2), sqrt(2)): this is {@code e}.
     */
    private static int logExponent(int bits) {
        int exponent = (bits >>> 23) - 127;
        return ((bits & 0x007FFFFF) | 0x3F800000) > SQRT2_BITS ? exponent + 1 : exponent;
    }

    /** {@code log m = 2 atanh((m - 1) / (m + 1))} for the {@code m} of {@link #logExponent}. */
    private static float logMantissa(int bits) {
        int mBits = (bits & 0x007FFFFF) | 0x3F800000;
        if (mBits > SQRT2_BITS) {
            mBits = mBits - (1 << 23);
        }
        float f = Float.intBitsToFloat(mBits) - 1f;
        float s = f / (f + 2f);
        float s2 = s * s;
        float poly = Math.fma(Math.fma(Math.fma(Math.fma(s2, A9, A7), s2, A5), s2, A3), s2, 1f);
        return (s + s) * poly;
    }

    /** cos(theta) for theta in [0, 2 pi] (scalar twin of the vector cos in {@link #boxMuller}). */
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
        return Float.intBitsToFloat(Float.floatToRawIntBits(v) ^ (((quadrant + 1) & 2) << 30));
    }
}
