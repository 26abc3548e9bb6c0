package org.ebm4j.rbm;

import java.util.List;
import java.util.Objects;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Sampler;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.TrainingListener;

/**
 * Trains an {@link Rbm} by stochastic gradient ascent on the log-likelihood with CD-k or
 * persistent CD-k (the number of persistent chains is independent of the batch size).
 *
 * <p>Each update on a minibatch {@code V} of {@code B} rows:
 * <ul>
 *   <li>positive statistics from hidden <em>probabilities</em> {@code P = sigmoid(V W + c)};</li>
 *   <li>negative statistics from {@code k} block-Gibbs steps (from {@code V} for CD, from the
 *       persistent chains for PCD), visible samples with hidden probabilities at the end;</li>
 *   <li>optional sparsity: the gradient of the penalty {@code cost * CE(target, p_j)}, taken w.r.t.
 *       each hidden unit's input, is {@code cost * (P - target)}; it is added to the positive
 *       statistics by replacing {@code P} with {@code (1 - cost) P + cost * target};</li>
 *   <li>{@code vel = momentum * vel + lr * (pos/B - neg/C - weightDecay * W)} (no decay on biases),
 *       then {@code param += vel}.</li>
 * </ul>
 * Data are shuffled every epoch by a seeded permutation and gathered on the backend; a last
 * partial batch is used with its own workspace. All workspaces are allocated once, so the loop
 * allocates no tensors. Same seed, backend and thread count give identical weights.
 *
 * <p>Random streams (all under {@code config.seed()}): {@link #INIT_STREAM} for the initial
 * weights and chains, {@link #SHUFFLE_STREAM} for the epoch permutations, {@link #SAMPLING_STREAM}
 * for Gibbs sampling.
 */
public final class RbmTrainer implements AutoCloseable {
    public static final int SAMPLING_STREAM = 1;
    public static final int SHUFFLE_STREAM = 2;
    public static final int INIT_STREAM = 3;
    public static final int CHAIN_INIT_STREAM = 4;

    private final Rbm rbm;
    private final TrainingConfig config;
    private final Tensor data;
    private final Backend backend;
    private final Sampler sampler;
    private final RandomStream sampling;
    private final RandomStream shuffle;
    private final Tensor velW;
    private final Tensor velV;
    private final Tensor velH;
    private final Tensor sparsityRow;
    private final BatchStep full;
    private final BatchStep tail;
    private final NegativePhase chains;
    private final int batches;
    private int epochsDone;

