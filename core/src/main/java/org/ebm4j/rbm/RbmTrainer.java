package org.ebm4j.rbm;

import java.util.Objects;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Sampler;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.EpochTrainer;
import org.ebm4j.train.TrainingState;

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
 * <p>Random streams (all under {@code config.seed()}): {@link StreamId#RBM_INIT} for the initial
 * weights, {@link StreamId#RBM_CHAIN_INIT} for the rows that start the persistent chains,
 * {@link StreamId#RBM_SHUFFLE} for the epoch permutations, {@link StreamId#RBM_SAMPLING} for
 * Gibbs sampling.
 */
public final class RbmTrainer extends EpochTrainer {
    /** The {@link #kind()} of this trainer, stored with its state. */
    public static final String KIND = "rbm";

    private final Rbm rbm;
    private final RbmOptions config;
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

    /**
     * A trainer for {@code rbm} on {@code data} ({@code n x nv}, on the model's backend, not copied:
     * it must stay open and unchanged while training). The model's parameters are used as they are:
     * call {@link #initialize} first for a fresh model. PCD chains start at randomly chosen data rows,
     * so the data must be preprocessed (binarized) before. Only the training fields of {@code config}
     * are used ({@link RbmOptions}); {@link Rbm#fit} does the whole job.
     */
    public RbmTrainer(Rbm rbm, RbmOptions config, Tensor data) {
        super(KIND, Objects.requireNonNull(config, "config").epochs());
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
        this.sampling = openStream(StreamId.RBM_SAMPLING, config.seed(), "sampling");
        this.shuffle = openStream(StreamId.RBM_SHUFFLE, config.seed(), "shuffle");
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
            int[] perm = StreamId.RBM_CHAIN_INIT.open(config.seed()).permutation(n);
            int[] rows = new int[config.chains()];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = perm[i % n];
            }
            backend.gatherRows(data, rows, 0, chains.visible);
        }
    }

    /**
     * Fresh parameters for {@code rbm} as {@code config} asks: weights {@code N(0, initWeightStd^2)}
     * from {@link StreamId#RBM_INIT}, hidden biases 0, visible biases from the data's means (log-odds
     * for Bernoulli visibles).
     */
    public static void initialize(Rbm rbm, RbmOptions config, Tensor data) {
        rbm.initialize((float) config.initWeightStd(), StreamId.RBM_INIT.open(config.seed()),
                Rbm.columnMeans(data));
    }

    @Override
    protected double runEpoch(int epochIndex, BatchDone done) {
        float lr = (float) config.learningRate(epochIndex);
        int[] perm = shuffle.permutation(data.rows());
        for (int i = 0; i < batches; i++) {
            update(perm, i, lr);
            done.after(i + 1);
        }
        return lr;
    }

    /**
     * One minibatch update outside the epoch loop: batch {@code batch} (0-based, below
     * {@link #batchesPerEpoch()}) of an epoch whose rows come in the order {@code order} (a
     * permutation of the data's rows), at learning rate {@code learningRate}, drawing from the
     * trainer's sampling stream. An epoch of {@link #train} is exactly these updates over its batches
     * in turn. For a caller that schedules the updates itself: data-parallel training runs a few of
     * them per round from broadcast parameters, with the velocity, chains and stream positions set by
     * {@link #restore}.
     */
    public void update(int[] order, int batch, float learningRate) {
        if (order.length != data.rows()) {
            throw new IllegalArgumentException("row order has " + order.length + " entries but the data has "
                    + data.rows() + " rows");
        }
        if (batch < 0 || batch >= batches) {
            throw new IllegalArgumentException("batch " + batch + " is outside 0.." + (batches - 1));
        }
        int b = full.rows;
        boolean last = tail != null && batch == batches - 1;
        step(last ? tail : full, order, batch * b, learningRate);
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

    @Override
    public int batchesPerEpoch() {
        return batches;
    }

    /**
     * Arrays {@code velocity.W}, {@code velocity.vbias}, {@code velocity.hbias} and, for PCD,
     * {@code chains} (the streams' positions are counters {@code sampling_draw} and {@code shuffle_draw}).
     */
    @Override
    protected void saveState(TrainingState.Builder s) {
        s.array("velocity.W", velW.rows(), velW.cols(), velW.toArray());
        s.array("velocity.vbias", 1, velV.cols(), velV.toArray());
        s.array("velocity.hbias", 1, velH.cols(), velH.toArray());
        if (chains != null) {
            s.array("chains", chains.rows, rbm.visible(), chains.visible.toArray());
        }
    }

    @Override
    protected void restoreState(TrainingState s) {
        if (s.hasArray("chains") != (chains != null)) {
            throw new IllegalArgumentException("training state " + (s.hasArray("chains") ? "has" : "lacks")
                    + " persistent chains but the run is configured for " + config.method().id());
        }
        float[] w = s.array("velocity.W", rbm.visible(), rbm.hidden());
        float[] v = s.array("velocity.vbias", 1, rbm.visible());
        float[] h = s.array("velocity.hbias", 1, rbm.hidden());
        float[] c = chains == null ? null : s.array("chains", chains.rows, rbm.visible());
        velW.copyFrom(w);
        velV.copyFrom(v);
        velH.copyFrom(h);
        if (c != null) {
            chains.visible.copyFrom(c);
        }
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
