package org.ebm4j.train;

import java.util.Objects;

/**
 * The base of the options records' mutable builders: a builder holds one value per field of its
 * record's {@link OptionTable} (starting at the table's defaults, those of its command), and its typed
 * setters store into them with {@link #set}; {@link #build()} makes the record from them through the
 * record's canonical constructor, which validates them.
 *
 * @param <O> the options record
 * @param <B> the builder itself
 */
public abstract class OptionsBuilder<O extends Record, B extends OptionsBuilder<O, B>> {
    private final OptionTable<O, B> table;
    private final Object[] values;

    protected OptionsBuilder(OptionTable<O, B> table) {
        this.table = Objects.requireNonNull(table, "table");
        this.values = table.defaults();
    }

    /**
     * Stores {@code value} as option {@code key} of the table.
     *
     * @throws IllegalStateException where the table has no such key or the value is not of its type
     */
    protected final B set(String key, Object value) {
        values[table.index(key, value)] = value;
        return self();
    }

    /** The value of option {@code key} held now. */
    protected final Object get(String key) {
        return values[table.index(key, null)];
    }

    /**
     * Fills in the options whose defaults depend on others (left null in the table), on a copy of this
     * builder just before {@link #build()} makes the record; by default nothing.
     */
    protected void complete() {
    }

    /**
     * The options, validated.
     *
     * @throws IllegalArgumentException naming the first option out of range
     */
    public O build() {
        B draft = table.copy(this);
        OptionsBuilder<O, B> d = draft;
        d.complete();
        return table.create(d.values);
    }

    final Object[] values() {
        return values;
    }

    private B self() {
        @SuppressWarnings("unchecked")
        B self = (B) this;
        return self;
    }
}
