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

    protected TrainingOptionsBuilder(OptionTable<O, B> table) {
        super(table);
    }

    /** Momentum SGD or Adam ({@link Optimizer}). */
    public B optimizer(Optimizer v) {
        return set("optimizer", v);
    }

    /** Early stopping after this many metric evaluations without a better watched metric; 0 for none. */
    public B patience(int v) {
        return set("patience", v);
    }

    /** Divergences rolled back with the learning rate halved before the run fails ({@code >= 0}). */
    public B maxRollbacks(int v) {
        return set("max_rollbacks", v);
    }
}
