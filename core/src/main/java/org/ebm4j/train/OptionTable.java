package org.ebm4j.train;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The fields of one options record, each once and in the order of the record's components: its
 * stable {@code snake_case} key, how its value is written and read ({@link OptionCodec}) and its
 * default. From it come the record's map form ({@link #toMap}, stored in a model's provenance as
 * {@code option.*}), the reading of that form ({@link #fromMap}, through {@link OptionsMap}), the
 * builder's values and defaults ({@link OptionsBuilder}), the copy into a builder ({@link #toBuilder})
 * and the construction of the record through its canonical constructor, whose compact body validates
 * the values. So a key cannot be written under one name and read under another, and a builder needs no
 * field of its own per option. A numeric option declares its accepted values ({@link Range}) here too,
 * and the record's compact constructor checks them all with one call ({@link #check}), so the range is
 * written once, where front ends read it ({@link #ranges()}). Immutable; made once, in the record's
 * static initializer:
 * {@code OptionTable.of(R.class, "R options").add("k", 1, Range.atLeast(1))...build(Builder::new)}.
 *
 * @param <O> the options record
 * @param <B> its builder
 */
public final class OptionTable<O extends Record, B> {
    private static final Map<Class<?>, OptionTable<?, ?>> TABLES = new ConcurrentHashMap<>();

    private final String what;
    private final String model;
    private final List<Field<?>> fields;
    private final Map<String, Integer> index = new HashMap<>();
    private final Method[] accessors;
    private final Class<?>[] types;
    private final Constructor<O> constructor;
    private final Supplier<B> newBuilder;

    private OptionTable(Fields<O, B> fields, Supplier<B> newBuilder) {
        this.what = fields.what;
        this.model = fields.model;
        this.fields = List.copyOf(fields.list);
        this.newBuilder = Objects.requireNonNull(newBuilder, "newBuilder");
        RecordComponent[] components = fields.type.getRecordComponents();
        if (components.length != this.fields.size()) {
            throw new IllegalStateException(fields.type.getSimpleName() + " has " + components.length
                    + " components but its option table lists " + this.fields.size());
        }
        accessors = new Method[components.length];
        types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            Field<?> f = this.fields.get(i);
            types[i] = components[i].getType();
            accessors[i] = components[i].getAccessor();
            if (f.defaultValue != null && !boxed(types[i]).isInstance(f.defaultValue)) {
                throw new IllegalStateException("the default of option '" + f.key + "' is a "
                        + f.defaultValue.getClass().getSimpleName() + " but component " + components[i].getName()
                        + " is a " + types[i].getSimpleName());
            }
            index.put(f.key, i);
        }
        try {
            constructor = fields.type.getDeclaredConstructor(types);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("record " + fields.type.getName() + " has no canonical constructor", e);
        }
        TABLES.put(fields.type, this);
    }

    /** The fields of a table whose {@link #fromMap} errors name {@code what} ({@link OptionsMap#of}). */
    public static <O extends Record, B> Fields<O, B> of(Class<O> type, String what) {
        return new Fields<>(type, Objects.requireNonNull(what, "what"), null);
    }

    /**
     * The fields of a table whose {@link #fromMap} errors have the RBM and DBN wording
     * ({@link OptionsMap#ofModel}).
     */
    public static <O extends Record, B> Fields<O, B> ofModel(Class<O> type, String model) {
        return new Fields<>(type, null, Objects.requireNonNull(model, "model"));
    }

    /**
     * The table of the options record {@code type} (initializing the record's class, which makes it), for
     * front ends that read its keys and ranges.
     *
     * @throws IllegalStateException where {@code type} makes no table
     */
    public static OptionTable<?, ?> forRecord(Class<? extends Record> type) {
        try {
            Class.forName(type.getName(), true, type.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        return ofRecord(type);
    }

    /** The table of the options record {@code type}, made by its static initializer. */
    static <O extends Record, B> OptionTable<O, B> ofRecord(Class<?> type) {
        @SuppressWarnings("unchecked")
        OptionTable<O, B> t = (OptionTable<O, B>) TABLES.get(type);
        if (t == null) {
            throw new IllegalStateException(type.getName() + " has made no option table");
        }
        return t;
    }

    /** The keys of the map form, in order. */
    public List<String> keys() {
        return fields.stream().map(Field::key).toList();
    }

    /** The declared range of every numeric option that has one, by key, in the table's order. */
    public Map<String, Range> ranges() {
        Map<String, Range> m = new LinkedHashMap<>();
        for (Field<?> f : fields) {
            if (f.range != null) {
                m.put(f.key, f.range);
            }
        }
        return m;
    }

    /**
     * Checks the values of a record being made, for its compact constructor: every option given (no
     * null), and every declared {@link Range} holding (for a list, each of its entries).
     *
     * @param values every component of the record, in order
     * @throws SettingException naming the key of the first option that fails
     */
    public void check(Object... values) {
        if (values.length != fields.size()) {
            throw new IllegalStateException(constructor.getName() + " checks " + values.length + " values but its "
                    + "option table lists " + fields.size());
        }
        for (int i = 0; i < values.length; i++) {
            Field<?> f = fields.get(i);
            if (values[i] == null) {
                throw new SettingException(f.key, "must be given, found none");
            }
            if (f.range == null) {
                continue;
            }
            if (values[i] instanceof Number n) {
                f.range.check(f.key, n.doubleValue());
            } else if (values[i] instanceof List<?> list) {
                for (int j = 0; j < list.size(); j++) {
                    if (!(list.get(j) instanceof Number n) || !f.range.contains(n.doubleValue())) {
                        throw new SettingException(f.key, "entry " + (j + 1) + " of " + list + " "
                                + (list.get(j) instanceof Number n ? f.range.refusal(n.doubleValue())
                                : "must be a number, found " + list.get(j)));
                    }
                }
            } else {
                throw new IllegalStateException("option '" + f.key + "' has a range but holds a "
                        + values[i].getClass().getSimpleName());
            }
        }
    }

    /** The options as stable keys with locale-independent values, in the table's order. */
    public Map<String, String> toMap(O options) {
        Object[] values = valuesOf(options);
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            fields.get(i).write(values[i], m);
        }
        return m;
    }

    /**
     * Reads {@link #toMap} back: every value, then the record's own checks, then the refusal of keys the
     * table does not know; a missing, malformed, refused or unknown key is an error naming it. Values are
     * taken as they are written (no builder completes them). A refused value is a plain
     * {@link IllegalArgumentException}, not a {@link SettingException}: the map comes from a file, so the
     * fault is the file's, not a setting the caller gave.
     */
    public O fromMap(Map<String, String> map) {
        OptionsMap m = model == null ? OptionsMap.of(map, what) : OptionsMap.ofModel(map, model, keys());
        Object[] values = new Object[fields.size()];
        for (int i = 0; i < values.length; i++) {
            Field<?> f = fields.get(i);
            values[i] = f.defaultWhenAbsent && !m.has(f.key) ? f.defaultValue : f.codec.read(m, f.key);
        }
        O o;
        try {
            o = create(values);
        } catch (SettingException e) {
            throw new IllegalArgumentException((model == null ? what + ": '" : model + " option '") + e.setting()
                    + "' " + e.detail(), e);
        }
        m.finish();
        return o;
    }

    /** A builder holding every value of {@code options}. */
    public B toBuilder(O options) {
        B b = newBuilder.get();
        Object[] values = valuesOf(options);
        System.arraycopy(values, 0, ((OptionsBuilder<?, ?>) b).values(), 0, values.length);
        return b;
    }

    /** A fresh builder with the values of {@code builder}. */
    B copy(OptionsBuilder<O, ?> builder) {
        B b = newBuilder.get();
        System.arraycopy(builder.values(), 0, ((OptionsBuilder<?, ?>) b).values(), 0, fields.size());
        return b;
    }

    /** The defaults, in the table's order. */
    Object[] defaults() {
        return fields.stream().map(Field::defaultValue).toArray();
    }

    /**
     * The position of option {@code key}, whose value {@code value} (null where the builder leaves it to
     * its {@link OptionsBuilder#complete()}) must be of the component's type.
     */
    int index(String key, Object value) {
        Integer i = index.get(key);
        if (i == null) {
            throw new IllegalStateException("no option '" + key + "' in the table of " + constructor.getName());
        }
        Class<?> type = types[i];
        if (value != null && !boxed(type).isInstance(value)) {
            throw new IllegalStateException("option '" + key + "' takes values of type " + type.getSimpleName()
                    + ", given a " + value.getClass().getSimpleName());
        }
        return i;
    }

    /** The record of {@code values} (in the table's order), validated by its constructor. */
    O create(Object[] values) {
        try {
            return constructor.newInstance(values.clone());
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + constructor.getName() + " from "
                    + Arrays.toString(values), e);
        }
    }

    private Object[] valuesOf(O options) {
        Object[] values = new Object[accessors.length];
        for (int i = 0; i < values.length; i++) {
            try {
                values[i] = accessors[i].invoke(options);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + accessors[i], e);
            }
        }
        return values;
    }

    private static Class<?> boxed(Class<?> type) {
        return type == int.class ? Integer.class : type == long.class ? Long.class : type == double.class
                ? Double.class : type == boolean.class ? Boolean.class : type;
    }

    /** The fields of a table being made, in the order of the record's components. */
    public static final class Fields<O extends Record, B> {
        private final Class<O> type;
        private final String what;
        private final String model;
        private final List<Field<?>> list = new ArrayList<>();

        private Fields(Class<O> type, String what, String model) {
            this.type = Objects.requireNonNull(type, "type");
            this.what = what;
            this.model = model;
        }

        /**
         * Adds the field {@code key}, the record's next component, whose type ({@code int}, {@code long},
         * {@code double}, {@code boolean} or {@code String}) says how its value is written and read.
         *
         * @param defaultValue the builder's default; null where the builder's {@link OptionsBuilder#complete()}
         *                     derives it from other options
         * @throws IllegalStateException where the component is of another type, which needs {@link #add(String,
         *                               OptionCodec, Object)}
         */
        public Fields<O, B> add(String key, Object defaultValue) {
            return add(key, defaultValue, null);
        }

        /**
         * Adds the numeric field {@code key}, the record's next component, as {@link #add(String, Object)}
         * does, accepting the values of {@code range} ({@link #check}).
         */
        public Fields<O, B> add(String key, Object defaultValue, Range range) {
            RecordComponent[] components = type.getRecordComponents();
            Class<?> t = list.size() < components.length ? components[list.size()].getType() : null;
            OptionCodec<?> codec = t == int.class ? OptionCodec.INT : t == long.class ? OptionCodec.LONG
                    : t == double.class ? OptionCodec.REAL : t == boolean.class ? OptionCodec.BOOL
                    : t == String.class ? OptionCodec.TEXT : null;
            if (codec == null) {
                throw new IllegalStateException("option '" + key + "' of " + type.getSimpleName() + " needs a codec: "
                        + (t == null ? "the record has no component left for it" : "its type is " + t.getSimpleName()));
            }
            @SuppressWarnings("unchecked")
            OptionCodec<Object> c = (OptionCodec<Object>) codec;
            return add(key, c, defaultValue, range);
        }

        /**
         * Adds the field {@code key}, the record's next component, written and read by {@code codec} (an
         * enum's, a list's, a schedule's).
         *
         * @param defaultValue the builder's default; null where the builder's {@link OptionsBuilder#complete()}
         *                     derives it from other options
         */
        public <T> Fields<O, B> add(String key, OptionCodec<T> codec, T defaultValue) {
            return add(key, codec, defaultValue, null);
        }

        /**
         * Adds the field {@code key} as {@link #add(String, OptionCodec, Object)} does, a number or a list of
         * numbers each of which must lie in {@code range} ({@link #check}).
         */
        public <T> Fields<O, B> add(String key, OptionCodec<T> codec, T defaultValue, Range range) {
            if (list.stream().anyMatch(f -> f.key().equals(key))) {
                throw new IllegalArgumentException("option '" + key + "' is in the table twice");
            }
            list.add(new Field<>(Objects.requireNonNull(key, "key"), Objects.requireNonNull(codec, "codec"),
                    defaultValue, false, range));
            return this;
        }

        /**
         * Marks the field added last as one that files written before it existed lack: {@link #fromMap}
         * takes its default where the key is absent, so those files still read their options (with
         * the behaviour they were trained with, which the default must be).
         *
         * @throws IllegalStateException where the field has no default to take
         */
        public Fields<O, B> absentInOlderFiles() {
            Field<?> last = list.get(list.size() - 1);
            if (last.defaultValue == null) {
                throw new IllegalStateException("option '" + last.key + "' has no default for files that lack it");
            }
            list.set(list.size() - 1, last.absentInOlderFiles());
            return this;
        }

        /**
         * Adds the settings of {@link TrainingSafety} that the trainers share, each absent in files written
         * before it existed (which trained with momentum SGD, no early stopping and no rollbacks watched):
         * {@code optimizer} ({@link Optimizer}, default {@code sgd}), {@code patience} (evaluations
         * without a better watched metric before early stopping; default 0, none) and
         * {@code max_rollbacks} (divergences rolled back with the learning rate halved; default 3), both
         * {@code >= 0}. The
         * record's three components for them come in this order; {@link TrainingOptionsBuilder} has
         * their setters.
         */
        public Fields<O, B> trainingSafety() {
            return add(TrainingOptionsBuilder.OPTIMIZER, Optimizer.CODEC, Optimizer.SGD).absentInOlderFiles()
                    .add(TrainingOptionsBuilder.PATIENCE, 0, Range.atLeast(0)).absentInOlderFiles()
                    .add(TrainingOptionsBuilder.MAX_ROLLBACKS, 3, Range.atLeast(0)).absentInOlderFiles();
        }

        /**
         * The table of these fields.
         *
         * @param newBuilder a builder with the defaults
         */
        public OptionTable<O, B> build(Supplier<B> newBuilder) {
            return new OptionTable<>(this, newBuilder);
        }
    }

    private record Field<T>(String key, OptionCodec<T> codec, T defaultValue, boolean defaultWhenAbsent,
                            Range range) {
        Field<T> absentInOlderFiles() {
            return new Field<>(key, codec, defaultValue, true, range);
        }

        void write(Object value, Map<String, String> m) {
            @SuppressWarnings("unchecked")
            T v = (T) value;
            m.put(key, codec.format(v));
        }
    }
}