    /**
     * A trainer for {@code rbm} on {@code data} ({@code n x nv}, on the model's backend, not copied:
     * it must stay open and unchanged while training). The model's parameters are used as they are:
     * call {@link #initialize} first for a fresh model. PCD chains start at randomly chosen data rows.
     */
    public RbmTrainer(Rbm rbm, TrainingConfig config, Tensor data) {
        this.rbm = Objects.requireNonNull(rbm, "rbm");
        this.config = Objects.requireNonNull(config, "config");
        this.data = Objects.requireNonNull(data, "data");
        this.backend = rbm.backend();
        if (data.backend() != backend) {
            throw new IllegalArgumentException("training data is on backend '" + data.backend().name()
                    + "' but the model is on '" + backend.name() + "'");
        }
        if (data.cols() != rbm.visible()) {
            throw new IllegalArgumentException("data has " + data.cols() + " columns but the model has "
                    + rbm.visible() + " visible units");
        }
        this.sampler = backend.sampler();
        this.sampling = new RandomStream(config.seed(), SAMPLING_STREAM);
        this.shuffle = new RandomStream(config.seed(), SHUFFLE_STREAM);
        int n = data.rows();
        int b = Math.min(config.batchSize(), n);
        int nv = rbm.visible();
        int nh = rbm.hidden();
        this.velW = backend.allocate(nv, nh);
        this.velV = backend.allocate(1, nv);
        this.velH = backend.allocate(1, nh);
        if (config.hasSparsity()) {
            sparsityRow = backend.allocate(1, nh);
            backend.fill(sparsityRow, (float) config.sparsityTarget());
        } else {
            sparsityRow = null;
        }
        boolean cd = config.method() == TrainingMethod.CD;
        this.full = new BatchStep(b, nv, nh, cd);
        int rest = n % b;
        this.tail = rest == 0 ? null : new BatchStep(rest, nv, nh, cd);
        this.batches = n / b + (rest == 0 ? 0 : 1);
        if (cd) {
            this.chains = null;
        } else {
            this.chains = new NegativePhase(config.chains(), nv, nh);
            int[] perm = new RandomStream(config.seed(), CHAIN_INIT_STREAM).permutation(n);
            int[] rows = new int[config.chains()];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = perm[i % n];
            }
            backend.gatherRows(data, rows, 0, chains.visible);
        }
    }

    /**
     * Fresh parameters for {@code rbm} as {@code config} asks: weights {@code N(0, initWeightStd^2)}
     * from {@link #INIT_STREAM}, hidden biases 0, visible biases from the data's means (log-odds
     * for Bernoulli visibles).
     */
    public static void initialize(Rbm rbm, TrainingConfig config, Tensor data) {
        rbm.initialize((float) config.initWeightStd(), new RandomStream(config.seed(), INIT_STREAM),
                Rbm.columnMeans(data));
    }

    /** Runs the remaining epochs (up to {@code config.epochs()}), calling the listeners. */
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
        int[] perm = shuffle.permutation(data.rows());
        int b = full.rows;
        int nFull = data.rows() / b;
        int batch = 0;
        for (int i = 0; i < nFull; i++) {
            step(full, perm, i * b, lr);
            batch++;
            for (int l = 0; l < listeners.size(); l++) {
                listeners.get(l).onBatch(epoch, batch, batches);
            }
        }
        if (tail != null) {
            step(tail, perm, nFull * b, lr);
            batch++;
            for (int l = 0; l < listeners.size(); l++) {
                listeners.get(l).onBatch(epoch, batch, batches);
            }
        }
        epochsDone = epoch;
        double seconds = (System.nanoTime() - start) * 1e-9;
        for (TrainingListener l : listeners) {
            l.onEpochEnd(epoch, lr, seconds);
        }
    }

    private void step(BatchStep s, int[] perm, int offset, float lr) {
        backend.gatherRows(data, perm, offset, s.v0);
        NegativePhase neg;
        int k = config.k();
        if (chains == null) {
            neg = s.negative;
            // The positive probabilities and the first hidden sample of the chain come from one fused call.
            rbm.sampleHidden(s.v0, s.pre, s.prob, neg.hiddenSample, sampling);
            for (int t = 1; t <= k; t++) {
                rbm.sampleVisible(neg.hiddenSample, neg.visible, sampling);
                rbm.hiddenInput(neg.visible, neg.pre);
                if (t < k) {
                    sampler.sampleSigmoidBernoulli(neg.pre, rbm.hiddenBias(), 1f, null, neg.hiddenSample, sampling);
                } else {
                    backend.sigmoid(neg.pre, rbm.hiddenBias(), neg.hiddenProb);
                }
            }
        } else {
            neg = chains;
            rbm.hiddenProbabilities(s.v0, s.pre, s.prob);
            for (int t = 1; t <= k; t++) {
                rbm.sampleHidden(neg.visible, neg.pre, null, neg.hiddenSample, sampling);
                rbm.sampleVisible(neg.hiddenSample, neg.visible, sampling);
            }
            rbm.hiddenProbabilities(neg.visible, neg.pre, neg.hiddenProb);
        }
        update(s, neg, lr);
    }

    private void update(BatchStep s, NegativePhase neg, float lr) {
        float pos = lr / s.rows;
        float negScale = -lr / neg.rows;
        float mom = (float) config.momentum();
        if (sparsityRow != null) {
            float cost = (float) config.sparsityCost();
            backend.scale(1f - cost, s.prob, s.prob);
            backend.addRowVector(s.prob, sparsityRow, cost, s.prob);
        }
        backend.gemm(true, false, pos, s.v0, s.prob, mom, velW);
        backend.gemm(true, false, negScale, neg.visible, neg.hiddenProb, 1f, velW);
        if (config.weightDecay() > 0) {
            backend.axpy((float) (-lr * config.weightDecay()), rbm.weights(), velW);
        }
        backend.axpy(1f, velW, rbm.weights());
        backend.columnSums(s.v0, pos, mom, velV);
        backend.columnSums(neg.visible, negScale, 1f, velV);
        backend.axpy(1f, velV, rbm.visibleBias());
        backend.columnSums(s.prob, pos, mom, velH);
        backend.columnSums(neg.hiddenProb, negScale, 1f, velH);
        backend.axpy(1f, velH, rbm.hiddenBias());
    }

    // ---- state for checkpoints ---------------------------------------------------------------

    /** Completed epochs. */
    public int epochsDone() {
        return epochsDone;
    }

    /** Updates per epoch (a last partial batch counts as one). */
    public int batchesPerEpoch() {
        return batches;
    }

    public TrainingConfig config() {
        return config;
    }

    public Rbm model() {
        return rbm;
    }

    /** A host snapshot of the trainer's state (not the model's parameters). */
    public TrainerState state() {
        return new TrainerState(epochsDone, sampling.drawIndex(), shuffle.drawIndex(), velW.toArray(), velV.toArray(),
                velH.toArray(), chains == null ? null : chains.visible.toArray(), chains == null ? 0 : chains.rows);
    }

    /** Restores a snapshot taken by {@link #state()} of a trainer with the same configuration. */
    public void restore(TrainerState s) {
        int expectChains = chains == null ? 0 : chains.rows;
        if (s.chainCount() != expectChains || (s.chains() == null) != (chains == null)) {
            throw new IllegalArgumentException("checkpoint has " + s.chainCount() + " persistent chains but the run "
                    + "is configured for " + expectChains + " (" + config.method().id() + ")");
        }
        if (s.epochsDone() < 0 || s.epochsDone() > config.epochs()) {
            throw new IllegalArgumentException("checkpoint is at epoch " + s.epochsDone() + ", outside 0.."
                    + config.epochs());
        }
        velW.copyFrom(s.weightVelocity());
        velV.copyFrom(s.visibleVelocity());
        velH.copyFrom(s.hiddenVelocity());
        if (chains != null) {
            chains.visible.copyFrom(s.chains());
        }
        sampling.setDrawIndex(s.samplingDraw());
        shuffle.setDrawIndex(s.shuffleDraw());
        epochsDone = s.epochsDone();
    }

    @Override
    public void close() {
        velW.close();
        velV.close();
        velH.close();
        if (sparsityRow != null) {
            sparsityRow.close();
        }
        full.close();
        if (tail != null) {
            tail.close();
        }
        if (chains != null) {
            chains.close();
        }
    }

    /** Workspaces of the negative phase: the chain's visible states and its hidden layer. */
    private final class NegativePhase implements AutoCloseable {
        final int rows;
        final Tensor visible;
        final Tensor pre;
        final Tensor hiddenSample;
        final Tensor hiddenProb;

        NegativePhase(int rows, int nv, int nh) {
            this.rows = rows;
            this.visible = backend.allocate(rows, nv);
            this.pre = backend.allocate(rows, nh);
            this.hiddenSample = backend.allocate(rows, nh);
            this.hiddenProb = backend.allocate(rows, nh);
        }

        @Override
        public void close() {
            visible.close();
            pre.close();
            hiddenSample.close();
            hiddenProb.close();
        }
    }

    /** Workspaces for one minibatch shape: the batch, its hidden layer, and (CD) its chain. */
    private final class BatchStep implements AutoCloseable {
        final int rows;
        final Tensor v0;
        final Tensor pre;
        final Tensor prob;
        final NegativePhase negative;

        BatchStep(int rows, int nv, int nh, boolean cd) {
            this.rows = rows;
            this.v0 = backend.allocate(rows, nv);
            this.pre = backend.allocate(rows, nh);
            this.prob = backend.allocate(rows, nh);
            this.negative = cd ? new NegativePhase(rows, nv, nh) : null;
        }

        @Override
        public void close() {
            v0.close();
            pre.close();
            prob.close();
            if (negative != null) {
                negative.close();
            }
        }
    }
}
