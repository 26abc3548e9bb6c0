package org.ebm4j.train;

/**
 * The base of the builders of options for a trainer run through {@link TrainingRun}: the setters of
 * the settings of {@link TrainingSafety} that {@link OptionTable.Fields#trainingSafety()} adds to a
 * table ({@code optimizer}, {@code patience}, {@code max_rollbacks}), declared once here. Like every
 * setter of {@link OptionsBuilder}, each fails where its record's table lacks the key.
 *
 * @param <O> the options record
 * @param <B> the builder itself
 */
public abstract class TrainingOptionsBuilder<O extends Record, B extends TrainingOptionsBuilder<O, B>>
        extends OptionsBuilder<O, B> {
    /** The key of the optimizer, in the table ({@link OptionTable.Fields#trainingSafety()}) and here. */
    static final String OPTIMIZER = "optimizer";
    /** The key of the early-stopping patience, in the table and here. */
    static final String PATIENCE = "patience";
    /** The key of the rollbacks allowed, in the table and here. */
    static final String MAX_ROLLBACKS = "max_rollbacks";

    protected TrainingOptionsBuilder(OptionTable<O, B> table) {
        super(table);
    }

    /** Momentum SGD or Adam ({@link Optimizer}). */
    public B optimizer(Optimizer v) {
        return set(OPTIMIZER, v);
    }

    /** Early stopping after this many metric evaluations without a better watched metric; 0 for none. */
    public B patience(int v) {
        return set(PATIENCE, v);
    }

    /** Divergences rolled back with the learning rate halved before the run fails ({@code >= 0}). */
    public B maxRollbacks(int v) {
        return set(MAX_ROLLBACKS, v);
    }
}
