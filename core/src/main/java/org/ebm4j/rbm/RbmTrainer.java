package org.ebm4j.rbm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.tempering.ParallelTempering;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.EpochTrainer;
import org.ebm4j.train.Minibatches;
import org.ebm4j.train.RowOrder;
import org.ebm4j.train.ParameterUpdate;
import org.ebm4j.train.TrainingState;

/**
 * Trains an {@link Rbm} by stochastic gradient ascent on the log-likelihood with CD-k,
 * persistent CD-k (the number of persistent chains is independent of the batch size) or parallel
 * tempering ({@link TrainingMethod#PT}).
 *
 * <p>Each update on a minibatch {@code V} of {@code B} rows:
 * <ul>
 *   <li>positive statistics from hidden <em>probabilities</em> {@code P = sigmoid(V W + c)};</li>
 *   <li>negative statistics from {@code k} block-Gibbs steps (from {@code V} for CD, from the
 *       persistent chains for PCD), visible samples with hidden probabilities at the end; for PT,
 *       {@code k} sweeps of every replica at its temperature and one round of swaps
 *       ({@link ParallelTempering}), then the visible samples of the replicas at temperature 1 with
 *       their hidden probabilities;</li>
 *   <li>optional sparsity: the gradient of the penalty {@code cost * CE(target, p_j)}, taken w.r.t.
 *       each hidden unit's input, is {@code cost * (P - target)}; it is added to the positive
 *       statistics by replacing {@code P} with {@code (1 - cost) P + cost * target};</li>
 *   <li>with centering (Melchior, Fischer and Wiskott 2016, algorithm 1 with data means for both
 *       offsets): first the offsets move towards this batch's means, {@code mu += nu (mean(V) - mu)},
 *       {@code lambda += nu (mean(P) - lambda)} with {@code nu = } {@value #CENTERING_RATE}; the weight
 *       gradient is taken in the centered form, {@code (V - mu)^T (P - lambda)/B - (V' - mu)^T
 *       (P' - lambda)/C}; the bias gradients are the ordinary ones (the offsets cancel); and since the
 *       model is held in the ordinary form ({@link CenteredParameters}), the step of the centered
 *       biases reaches the ordinary ones as {@code db = step_b - step_W lambda},
 *       {@code dc = step_c - step_W^T mu};</li>
 *   <li>the gradient {@code grad = pos/B - neg/C - weightDecay * W} (no decay on biases) goes to the
 *       optimizer ({@link org.ebm4j.train.Optimizer}): momentum SGD {@code vel = momentum * vel + lr * grad},
 *       {@code param += vel}, or Adam. The learning rate is the schedule's times
 *       {@link #rateFactor()} (halved by divergence rollbacks).</li>
 * </ul>
 * Data are shuffled every epoch by a seeded permutation, uploaded once per epoch ({@link RowOrder})
 * and gathered on the backend batch by batch; the optimizer's steps are the backend's fused
 * {@link Backend#momentumStep} and {@link Backend#biasMomentumStep} under momentum SGD; a last
 * partial batch is used with its own workspace. All workspaces are allocated once, so the loop
 * allocates no tensors. Same seed, backend and thread count give identical weights.
 *
 * <p>Random streams (all under {@code config.seed()}): {@link StreamId#RBM_INIT} for the initial
 * weights, {@link StreamId#RBM_CHAIN_INIT} for the rows that start the persistent chains,
 * {@link StreamId#RBM_SHUFFLE} for the epoch permutations, {@link StreamId#RBM_SAMPLING} for
 * Gibbs sampling, {@link StreamId#RBM_TEMPERING_SWAPS} for the swaps of PT.
 */
public final class RbmTrainer extends EpochTrainer {
    /** The {@link #kind()} of this trainer, stored with its state. */
    public static final String KIND = "rbm";
    /** The rate {@code nu} of the centering offsets' moving averages (Melchior et al. 2016 use 0.01). */
    public static final double CENTERING_RATE = 0.01;
    /** The hidden offsets' start: the mean hidden probability of a model with zero hidden biases and small weights. */
    static final float INITIAL_HIDDEN_OFFSET = 0.5f;

