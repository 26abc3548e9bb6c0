package org.ebm4j.tempering;

import java.util.Arrays;
import java.util.Locale;
import org.ebm4j.train.OptionCodec;
import org.ebm4j.train.SettingException;

/**
 * The inverse temperatures {@code 1 = b_0 > b_1 > ... > b_{M-1} > 0} of parallel tempering: either
 * a geometric ladder from 1 down to a given lowest inverse temperature (spread over as many replicas
 * as asked), or an explicit list. Written as {@code geometric:<min>} or as the list
 * {@code 1,0.8,0.5}.
 */
public final class TemperatureLadder {
    /** How options maps hold a ladder: its {@link #toString()}. */
    public static final OptionCodec<TemperatureLadder> CODEC = OptionCodec.of(TemperatureLadder::toString,
            TemperatureLadder::parse);

    private final double minBeta;
    private final double[] explicit;

    private TemperatureLadder(double minBeta, double[] explicit) {
        this.minBeta = minBeta;
        this.explicit = explicit;
    }

    /** A geometric ladder {@code b_r = minBeta^(r / (M - 1))}, {@code 0 < minBeta < 1}. */
    public static TemperatureLadder geometric(double minBeta) {
        if (!(minBeta > 0 && minBeta < 1)) {
            throw new IllegalArgumentException("the lowest inverse temperature of a geometric ladder must lie in "
                    + "(0, 1), found " + minBeta);
        }
        return new TemperatureLadder(minBeta, null);
    }

    /** Exactly these inverse temperatures: the first 1, strictly decreasing, all positive, at least two. */
    public static TemperatureLadder of(double... betas) {
        double[] b = betas.clone();
        if (b.length < 2) {
            throw new IllegalArgumentException("parallel tempering needs at least 2 inverse temperatures, found "
                    + b.length);
        }
        if (b[0] != 1.0) {
            throw new IllegalArgumentException("the first inverse temperature must be 1 (the model itself), found "
                    + b[0]);
        }
        for (int i = 1; i < b.length; i++) {
            if (!(b[i] > 0 && b[i] < b[i - 1])) {
                throw new IllegalArgumentException("inverse temperatures must decrease strictly and stay > 0, found "
                        + b[i] + " after " + b[i - 1]);
            }
        }
        return new TemperatureLadder(Double.NaN, b);
    }

    /** Reads {@code geometric:<min>} or a comma-separated list. */
    public static TemperatureLadder parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("geometric:")) {
                return geometric(Double.parseDouble(t.substring("geometric:".length())));
            }
            String[] parts = t.split(",");
            double[] b = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                b[i] = Double.parseDouble(parts[i].trim());
            }
            return of(b);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("inverse temperatures must be geometric:<min> or a list like "
                    + "1,0.8,0.5, found '" + s + "'");
        }
    }

    /** Whether the ladder is an explicit list (whose length fixes the number of replicas). */
    public boolean isExplicit() {
        return explicit != null;
    }

    /**
     * The {@code replicas} inverse temperatures; for an explicit list {@code replicas} must equal its
     * length.
     */
    public double[] betas(int replicas) {
        if (explicit != null) {
            if (replicas != explicit.length) {
                throw new IllegalArgumentException("the inverse temperatures " + this + " are " + explicit.length
                        + " replicas but " + replicas + " are asked for");
            }
            return explicit.clone();
        }
        if (replicas < 2) {
            throw new IllegalArgumentException("parallel tempering needs at least 2 replicas, found " + replicas);
        }
        double[] b = new double[replicas];
        for (int r = 0; r < replicas; r++) {
            b[r] = Math.pow(minBeta, r / (double) (replicas - 1));
        }
        b[0] = 1.0;
        return b;
    }

    /**
     * Checks, for an options record, that {@code ladder} gives {@code replicas} temperatures
     * ({@link #betas(int)}).
     *
     * @throws SettingException naming the option {@code betas}
     */
    public static void requireFits(TemperatureLadder ladder, int replicas) {
        try {
            ladder.betas(replicas);
        } catch (IllegalArgumentException e) {
            throw new SettingException("betas", e.getMessage());
        }
    }

    @Override
    public String toString() {
        if (explicit == null) {
            return "geometric:" + minBeta;
        }
        StringBuilder sb = new StringBuilder();
        for (double b : explicit) {
            sb.append(sb.length() > 0 ? "," : "").append(b);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TemperatureLadder t && Double.compare(minBeta, t.minBeta) == 0
                && Arrays.equals(explicit, t.explicit);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(minBeta) * 31 + Arrays.hashCode(explicit);
    }
}
