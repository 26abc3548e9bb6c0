package org.ebm4j.cli;

import java.util.Locale;
import org.ebm4j.random.RandomStream;

/**
 * Turns stored patterns into recall cues: {@code flip} flips exactly {@code round(f * n)} randomly
 * chosen units of each pattern; {@code mask} sets a region to -1 (unknown = off) and reports the
 * rest as known, so it can be clamped. Regions: {@code first-half}, {@code second-half}, and for
 * images {@code top}, {@code bottom}, {@code left}, {@code right}.
 */
final class CueCorruption {
    private CueCorruption() {
    }

    static float[] flip(float[] patterns, int n, double fraction, RandomStream rng) {
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

    /** The units a mask region hides, for {@code n} units (an image of {@code width} columns when width > 0). */
    static boolean[] region(String name, int n, int width) {
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

    static float[] mask(float[] patterns, int n, boolean[] hidden) {
        float[] cues = patterns.clone();
        for (int r = 0; r < patterns.length / n; r++) {
            for (int i = 0; i < n; i++) {
                if (hidden[i]) {
                    cues[r * n + i] = -1f;
                }
            }
        }
        return cues;
    }
}