    private final Rbm rbm;
    private final RbmOptions config;
    private final Tensor data;
    private final Backend backend;
    private final RandomStream sampling;
    private final RandomStream shuffle;
    private final ParameterUpdate updW;
    private final ParameterUpdate updV;
    private final ParameterUpdate updH;
    private final Tensor sparsityRow;
    private final Tensor visibleOffset;
    private final Tensor hiddenOffset;
    private final BatchStep full;
    private final BatchStep tail;
    private final NegativePhase chains;
    private final TemperedRbm tempered;
    private final ParallelTempering tempering;
    private final RandomStream swaps;
    private final int batches;
    private final RowOrder order;

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
        this.sampling = openStream(StreamId.RBM_SAMPLING, config.seed(), "sampling");
        this.shuffle = openStream(StreamId.RBM_SHUFFLE, config.seed(), "shuffle");
        int n = data.rows();
        Minibatches split = Minibatches.of(n, config.batchSize());
        int nv = rbm.visible();
        int nh = rbm.hidden();
        this.updW = config.optimizer().update(rbm.weights(), "W", config.momentum());
        this.updV = config.optimizer().update(rbm.visibleBias(), "vbias", config.momentum());
        this.updH = config.optimizer().update(rbm.hiddenBias(), "hbias", config.momentum());
        boolean centered = config.centering();
        if (centered) {
            visibleOffset = backend.allocate(1, nv);
            hiddenOffset = backend.allocate(1, nh);
            backend.columnSums(data, 1f / n, 0f, visibleOffset);
            backend.fill(hiddenOffset, INITIAL_HIDDEN_OFFSET);
        } else {
            visibleOffset = null;
            hiddenOffset = null;
        }
        if (config.hasSparsity()) {
            sparsityRow = backend.allocate(1, nh);
            backend.fill(sparsityRow, (float) config.sparsityTarget());
        } else {
            sparsityRow = null;
        }
        boolean cd = config.method() == TrainingMethod.CD;
        this.full = new BatchStep(split.size(), nv, nh, cd, centered);
        this.tail = split.tail(rows -> new BatchStep(rows, nv, nh, cd, centered));
        this.batches = split.count();
        this.order = new RowOrder(backend, n);
        if (cd) {
            this.chains = null;
        } else {
            this.chains = new NegativePhase(config.chains(), nv, nh, centered);
            int[] perm = StreamId.RBM_CHAIN_INIT.open(config.seed()).permutation(n);
            int[] rows = new int[config.chains()];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = perm[i % n];
            }
            backend.gatherRows(data, rows, 0, chains.visible);
        }
        if (config.method() == TrainingMethod.PT) {
            double[] betas = config.betas().betas(config.replicas());
            this.swaps = openStream(StreamId.RBM_TEMPERING_SWAPS, config.seed(), "swap");
            this.tempered = new TemperedRbm(rbm, betas.length * config.chains());
            this.tempering = new ParallelTempering(tempered, betas, config.chains());
            // Every temperature starts at the same data rows; the first sweep draws the hidden layer.
            tempering.startAll(0, chains.visible);
        } else {
            this.swaps = null;
            this.tempered = null;
            this.tempering = null;
        }
    }

    /** The sampler of PT runs (its swap rates), or null for CD and PCD. */
    public ParallelTempering tempering() {
        return tempering;
    }

    /**
     * The swap acceptance so far per pair of neighbouring temperatures, as metrics
     * {@code swap_rate_<r>} for the pair {@code (r, r + 1)}; empty unless the method is PT.
     */
    public Map<String, Double> swapRates() {
        return tempering == null ? new LinkedHashMap<>() : tempering.swapRateMetrics();
    }

    /** The centering offsets as they stand, or null without centering. */
    public CenteringOffsets centeringOffsets() {
        return visibleOffset == null ? null : new CenteringOffsets(visibleOffset.toArray(), hiddenOffset.toArray());
    }

    /**
     * Fresh parameters for {@code rbm} as {@code config} asks: weights {@code N(0, initWeightStd^2)}
     * from {@link StreamId#RBM_INIT}, hidden biases 0, visible biases from the data's means (log-odds
     * for Bernoulli visibles).
     */
    public static void initialize(Rbm rbm, RbmOptions config, Tensor data) {
        float[] means = Rbm.columnMeans(data);
        rbm.initialize((float) config.initWeightStd(), StreamId.RBM_INIT.open(config.seed()), means);
        if (config.centering()) {
            // Those are the centered biases at the initial offsets; the model holds the ordinary form.
            float[] lambda = new float[rbm.hidden()];
            java.util.Arrays.fill(lambda, INITIAL_HIDDEN_OFFSET);
            rbm.setParameters(new CenteredParameters(rbm.parameters(), means, lambda).uncentered());
        }
    }

    @Override
    protected double runEpoch(int epochIndex, BatchDone done) {
        float lr = (float) (config.learningRate(epochIndex) * rateFactor());
        order.upload(shuffle.permutation(data.rows()));
        for (int i = 0; i < batches; i++) {
            BatchStep s = batchStep(i);
            int offset = i * full.rows;
            // one step as a unit, so a backend may replay its device work (CUDA graphs)
            backend.runStep(() -> {
                order.gather(data, offset, s.v0);
                step(s, lr);
            });
            done.after(i + 1);
        }
        return lr;
    }

    /** The first update of a fresh run: batch 0 of a fresh order at the first epoch's rate. */
    @Override
    protected boolean firstUpdate() {
        update(shuffle.permutation(data.rows()), 0, (float) (config.learningRate(0) * rateFactor()));
        return true;
    }

    /** The workspaces of batch {@code batch}: the tail's for the last partial batch, else the full ones. */
    private BatchStep batchStep(int batch) {
        return tail != null && batch == batches - 1 ? tail : full;
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
        BatchStep s = batchStep(batch);
        int offset = batch * full.rows;
        // one step as a unit, so a backend may replay its device work (CUDA graphs)
        backend.runStep(() -> {
            backend.gatherRows(data, order, offset, s.v0);
            step(s, learningRate);
        });
    }

    /** One update on the batch already gathered into {@code s.v0}. */
    private void step(BatchStep s, float lr) {
        NegativePhase neg;
        int k = config.k();
        if (chains == null) {
            neg = s.negative;
            // The positive probabilities and the first hidden sample of the chain come from one fused call.
            rbm.sampleHidden(s.v0, s.pre, s.prob, neg.hiddenSample, sampling);
            for (int t = 1; t <= k; t++) {
                rbm.sampleVisible(neg.hiddenSample, neg.visible, sampling);
                if (t < k) {
                    rbm.sampleHidden(neg.visible, neg.pre, null, neg.hiddenSample, sampling);
                } else {
                    rbm.hiddenProbabilities(neg.visible, neg.pre, neg.hiddenProb);
                }
            }
        } else if (tempering != null) {
            neg = chains;
            rbm.hiddenProbabilities(s.v0, s.pre, s.prob);
            tempering.step(k, sampling, swaps);
            tempering.coldRows(0, neg.visible);
            rbm.hiddenProbabilities(neg.visible, neg.pre, neg.hiddenProb);
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
        // Every update has the same optimizer, so one scale and one keep serve all three.
        float g = updW.gradientScale(lr);
        float pos = g / s.rows;
        float negScale = -g / neg.rows;
        float keep = updW.keep();
        if (visibleOffset != null) {
            float nu = (float) CENTERING_RATE;
            backend.columnSums(s.v0, nu / s.rows, 1f - nu, visibleOffset);
            backend.columnSums(s.prob, nu / s.rows, 1f - nu, hiddenOffset);
        }
        if (sparsityRow != null) {
            float cost = (float) config.sparsityCost();
            backend.scale(1f - cost, s.prob, s.prob);
            backend.addRowVector(s.prob, sparsityRow, cost, s.prob);
        }
        if (visibleOffset != null) {
            backend.addRowVector(s.v0, visibleOffset, -1f, s.centeredVisible);
            backend.addRowVector(s.prob, hiddenOffset, -1f, s.centeredHidden);
            backend.addRowVector(neg.visible, visibleOffset, -1f, neg.centeredVisible);
            backend.addRowVector(neg.hiddenProb, hiddenOffset, -1f, neg.centeredHidden);
            backend.gemm(true, false, pos, s.centeredVisible, s.centeredHidden, keep, updW.target());
            backend.gemm(true, false, negScale, neg.centeredVisible, neg.centeredHidden, 1f, updW.target());
        } else {
            backend.gemm(true, false, pos, s.v0, s.prob, keep, updW.target());
            backend.gemm(true, false, negScale, neg.visible, neg.hiddenProb, 1f, updW.target());
        }
        updW.applyWithDecay(config.weightDecay() > 0 ? (float) (-g * config.weightDecay()) : 0f, lr);
        updV.applyColumnSums(s.v0, pos, neg.visible, negScale, lr);
        updH.applyColumnSums(s.prob, pos, neg.hiddenProb, negScale, lr);
        if (visibleOffset != null) {
            backend.gemm(false, true, -1f, hiddenOffset, updW.target(), 1f, rbm.visibleBias());
            backend.gemm(false, false, -1f, visibleOffset, updW.target(), 1f, rbm.hiddenBias());
        }
    }

    // ---- state for checkpoints ---------------------------------------------------------------

    @Override
    public int batchesPerEpoch() {
        return batches;
    }

    /**
     * The optimizer's state ({@link ParameterUpdate}: arrays {@code velocity.W}, {@code velocity.vbias},
     * {@code velocity.hbias} for SGD), for PCD and PT {@code chains}, for PT the replicas
     * {@code tempering.visible} and {@code tempering.hidden} and the counters {@code tempering.<i>} of
     * {@link ParallelTempering#counts()}, with centering {@code centering.visible_offset} and
     * {@code centering.hidden_offset} (the streams' positions are counters {@code sampling_draw},
     * {@code shuffle_draw} and for PT {@code swap_draw}).
     */
    @Override
    protected void saveState(TrainingState.Builder s) {
        updW.save(s);
        updV.save(s);
        updH.save(s);
        if (chains != null) {
            s.array("chains", chains.rows, rbm.visible(), chains.visible.toArray());
        }
        if (tempering != null) {
            s.array("tempering.visible", tempering.layer(0).rows(), rbm.visible(), tempering.layer(0).toArray());
            s.array("tempering.hidden", tempering.layer(1).rows(), rbm.hidden(), tempering.layer(1).toArray());
            tempering.saveCounts(s);
        }
        if (visibleOffset != null) {
            s.array("centering.visible_offset", 1, rbm.visible(), visibleOffset.toArray());
            s.array("centering.hidden_offset", 1, rbm.hidden(), hiddenOffset.toArray());
        }
    }

    @Override
    protected void restoreState(TrainingState s) {
        if (s.hasArray("chains") != (chains != null)) {
            throw new IllegalArgumentException("training state " + (s.hasArray("chains") ? "has" : "lacks")
                    + " persistent chains but the run is configured for " + config.method().id());
        }
        float[] c = chains == null ? null : s.array("chains", chains.rows, rbm.visible());
        updW.restore(s);
        updV.restore(s);
        updH.restore(s);
        if (c != null) {
            chains.visible.copyFrom(c);
        }
        if (tempering != null) {
            tempering.layer(0).copyFrom(s.array("tempering.visible", tempering.layer(0).rows(), rbm.visible()));
            tempering.layer(1).copyFrom(s.array("tempering.hidden", tempering.layer(1).rows(), rbm.hidden()));
            tempering.restoreCounts(s);
        }
        if (visibleOffset != null) {
            visibleOffset.copyFrom(s.array("centering.visible_offset", 1, rbm.visible()));
            hiddenOffset.copyFrom(s.array("centering.hidden_offset", 1, rbm.hidden()));
        }
    }

    @Override
    public void close() {
        updW.close();
        updV.close();
        updH.close();
        Tensor.closeAll(sparsityRow, visibleOffset, hiddenOffset);
        if (tempering != null) {
            tempering.close();
            tempered.close();
        }
        full.close();
        if (tail != null) {
            tail.close();
        }
        if (chains != null) {
            chains.close();
        }
        order.close();
    }

    /**
     * Workspaces of one side of the gradient: a batch of visible rows, their hidden layer and, with
     * centering, both centered.
     */
    private class Rows implements AutoCloseable {
        final int rows;
        final Tensor centeredVisible;
        final Tensor centeredHidden;

        Rows(int rows, int nv, int nh, boolean centered) {
            this.rows = rows;
            this.centeredVisible = centered ? backend.allocate(rows, nv) : null;
            this.centeredHidden = centered ? backend.allocate(rows, nh) : null;
        }

        @Override
        public void close() {
            Tensor.closeAll(centeredVisible, centeredHidden);
        }
    }

    /** Workspaces of the negative phase: the chain's visible states and its hidden layer. */
    private final class NegativePhase extends Rows {
        final Tensor visible;
        final Tensor pre;
        final Tensor hiddenSample;
        final Tensor hiddenProb;

        NegativePhase(int rows, int nv, int nh, boolean centered) {
            super(rows, nv, nh, centered);
            this.visible = backend.allocate(rows, nv);
            this.pre = backend.allocate(rows, nh);
            this.hiddenSample = backend.allocate(rows, nh);
            this.hiddenProb = backend.allocate(rows, nh);
        }

        @Override
        public void close() {
            super.close();
            visible.close();
            pre.close();
            hiddenSample.close();
            hiddenProb.close();
        }
    }

    /** Workspaces for one minibatch shape: the batch, its hidden layer, and (CD) its chain. */
    private final class BatchStep extends Rows {
        final Tensor v0;
        final Tensor pre;
        final Tensor prob;
        final NegativePhase negative;

        BatchStep(int rows, int nv, int nh, boolean cd, boolean centered) {
            super(rows, nv, nh, centered);
            this.v0 = backend.allocate(rows, nv);
            this.pre = backend.allocate(rows, nh);
            this.prob = backend.allocate(rows, nh);
            this.negative = cd ? new NegativePhase(rows, nv, nh, centered) : null;
        }

        @Override
        public void close() {
            super.close();
            v0.close();
            pre.close();
            prob.close();
            if (negative != null) {
                negative.close();
            }
        }
    }
}
