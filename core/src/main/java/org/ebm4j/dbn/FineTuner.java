package org.ebm4j.dbn;

import java.util.List;
import java.util.Objects;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.TrainingListener;

/**
 * Backpropagation fine-tuning of a {@link Classifier} by minibatch SGD with momentum, weight decay
 * and an optional learning-rate schedule, entirely through backend ops. Data are shuffled every
 * epoch by a seeded permutation ({@link #SHUFFLE_STREAM} under the configuration's seed) and
 * gathered on the backend; workspaces are allocated once.
 */
public final class FineTuner implements AutoCloseable {
    public static final int SHUFFLE_STREAM = 12;
    /** The stream the output layer's (or a random network's) initial weights come from. */
    public static final int INIT_STREAM = 13;

    private final Classifier net;
    private final FineTuneConfig config;
    private final Tensor inputs;
    private final Tensor targets;
    private final Backend backend;
    private final RandomStream shuffle;
    private final Tensor[] velW;
    private final Tensor[] velB;
    private final Batch full;
    private final Batch tail;
    private final int batches;
    private int epochsDone;
    private double lastLoss = Double.NaN;

    /**
     * @param inputs  {@code n x net.inputs()} on the net's backend (not copied; must stay open)
     * @param targets {@code n x net.classes()} one-hot labels
     */
    public FineTuner(Classifier net, FineTuneConfig config, Tensor inputs, Tensor targets) {
        this.net = Objects.requireNonNull(net, "net");
        this.config = Objects.requireNonNull(config, "config");
        this.backend = net.backend();
        if (inputs.cols() != net.inputs() || targets.cols() != net.classes() || inputs.rows() != targets.rows()) {
            throw new IllegalArgumentException("fine-tuning data " + inputs.shape() + " with targets " + targets.shape()
                    + " do not fit a network of " + net.inputs() + " inputs and " + net.classes() + " classes");
        }
        this.inputs = inputs;
        this.targets = targets;
        this.shuffle = new RandomStream(config.seed(), SHUFFLE_STREAM);
        int l = net.layers();
        velW = new Tensor[l];
        velB = new Tensor[l];
        int[] s = net.sizes();
        for (int i = 0; i < l; i++) {
            velW[i] = backend.allocate(s[i], s[i + 1]);
            velB[i] = backend.allocate(1, s[i + 1]);
        }
        int n = inputs.rows();
        int b = Math.min(config.batchSize(), n);
        full = new Batch(b);
        int rest = n % b;
        tail = rest == 0 ? null : new Batch(rest);
        batches = n / b + (rest == 0 ? 0 : 1);
    }

    /** Runs the remaining epochs, calling the listeners. */
    public void train(List<? extends TrainingListener> listeners) {
        for (TrainingListener l : listeners) {
            l.onStart(epochsDone + 1, config.epochs(), batches);
        }
        while (epochsDone < config.epochs()) {
            trainEpoch(listeners);
        }
        for (TrainingListener l : listeners) {
            l.onEnd();
        }
    }

    /** One pass over the data in a fresh random order. */
    public void trainEpoch(List<? extends TrainingListener> listeners) {
        long start = System.nanoTime();
        int epoch = epochsDone + 1;
        float lr = (float) config.learningRate(epochsDone);
        int[] perm = shuffle.permutation(inputs.rows());
        int b = full.ws.rows();
        int nFull = inputs.rows() / b;
        double lossSum = 0;
        for (int i = 0; i < nFull; i++) {
            lossSum += step(full, perm, i * b, lr);
            for (TrainingListener l : listeners) {
                l.onBatch(epoch, i + 1, batches);
            }
        }
        if (tail != null) {
            lossSum += step(tail, perm, nFull * b, lr);
            for (TrainingListener l : listeners) {
                l.onBatch(epoch, batches, batches);
            }
        }
        lastLoss = lossSum / inputs.rows();
        epochsDone = epoch;
        double seconds = (System.nanoTime() - start) * 1e-9;
        for (TrainingListener l : listeners) {
            l.onEpochEnd(epoch, lr, seconds);
        }
    }

    /** One update; returns the batch's summed loss (before the update). */
    private double step(Batch s, int[] perm, int offset, float lr) {
        backend.gatherRows(inputs, perm, offset, s.x);
        backend.gatherRows(targets, perm, offset, s.t);
        net.gradient(s.x, s.t, s.ws);
        float mom = (float) config.momentum();
        float wd = (float) config.weightDecay();
        for (int i = 0; i < net.layers(); i++) {
            // vel = mom * vel - lr * (grad + wd * W); W += vel
            backend.scale(mom, velW[i], velW[i]);
            backend.axpy(-lr, s.ws.gradWeights(i), velW[i]);
            if (wd > 0) {
                backend.axpy(-lr * wd, net.weights(i), velW[i]);
            }
            backend.axpy(1f, velW[i], net.weights(i));
            backend.scale(mom, velB[i], velB[i]);
            backend.axpy(-lr, s.ws.gradBias(i), velB[i]);
            backend.axpy(1f, velB[i], net.bias(i));
        }
        return backend.sum(s.ws.losses());
    }

    /** Mean training cross-entropy of the last epoch (measured during it, before each update), NaN before any. */
    public double lastEpochLoss() {
        return lastLoss;
    }

    public int epochsDone() {
        return epochsDone;
    }

    public int batchesPerEpoch() {
        return batches;
    }

    public FineTuneConfig config() {
        return config;
    }

    public Classifier net() {
        return net;
    }

    /** Host snapshot of what a resumed run needs besides the parameters. */
    public FineTuneState state() {
        float[][] vw = new float[velW.length][];
        float[][] vb = new float[velB.length][];
        for (int i = 0; i < velW.length; i++) {
            vw[i] = velW[i].toArray();
            vb[i] = velB[i].toArray();
        }
        return new FineTuneState(epochsDone, shuffle.drawIndex(), vw, vb);
    }

    /** Restores a {@link #state()} of a run with the same configuration and network shape. */
    public void restore(FineTuneState s) {
        if (s.epochsDone() < 0 || s.epochsDone() > config.epochs()) {
            throw new IllegalArgumentException("checkpoint is at fine-tuning epoch " + s.epochsDone() + ", outside 0.."
                    + config.epochs());
        }
        if (s.weightVelocity().length != velW.length) {
            throw new IllegalArgumentException("checkpoint has " + s.weightVelocity().length + " layers of velocities, "
                    + "the network has " + velW.length);
        }
        for (int i = 0; i < velW.length; i++) {
            velW[i].copyFrom(s.weightVelocity()[i]);
            velB[i].copyFrom(s.biasVelocity()[i]);
        }
        shuffle.setDrawIndex(s.shuffleDraw());
        epochsDone = s.epochsDone();
    }

    @Override
    public void close() {
        for (int i = 0; i < velW.length; i++) {
            velW[i].close();
            velB[i].close();
        }
        full.close();
        if (tail != null) {
            tail.close();
        }
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
