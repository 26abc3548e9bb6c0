package org.ebm4j.data;

import java.util.Locale;
import java.util.Objects;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Tensor;

/**
 * Turns values in [0, 1] into binary {0, 1} data on the backend, in place:
 * <ul>
 *   <li>{@link #fixed(float)}: {@code x >= t ? 1 : 0} (default {@code t = 0.5});</li>
 *   <li>{@link #stochastic(long)}: {@code 1} with probability {@code x}, seeded, so the same seed
 *       gives the same binary data on every backend;</li>
 *   <li>{@link #none()}: leaves the values as they are (grey levels used as probabilities).</li>
 * </ul>
 */
public final class Binarization {
    private enum Kind { NONE, FIXED, STOCHASTIC }

    private final Kind kind;
    private final float threshold;
    private final long seed;

    private Binarization(Kind kind, float threshold, long seed) {
        this.kind = kind;
        this.threshold = threshold;
        this.seed = seed;
    }

    public static Binarization none() {
        return new Binarization(Kind.NONE, Float.NaN, 0L);
    }

    /**
     * {@code x >= threshold ? 1 : 0}, for values scaled to [0, 1] (pixels); the threshold must lie in
     * (0, 1), since outside it (nearly) every value binarizes the same way and the model learns nothing.
     */
    public static Binarization fixed(float threshold) {
        if (!(threshold > 0f && threshold < 1f)) {
            throw new IllegalArgumentException("binarization threshold must lie in (0, 1) (data are scaled to [0, 1]; "
                    + "outside it every value binarizes alike), found " + threshold);
        }
        return new Binarization(Kind.FIXED, threshold, 0L);
    }

    /** Each value {@code x} becomes 1 with probability {@code x} (values outside [0, 1] saturate). */
    public static Binarization stochastic(long seed) {
        return new Binarization(Kind.STOCHASTIC, Float.NaN, seed);
    }

    /**
     * Parses {@code none}, {@code fixed}, {@code fixed:T}, {@code stochastic} (with
     * {@code defaultSeed}) or {@code stochastic:SEED}.
     */
    public static Binarization parse(String spec, long defaultSeed) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        String arg = null;
        int colon = s.indexOf(':');
        if (colon >= 0) {
            arg = s.substring(colon + 1);
            s = s.substring(0, colon);
        }
        try {
            return switch (s) {
                case "none" -> none();
                case "fixed" -> fixed(arg == null ? 0.5f : Float.parseFloat(arg));
                case "stochastic" -> stochastic(arg == null ? defaultSeed : Long.parseLong(arg));
                default -> throw new IllegalArgumentException("binarization must be none, fixed[:T] or stochastic[:SEED], "
                        + "found '" + spec + "'");
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("binarization '" + spec + "' has a malformed number: " + arg);
        }
    }

    public boolean isNone() {
        return kind == Kind.NONE;
    }

    /** Binarizes {@code data} in place on its backend. */
    public void apply(Tensor data) {
        switch (kind) {
            case NONE -> {
            }
            case FIXED -> data.backend().threshold(data, threshold, 0f, 1f, data);
            case STOCHASTIC -> data.backend().sampler().sampleBernoulli(data, data, StreamId.BINARIZATION.open(seed));
            default -> throw new AssertionError(kind);
        }
    }

    /** The same binarization of host values: fixed and none only (stochastic needs a backend). */
    public float[] applyOnHost(float[] values) {
        if (kind == Kind.STOCHASTIC) {
            throw new IllegalStateException("stochastic binarization runs on a backend; use apply(Tensor)");
        }
        float[] out = values.clone();
        if (kind == Kind.FIXED) {
            for (int i = 0; i < out.length; i++) {
                out[i] = out[i] >= threshold ? 1f : 0f;
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Binarization b && b.kind == kind && Float.compare(b.threshold, threshold) == 0
                && b.seed == seed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, threshold, seed);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case NONE -> "none";
            case FIXED -> "fixed:" + threshold;
            case STOCHASTIC -> "stochastic:" + seed;
        };
    }
}
