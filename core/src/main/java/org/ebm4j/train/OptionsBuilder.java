package org.ebm4j.train;

import java.util.Objects;

/**
 * The base of the options records' mutable builders: a builder holds the values (with the defaults
 * of its command) and has a setter per option; {@link #build()} makes the record from them through the
 * record's {@link OptionTable}.
 *
 * @param <O> the options record
 * @param <B> the builder itself
 */
public abstract class OptionsBuilder<O, B extends OptionsBuilder<O, B>> {
    private final OptionTable<O, B> table;

    protected OptionsBuilder(OptionTable<O, B> table) {
        this.table = Objects.requireNonNull(table, "table");
    }

    /**
     * The options, validated.
     *
     * @throws IllegalArgumentException naming the first option out of range
     */
    public O build() {
        @SuppressWarnings("unchecked")
        B self = (B) this;
        return table.create(self);
    }
}
