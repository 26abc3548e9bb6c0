package org.ebm4j.conditional;

import java.util.Objects;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.train.EpochTrainer;

/**
 * The epoch of the trainers that learn an energy of answers from labelled examples under
 * {@link ConditionalOptions} (single answers, label chains, digit strings): a pass over the examples in
 * a fresh random order, in full minibatches of {@link ConditionalOptions#batchRows} examples (a last
 * partial batch dropped), each one update at the constant learning rate. The order is drawn from the
 * {@code shuffle} stream each family names; a subclass takes the update on the examples it is given.
 */
public abstract class ConditionalBatchTrainer extends EpochTrainer {
    /** The training options. */
    protected final ConditionalOptions options;
    /** Examples per update. */
    protected final int perBatch;
    private final RandomStream shuffle;
    private final int examples;
    private final int batches;

    /**
     * Opens the {@code shuffle} stream of {@code shuffleStream} under the options' seed.
     *
     * @param kind          the trainer's {@link #kind()}
     * @param shuffleStream the stream the orders are drawn from
     * @param examples      the training examples ({@code >= 1})
     */
    protected ConditionalBatchTrainer(String kind, ConditionalOptions options, StreamId shuffleStream, int examples) {
        super(kind, Objects.requireNonNull(options, "options").epochs());
        this.options = options;
        this.shuffle = openStream(shuffleStream, options.seed(), "shuffle");
        this.examples = examples;
        this.perBatch = options.batchRows(examples);
        this.batches = examples / perBatch;
    }

    /** Resets the tallies of the epoch about to start. */
    protected abstract void startEpoch();

    /** One update on the {@link #perBatch} examples {@code order[base ..]}. */
    protected abstract void step(int[] order, int base);

    @Override
    protected final double runEpoch(int epochIndex, BatchDone done) {
        int[] order = shuffle.permutation(examples);
        startEpoch();
        for (int b = 0; b < batches; b++) {
            step(order, b * perBatch);
            done.after(b + 1);
        }
        return options.learningRate();
    }

    @Override
    public final int batchesPerEpoch() {
        return batches;
    }
}
