package org.ebm4j.cpu.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Runs the vector forms of {@link VectorMath} over arrays (lanes, scalar tail through the scalar
 * twin). Separate from the test class so that class loads without the incubator module.
 */
final class VectorMathLanes {
    private VectorMathLanes() {
    }

    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;

    enum Fn { EXP, SIGMOID, SOFTPLUS, LOG, COS }

    /** The vector form on every full vector of {@code in}; the rest is left as NaN. */
    static float[] vector(Fn fn, float[] in) {
        float[] out = new float[in.length];
        java.util.Arrays.fill(out, Float.NaN);
        for (int i = 0; i < FS.loopBound(in.length); i += FS.length()) {
            FloatVector v = FloatVector.fromArray(FS, in, i);
            FloatVector r;
            switch (fn) {
                case EXP:
                    r = VectorMath.expClamped(VectorMath.clamp(v, VectorMath.EXP_LO, VectorMath.EXP_HI));
                    break;
                case SIGMOID:
                    r = VectorMath.sigmoid(v);
                    break;
                case SOFTPLUS:
                    r = VectorMath.softplus(v);
                    break;
                case LOG:
                    r = VectorMath.logUnit(v);
                    break;
                default:
                    r = VectorMath.cosNonNegative(v);
                    break;
            }
            r.intoArray(out, i);
        }
        return out;
    }

    static float scalar(Fn fn, float x) {
        switch (fn) {
            case EXP:
                return VectorMath.expClamped(VectorMath.clamp(x, VectorMath.EXP_LO, VectorMath.EXP_HI));
            case SIGMOID:
                return VectorMath.sigmoid(x);
            case SOFTPLUS:
                return VectorMath.softplus(x);
            case LOG:
                return VectorMath.logUnit(x);
            default:
                return VectorMath.cosNonNegative(x);
        }
    }

    static int lanes() {
        return FS.length();
    }
}
