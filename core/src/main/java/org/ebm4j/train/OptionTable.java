package org.ebm4j.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The fields of one options record, each once: its stable {@code snake_case} key, how its value is
 * written and read ({@link OptionCodec}), the record's accessor and the builder's setter. From it come
 * the record's map form ({@link #toMap}, stored in a model's provenance as {@code option.*}), the
 * reading of that form ({@link #fromMap}, through {@link OptionsMap}), the copy into a builder
 * ({@link #toBuilder}) and the construction from a builder ({@link OptionsBuilder#build()}), so a key
 * cannot be written under one name and read under another. Immutable; made once, in the record's
 * static initializer: {@code OptionTable.<R, R.Builder>of("R options").add(...)...build(Builder::new, ...)}.
 *
 * @param <O> the options record
 * @param <B> its builder
 */
public final class OptionTable<O, B> {
    private final String what;
    private final String model;
    private final List<Field<O, B, ?>> fields;
    private final Supplier<B> newBuilder;
    private final Function<B, O> create;

    private OptionTable(Fields<O, B> fields, Supplier<B> newBuilder, Function<B, O> create) {
        this.what = fields.what;
        this.model = fields.model;
        this.fields = List.copyOf(fields.list);
        this.newBuilder = Objects.requireNonNull(newBuilder, "newBuilder");
        this.create = Objects.requireNonNull(create, "create");
    }

    /** The fields of a table whose {@link #fromMap} errors name {@code what} ({@link OptionsMap#of}). */
    public static <O, B> Fields<O, B> of(String what) {
        return new Fields<>(Objects.requireNonNull(what, "what"), null);
    }

    /** The fields of a table whose {@link #fromMap} errors have the RBM and DBN wording ({@link OptionsMap#ofModel}). */
    public static <O, B> Fields<O, B> ofModel(String model) {
        return new Fields<>(null, Objects.requireNonNull(model, "model"));
    }

    /** The keys of the map form, in order. */
    public List<String> keys() {
        return fields.stream().map(Field::key).toList();
    }

    /** The options as stable keys with locale-independent values, in the table's order. */
    public Map<String, String> toMap(O options) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Field<O, B, ?> f : fields) {
            f.write(options, m);
        }
        return m;
    }

    /**
     * Reads {@link #toMap} back: every value through the builder, then the record's own checks, then
     * the refusal of keys the table does not know; a missing, malformed or unknown key is an error
     * naming it.
     */
    public O fromMap(Map<String, String> map) {
        OptionsMap m = model == null ? OptionsMap.of(map, what) : OptionsMap.ofModel(map, model, keys());
        B b = newBuilder.get();
        for (Field<O, B, ?> f : fields) {
            f.read(m, b);
        }
        O o = create.apply(b);
        m.finish();
        return o;
    }

    /** A builder holding every value of {@code options}. */
    public B toBuilder(O options) {
        B b = newBuilder.get();
        for (Field<O, B, ?> f : fields) {
            f.copy(options, b);
        }
        return b;
    }

    /** The record of {@code builder}'s values, validated by its constructor. */
    O create(B builder) {
        return create.apply(builder);
    }

    /** The fields of a table being made, in the map form's order. */
    public static final class Fields<O, B> {
        private final String what;
        private final String model;
        private final List<Field<O, B, ?>> list = new ArrayList<>();

        private Fields(String what, String model) {
            this.what = what;
            this.model = model;
        }

        /**
         * Adds the field {@code key}.
         *
         * @param get the record's accessor
         * @param set the builder's setter
         */
        public <T> Fields<O, B> add(String key, OptionCodec<T> codec, Function<O, T> get, BiConsumer<B, T> set) {
            if (list.stream().anyMatch(f -> f.key().equals(key))) {
                throw new IllegalArgumentException("option '" + key + "' is in the table twice");
            }
            list.add(new Field<>(Objects.requireNonNull(key, "key"), Objects.requireNonNull(codec, "codec"),
                    Objects.requireNonNull(get, "get"), Objects.requireNonNull(set, "set")));
            return this;
        }

        /**
         * The table of these fields.
         *
         * @param newBuilder a builder with the defaults
         * @param create     the validated record of a builder's values
         */
        public OptionTable<O, B> build(Supplier<B> newBuilder, Function<B, O> create) {
            return new OptionTable<>(this, newBuilder, create);
        }
    }

    private record Field<O, B, T>(String key, OptionCodec<T> codec, Function<O, T> get, BiConsumer<B, T> set) {
        void write(O options, Map<String, String> m) {
            m.put(key, codec.format(get.apply(options)));
        }

        void read(OptionsMap m, B builder) {
            set.accept(builder, codec.read(m, key));
        }

        void copy(O options, B builder) {
            set.accept(builder, get.apply(options));
        }
    }
}
