package org.ebm4j.rbm;

import java.util.Locale;
import org.ebm4j.train.OptionCodec;

/**
 * The learning rate as a function of the epoch (0-based), fixed within an epoch.
 * <ul>
 *   <li>{@code constant}: {@code lr};</li>
 *   <li>{@code linear:F}: from {@code lr} at epoch 0 down to {@code F * lr} at the last epoch;</li>
 *   <li>{@code exp:G}: {@code lr * G^epoch}.</li>
 * </ul>
 *
 * @param kind   {@code constant}, {@code linear} or {@code exp}
 * @param factor the final fraction ({@code linear}) or per-epoch factor ({@code exp}); 1 for {@code constant}
 */
public record LearningRateSchedule(String kind, double factor) {
    /** How options maps hold a schedule: as {@link #toString()} writes it and {@link #parse} reads it. */
    public static final OptionCodec<LearningRateSchedule> CODEC = OptionCodec.of(LearningRateSchedule::toString,
            LearningRateSchedule::parse);


    public LearningRateSchedule {
        switch (kind) {
            case "constant" -> factor = 1.0;
            case "linear", "exp" -> {
                if (!(factor > 0.0) || !(factor <= 1.0)) {
                    throw new IllegalArgumentException("learning-rate schedule " + kind + " needs a factor in (0, 1], found "
                            + factor);
                }
            }
            default -> throw new IllegalArgumentException("learning-rate schedule must be constant, linear:F or exp:G, "
                    + "found '" + kind + "'");
        }
    }

    public static LearningRateSchedule constant() {
        return new LearningRateSchedule("constant", 1.0);
    }

    /** Parses {@code constant}, {@code linear:F} or {@code exp:G}. */
    public static LearningRateSchedule parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        int colon = s.indexOf(':');
        String kind = colon < 0 ? s : s.substring(0, colon);
        if (kind.equals("constant")) {
            if (colon >= 0) {
                throw new IllegalArgumentException("learning-rate schedule 'constant' takes no factor, found '" + spec + "'");
            }
            return constant();
        }
        if (!kind.equals("linear") && !kind.equals("exp")) {
            throw new IllegalArgumentException("learning-rate schedule must be constant, linear:F or exp:G, found '"
                    + spec + "'");
        }
        if (colon < 0) {
            throw new IllegalArgumentException("learning-rate schedule '" + spec + "' needs a factor, e.g. linear:0.1 or exp:0.95");
        }
        try {
            return new LearningRateSchedule(kind, Double.parseDouble(s.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("learning-rate schedule '" + spec + "' has a malformed factor");
        }
    }

    /** The rate for {@code epoch} (0-based) of {@code epochs}, starting from {@code base}. */
    public double rate(double base, int epoch, int epochs) {
        return switch (kind) {
            case "linear" -> epochs <= 1 ? base : base * (1.0 - (1.0 - factor) * epoch / (epochs - 1.0));
            case "exp" -> base * Math.pow(factor, epoch);
            default -> base;
        };
    }

    @Override
    public String toString() {
        return kind.equals("constant") ? kind : kind + ":" + factor;
    }
}
