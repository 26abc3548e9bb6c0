package org.ebm4j.dbn;

import java.util.Objects;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.EpochTrainer;
import org.ebm4j.train.Minibatches;
import org.ebm4j.train.Optimizer;
import org.ebm4j.train.ParameterUpdate;
import org.ebm4j.train.RowOrder;
import org.ebm4j.train.TrainingState;

/**
 * Backpropagation fine-tuning of a {@link Classifier} by minibatch gradient descent on the mean
 * cross-entropy, with the options' {@link Optimizer} ({@link ParameterUpdate}): momentum SGD
 * {@code vel = momentum * vel - lr * (grad + weightDecay * W)}, {@code param += vel} (biases are not
 * decayed), or Adam on {@code grad + weightDecay * W}, with the options' {@code finetune_*} settings and
 * the rate times {@link #rateFactor()} (halved by divergence rollbacks).
 * Data are shuffled every epoch by a seeded permutation ({@link StreamId#DBN_FINETUNE_SHUFFLE}
 * under the options' seed), uploaded once per epoch ({@link RowOrder}) and gathered on the backend;
 * each batch's loss sum stays on the backend ({@link Backend#sumInto}) until the epoch ends; workspaces are allocated once, so the
 * loop allocates no tensors.
 */
public final class FineTuner extends EpochTrainer {
    /** The {@link #kind()} of this trainer, stored with its state. */
    public static final String KIND = "dbn-finetune";

    private final Classifier net;
    private final DbnOptions options;
    private final Tensor inputs;
    private final Tensor targets;
    private final Backend backend;
    private final RandomStream shuffle;
    private final ParameterUpdate[] updW;
    private final ParameterUpdate[] updB;
    private final Minibatches split;
    private final Batch full;
    private final Batch tail;
    private final int batches;
    private final RowOrder order;
    private final Tensor lossSums;
    private final float[] batchLosses;
    private double lastLoss = Double.NaN;

    /**
     * A trainer for {@code options.finetuneEpochs()} ({@code >= 1}) epochs.
     *
     * @param inputs  {@code n x net.inputs()} on the net's backend (not copied; must stay open)
     * @param targets {@code n x net.classes()} one-hot labels
     */
    public FineTuner(Classifier net, DbnOptions options, Tensor inputs, Tensor targets) {
        super(KIND, Objects.requireNonNull(options, "options").finetuneEpochs());
        this.net = Objects.requireNonNull(net, "net");
        this.options = options;
        this.backend = net.backend();
        if (inputs.cols() != net.inputs() || targets.cols() != net.classes() || inputs.rows() != targets.rows()) {
            throw new IllegalArgumentException("fine-tuning data " + inputs.shape() + " with targets " + targets.shape()
                    + " do not fit a network of " + net.inputs() + " inputs and " + net.classes() + " classes");
        }
        this.inputs = inputs;
        this.targets = targets;
        this.shuffle = openStream(StreamId.DBN_FINETUNE_SHUFFLE, options.seed(), "shuffle");
        int l = net.layers();
        updW = new ParameterUpdate[l];
        updB = new ParameterUpdate[l];
        for (int i = 0; i < l; i++) {
            updW[i] = options.optimizer().update(net.weights(i), "net" + i + ".W", options.finetuneMomentum());
            updB[i] = options.optimizer().update(net.bias(i), "net" + i + ".b", options.finetuneMomentum());
        }
        int n = inputs.rows();
        split = Minibatches.of(n, options.finetuneBatchSize());
        full = new Batch(split.size());
        tail = split.tail(Batch::new);
        batches = split.count();
        order = new RowOrder(backend, n);
        lossSums = backend.allocate(1, batches);
        batchLosses = new float[batches];
    }

    /** One pass over the data in a fresh random order; records the epoch's mean loss. */
    @Override
    protected double runEpoch(int epochIndex, BatchDone done) {
        float lr = (float) (options.finetuneLearningRate(epochIndex) * rateFactor());
        order.upload(shuffle.permutation(inputs.rows()));
        split.forEach(full, tail, (s, batch, offset) -> step(s, batch, offset, lr), done::after);
        // The batches' loss sums were left on the backend: one read per epoch, added in batch order.
        lossSums.copyTo(batchLosses);
        double lossSum = 0;
        for (float l : batchLosses) {
            lossSum += l;
        }
        lastLoss = lossSum / inputs.rows();
        return lr;
    }

    /** Update {@code batch}, whose rows start at {@code offset} of the epoch's order; its summed loss (before the update) goes to its slot. */
    private void step(Batch s, int batch, int offset, float lr) {
        order.gather(inputs, offset, s.x);
        order.gather(targets, offset, s.t);
        net.gradient(s.x, s.t, s.ws);
        for (int i = 0; i < net.layers(); i++) {
            updW[i].step(-1f, s.ws.gradWeights(i), options.finetuneWeightDecay(), lr);
            updB[i].step(-1f, s.ws.gradBias(i), 0, lr);
        }
        backend.sumInto(s.ws.losses(), null, lossSums, batch);
    }

    /** The first update of a fresh run, on the first minibatch of the first epoch's order. */
    @Override
    protected boolean firstUpdate() {
        order.upload(shuffle.permutation(inputs.rows()));
        step(full, 0, 0, (float) (options.finetuneLearningRate(0) * rateFactor()));
        return true;
    }

    /**
     * Mean training cross-entropy of the last epoch (measured during it, before each update; each batch's
     * sum rounded to float on the backend, the batches added in double), NaN before any.
     */
    public double lastEpochLoss() {
        return lastLoss;
    }

    @Override
    public int batchesPerEpoch() {
        return batches;
    }

    /** The position of the shuffling stream (for a model's provenance). */
    public long shuffleDraw() {
        return shuffle.drawIndex();
    }

    /**
     * The optimizer's state per layer {@code i} ({@link ParameterUpdate} under the names {@code net<i>.W} and
     * {@code net<i>.b}: momentum SGD's arrays {@code velocity.net<i>.W} and {@code velocity.net<i>.b}); the
     * stream's position is counter {@code shuffle_draw}.
     */
    @Override
    protected void saveState(TrainingState.Builder s) {
        for (int i = 0; i < updW.length; i++) {
            updW[i].save(s);
            updB[i].save(s);
        }
    }

    @Override
    protected void restoreState(TrainingState s) {
        for (int i = 0; i < updW.length; i++) {
            updW[i].restore(s);
            updB[i].restore(s);
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < updW.length; i++) {
            updW[i].close();
            updB[i].close();
        }
        full.close();
        if (tail != null) {
            tail.close();
        }
        order.close();
        lossSums.close();
    }

    private final class Batch implements AutoCloseable {
        final Tensor x;
        final Tensor t;
        final Classifier.Workspace ws;

        Batch(int rows) {
            x = backend.allocate(rows, net.inputs());
            t = backend.allocate(rows, net.classes());
            ws = net.workspace(rows);
        }

        @Override
        public void close() {
            x.close();
            t.close();
            ws.close();
        }
    }
}
