package org.ebm4j.train;

import java.util.Map;

/**
 * An options record whose fields an {@link OptionTable} lists: its map form (stored in a model's
 * provenance as {@code option.*} and read back by the record's static {@code fromMap}) and its copy
 * into a builder come from the table. Implemented by every options record of the library.
 *
 * @param <O> the record itself
 * @param <B> its builder
 */
public interface OptionsRecord<O extends Record & OptionsRecord<O, B>, B> {
    /** The record's fields, keys and codecs: the table its static initializer made. */
    default OptionTable<O, B> optionTable() {
        return OptionTable.ofRecord(getClass());
    }

    /**
     * The options as stable {@code snake_case} keys with locale-independent values (doubles as
     * {@link Double#toString} writes them, so they read back exactly), in the table's order.
     */
    default Map<String, String> toMap() {
        return optionTable().toMap(self());
    }

    /** A builder starting from these options: every value explicit. */
    default B toBuilder() {
        return optionTable().toBuilder(self());
    }

    private O self() {
        @SuppressWarnings("unchecked")
        O self = (O) this;
        return self;
    }
}
