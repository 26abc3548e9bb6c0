package org.ebm4j.train;

import java.util.Locale;

/**
 * The names by which the options' enums (training method, visible type, negative sampling, ...) are
 * written on the command line, in options maps and in model files: the constant's name in lower case,
 * read back in any case with an error that lists the names accepted.
 */
public final class EnumIds {
    private EnumIds() {
    }

    /**
     * An enum whose {@link #id()} is its {@link EnumIds#id} name, as files, options maps and the command
     * line write it.
     */
    public interface Identified {
        /** The lower-case name used in files and on the command line. */
        default String id() {
            return EnumIds.id((Enum<?>) this);
        }
    }

    /** {@code value}'s name in lower case ({@code PCD} is {@code pcd}). */
    public static String id(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The constant of {@code type} whose {@link #id} is {@code s} (any case, surrounding blanks ignored).
     *
     * @param what names the setting in the error, for example {@code "training method"}
     * @throws IllegalArgumentException {@code "training method must be cd or pcd, found 'sgd'"}
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String what, String s) {
        String k = s == null ? "" : s.trim();
        E[] values = type.getEnumConstants();
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (id(values[i]).equalsIgnoreCase(k)) {
                return values[i];
            }
            ids.append(i == 0 ? "" : i == values.length - 1 ? " or " : ", ").append(id(values[i]));
        }
        throw new IllegalArgumentException(what + " must be " + ids + ", found '" + s + "'");
    }

    /** How an options map holds a constant of {@code type}: its {@link #id}, read back by {@link #parse}. */
    public static <E extends Enum<E>> OptionCodec<E> codec(Class<E> type, String what) {
        return OptionCodec.of(EnumIds::id, s -> parse(type, what, s));
    }
}
