package org.ebm4j.hopfield;

import java.util.Locale;
import org.ebm4j.boltzmann.UnitValues;
import org.ebm4j.data.Dataset;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;

/**
 * Turns stored patterns into recall cues: {@code flip} flips exactly {@code round(f * n)} randomly
 * chosen units of each pattern; {@code mask} sets a region to -1 (unknown = off), and the rest of
 * the units, being known, can be clamped during recall. Regions: {@code first-half},
 * {@code second-half}, and for images {@code top}, {@code bottom}, {@code left}, {@code right}.
 */
public final class CueCorruption {
    private CueCorruption() {
    }

    /**
     * The rows of {@code patterns} (0/1 or -1/+1) as -1/+1 cues with {@code round(fraction * cols)}
     * units of each flipped, the units chosen from {@link StreamId#HOPFIELD_CUES} under {@code seed}.
     */
    public static Dataset flip(Dataset patterns, double fraction, long seed) {
        Dataset spins = UnitValues.SPIN.encode(patterns);
        float[] cues = flip(spins.values(), spins.cols(), fraction, StreamId.HOPFIELD_CUES.open(seed));
        return spins.withValues(patterns.name() + " with " + fraction + " of each row flipped", cues);
    }

    /**
     * {@code patterns} ({@code n} units per row, -1/+1) with exactly {@code round(fraction * n)} units of
     * each row flipped, chosen by one permutation of {@code rng} per row.
     */
    static float[] flip(float[] patterns, int n, double fraction, RandomStream rng) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("flip fraction must lie in [0, 1], found " + fraction);
        }
        float[] cues = patterns.clone();
        int flips = (int) Math.round(fraction * n);
        for (int r = 0; r < patterns.length / n; r++) {
            int[] perm = rng.permutation(n);
            for (int k = 0; k < flips; k++) {
                cues[r * n + perm[k]] = -cues[r * n + perm[k]];
            }
        }
        return cues;
    }

    /**
     * The units a region hides, for {@code n} units ({@code width} columns of an image when
     * {@code width > 0}); an unknown region name, or an image region without an image shape, is an error.
     */
    public static boolean[] region(String name, int n, int width) {
        String r = name.trim().toLowerCase(Locale.ROOT);
        boolean[] hidden = new boolean[n];
        boolean image = r.equals("top") || r.equals("bottom") || r.equals("left") || r.equals("right");
        if (image && (width <= 0 || n % width != 0)) {
            throw new IllegalArgumentException("region '" + name + "' needs an image shape (--image-width dividing " + n + ")");
        }
        int height = width > 0 ? n / width : 0;
        for (int i = 0; i < n; i++) {
            hidden[i] = switch (r) {
                case "first-half" -> i < n / 2;
                case "second-half" -> i >= n / 2;
                case "top" -> i / width < height / 2;
                case "bottom" -> i / width >= height / 2;
                case "left" -> i % width < width / 2;
                case "right" -> i % width >= width / 2;
                default -> throw new IllegalArgumentException("region must be first-half, second-half, top, bottom, left"
                        + " or right but was '" + name + "'");
            };
        }
        return hidden;
    }

    /** The rows of {@code patterns} (0/1 or -1/+1) as -1/+1 cues with the {@code hidden} units set to -1. */
    public static Dataset mask(Dataset patterns, boolean[] hidden) {
        Dataset spins = UnitValues.SPIN.encode(patterns);
        int n = spins.cols();
        if (hidden.length != n) {
            throw new IllegalArgumentException("the mask covers " + hidden.length + " units but the patterns have " + n);
        }
        float[] cues = spins.values().clone();
        for (int r = 0; r < spins.rows(); r++) {
            for (int i = 0; i < n; i++) {
                if (hidden[i]) {
                    cues[r * n + i] = -1f;
                }
            }
        }
        return spins.withValues(patterns.name() + " masked", cues);
    }
}
