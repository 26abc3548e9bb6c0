package org.ebm4j.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * How the value of one option is written into an options record's map form and read back with
 * {@link OptionsMap}: numbers and booleans as {@link String#valueOf} writes them (locale-independent,
 * doubles exact), enums and schedules by their own id and parser.
 *
 * @param <T> the option's type (boxed for primitives)
 */
public final class OptionCodec<T> {
    /** An {@code int}. */
    public static final OptionCodec<Integer> INT = new OptionCodec<>(String::valueOf, OptionsMap::integer);
    /** A {@code long}. */
    public static final OptionCodec<Long> LONG = new OptionCodec<>(String::valueOf, OptionsMap::longInteger);
    /** A {@code double}, written exactly as {@link Double#toString} does. */
    public static final OptionCodec<Double> REAL = new OptionCodec<>(String::valueOf, OptionsMap::real);
    /** {@code true} or {@code false}. */
    public static final OptionCodec<Boolean> BOOL = new OptionCodec<>(String::valueOf, OptionsMap::bool);
    /** A string, kept as it is (the record checks it). */
    public static final OptionCodec<String> TEXT = new OptionCodec<>(s -> s, OptionsMap::string);

    private final Function<? super T, String> format;
    private final BiFunction<OptionsMap, String, T> read;

    private OptionCodec(Function<? super T, String> format, BiFunction<OptionsMap, String, T> read) {
        this.format = format;
        this.read = read;
    }

    /** A value written by {@code format} and read by {@code parse} (an enum's {@code id} and {@code parse}, say). */
    public static <T> OptionCodec<T> of(Function<? super T, String> format, Function<String, T> parse) {
        Objects.requireNonNull(parse, "parse");
        return new OptionCodec<>(Objects.requireNonNull(format, "format"), (m, key) -> m.value(key, parse));
    }

    /** A list written comma-separated, each element by {@link String#valueOf} and read back by {@code parse}. */
    public static <T> OptionCodec<List<T>> list(Function<String, T> parse) {
        return of(OptionCodec::join, v -> {
            List<T> out = new ArrayList<>();
            for (String p : v.split(",")) {
                out.add(parse.apply(p.trim()));
            }
            return out;
        });
    }

    /** {@code value} as the map form holds it. */
    public String format(T value) {
        return format.apply(value);
    }

    /** The value of {@code key} in {@code map}. */
    public T read(OptionsMap map, String key) {
        return read.apply(map, key);
    }

    private static String join(List<?> values) {
        StringBuilder sb = new StringBuilder();
        for (Object v : values) {
            sb.append(sb.length() > 0 ? "," : "").append(v);
        }
        return sb.toString();
    }
}
