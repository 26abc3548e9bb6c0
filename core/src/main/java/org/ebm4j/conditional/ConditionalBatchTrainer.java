package org.ebm4j.conditional;

import java.util.List;
import java.util.Objects;
import org.ebm4j.energy.MomentumUpdate;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.EpochTrainer;

/**
 * The epoch of the trainers that learn an energy of answers from labelled examples under
 * {@link ConditionalOptions} (single answers, label chains, digit strings): a pass over the examples in
 * a fresh random order, in full minibatches of {@link ConditionalOptions#batchRows} examples (a last
 * partial batch dropped), each one update at the constant learning rate (halved by each divergence
 * rollback, {@link #learningRate()}). The order is drawn from the {@code shuffle} stream each family
 * names; a subclass takes the update on the examples it is given, with the optimizer the options name
 * ({@link #newUpdate}). An update that diverges (a non-finite loss) ends its epoch, whose loss is then
 * non-finite, for {@link org.ebm4j.train.TrainingRun} to roll back.
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

    /**
     * One update on the {@link #perBatch} examples {@code order[base ..]} at {@link #learningRate()}.
     *
     * @return false when the update diverged (its loss is non-finite, tallied as such) and was not taken:
     *         the epoch ends there
     */
    protected abstract boolean step(int[] order, int base);

    /** The options' learning rate, halved once for every divergence rolled back so far. */
    protected final double learningRate() {
        return options.learningRate() * rateFactor();
    }

    /**
     * The parameter step of {@code parameters} (named {@code names}, for the checkpoint) with the
     * options' optimizer: momentum SGD with {@link ConditionalOptions#momentum()}, or Adam.
     */
    protected final MomentumUpdate newUpdate(Backend backend, List<Tensor> parameters, List<String> names) {
        return new MomentumUpdate(backend, parameters, names, options.momentum(), false, options.optimizer());
    }

    @Override
    protected final double runEpoch(int epochIndex, BatchDone done) {
        int[] order = shuffle.permutation(examples);
        startEpoch();
        for (int b = 0; b < batches; b++) {
            if (!step(order, b * perBatch)) {
                break;
            }
            done.after(b + 1);
        }
        return learningRate();
    }

    @Override
    public final int batchesPerEpoch() {
        return batches;
    }
}
