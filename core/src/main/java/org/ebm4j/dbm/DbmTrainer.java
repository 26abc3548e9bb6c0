package org.ebm4j.dbm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntToDoubleFunction;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.rbm.RbmTrainer;
import org.ebm4j.tempering.ParallelTempering;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.EpochTrainer;
import org.ebm4j.train.Minibatches;
import org.ebm4j.train.Optimizer;
import org.ebm4j.train.ParameterUpdate;
import org.ebm4j.train.TrainingState;

/**
 * Trains a {@link Dbm} by stochastic gradient ascent on the mean-field lower bound of the
 * log-likelihood (Salakhutdinov and Hinton 2009). Each update on a minibatch {@code V} of {@code B}
 * rows:
 * <ul>
 *   <li>positive statistics {@code <mu_{l-1}' mu_l>} from the {@link MeanField} posterior of {@code V}
 *       ({@code mu_0 = V});</li>
 *   <li>negative statistics {@code <x_{l-1}' x_l>} from {@code C} persistent chains advanced {@code k}
 *       block-Gibbs sweeps (odd layers, then even layers); with parallel tempering (joint training,
 *       {@link DbmOptions#tempered()}) every chain has a replica at each inverse temperature of the
 *       ladder, all of them swept {@code k} times in one batched call per layer ({@link TemperedDbm}),
 *       then neighbours swap by the Metropolis rule on the joint energy ({@link ParallelTempering}), and
 *       the statistics come from the replicas at {@code beta = 1};</li>
 *   <li>{@code grad = pos / B - neg / C}, then the options' {@link Optimizer} ({@link ParameterUpdate}):
 *       momentum SGD {@code vel = momentum * vel + lr * (grad - weightDecay * W)} (no decay on biases),
 *       {@code param += vel}, or Adam on {@code grad - weightDecay * W}; {@code lr} is the stage's rate
 *       times {@link #rateFactor()} (halved by divergence rollbacks);</li>
 *   <li>with centering (joint training, {@link DbmOptions#centering()}; Melchior, Fischer and Wiskott
 *       2016): first every layer's offset moves towards the mean of this update's data and model means,
 *       {@code mu_l += nu ((mean(mu_l^data) + mean(x_l^model)) / 2 - mu_l)} with {@code nu =}
 *       {@link RbmTrainer#CENTERING_RATE} (the visible offset starts at the data's means, the hidden ones
 *       at 1/2); the weight gradient is the centered one,
 *       {@code <(x_{l-1} - mu_{l-1})' (x_l - mu_l)>_data - <...>_model}; the bias gradients are the
 *       ordinary ones (the offsets cancel); and since the model is held in the ordinary form
 *       ({@link DbmCenteredParameters}), the centered step {@code (dW, db')} reaches the ordinary biases
 *       as {@code db_l = db'_l - mu_{l-1} dW_l - dW_{l+1} mu_{l+1}}.</li>
 * </ul>
 * The same trainer pretrains: a two-layer model whose conditionals have the doubled inputs of
 * {@link LayerScales#pretraining} is an RBM of greedy DBM pretraining, its mean field the exact
 * {@code p(h | v)} after one sweep and its chains those of persistent CD. Data are shuffled every
 * epoch; the last partial batch has its own workspace; nothing is allocated inside the loop.
 */
final class DbmTrainer extends EpochTrainer {
    /** The {@link #kind()} of the joint trainer and of the pretraining trainers, stored with their state. */
    static final String JOINT = "dbm";
    static final String PRETRAIN = "dbm-pretrain";
    /** The hidden offsets' start: the mean of a unit with zero input. */
    static final float INITIAL_HIDDEN_OFFSET = 0.5f;

    /**
     * What differs between pretraining and joint training.
     *
     * @param kind      the trainer's kind
     * @param epochs    epochs to train
     * @param rate      the learning rate of each (0-based) epoch
     * @param scales    the conditionals' input factors
     * @param sampling  stream of the chains' Gibbs sweeps
     * @param shuffle   stream of the epoch permutations
     * @param chainInit stream choosing the rows that start the chains
     * @param seed      seed of the three streams
     */
    record Stage(String kind, int epochs, IntToDoubleFunction rate, LayerScales scales, StreamId sampling,
                 StreamId shuffle, StreamId chainInit, long seed) {
    }

    private final Dbm dbm;
    private final DbmOptions options;
    private final Stage stage;
    private final Tensor data;
    private final Backend backend;
    private final RandomStream sampling;
    private final RandomStream shuffle;
    private final int depth;
    private final Tensor[] gradW;
    private final Tensor[] gradB;
    private final ParameterUpdate[] updW;
    private final ParameterUpdate[] updB;
    private final Batch full;
    private final Batch tail;
    private final GibbsChains chains;
    private final TemperedDbm tempered;
    private final ParallelTempering tempering;
    private final RandomStream swaps;
    /** Centering: {@code offsets[l]} ({@code 1 x sizes[l]}) and the chains' centered states; null without. */
    private final Tensor[] offsets;
    private final Tensor[] centeredChains;
    private final int batches;
    private long sweepsThisEpoch;
    private int updatesThisEpoch;
    private double lastEpochSweeps = Double.NaN;

    /**
     * A trainer of {@code dbm} on {@code data} ({@code n x sizes[0]}, binary, on the model's backend; not
     * copied, so it must stay open and unchanged). The model's parameters are used as they are.
     */
    DbmTrainer(Dbm dbm, DbmOptions options, Stage stage, Tensor data) {
        super(stage.kind(), stage.epochs());
        this.dbm = Objects.requireNonNull(dbm, "dbm");
        this.options = options;
        this.stage = stage;
        this.data = data;
        this.backend = dbm.backend();
        if (data.backend() != backend) {
            throw new IllegalArgumentException("training data is on backend '" + data.backend().name()
                    + "' but the model is on '" + backend.name() + "'");
        }
        int[] sizes = dbm.sizes();
        if (data.cols() != sizes[0]) {
            throw new IllegalArgumentException("data has " + data.cols() + " columns but the model has " + sizes[0]
                    + " visible units");
        }
        this.sampling = openStream(stage.sampling(), stage.seed(), "sampling");
        this.shuffle = openStream(stage.shuffle(), stage.seed(), "shuffle");
        this.depth = sizes.length - 1;
        gradW = new Tensor[depth + 1];
        updW = new ParameterUpdate[depth + 1];
        gradB = new Tensor[depth + 1];
        updB = new ParameterUpdate[depth + 1];
        for (int l = 0; l <= depth; l++) {
            gradB[l] = backend.allocate(1, sizes[l]);
            updB[l] = options.optimizer().update(dbm.bias(l), "b" + l, options.momentum());
            if (l > 0) {
                gradW[l] = backend.allocate(sizes[l - 1], sizes[l]);
                updW[l] = options.optimizer().update(dbm.weights(l), "W" + l, options.momentum());
            }
        }
        int n = data.rows();
        boolean joint = JOINT.equals(stage.kind());
        if (joint && options.centering()) {
            offsets = new Tensor[depth + 1];
            centeredChains = new Tensor[depth + 1];
            for (int l = 0; l <= depth; l++) {
                offsets[l] = backend.allocate(1, sizes[l]);
                centeredChains[l] = backend.allocate(options.chains(), sizes[l]);
            }
            backend.columnSums(data, 1f / n, 0f, offsets[0]);
            for (int l = 1; l <= depth; l++) {
                backend.fill(offsets[l], INITIAL_HIDDEN_OFFSET);
            }
        } else {
            offsets = null;
            centeredChains = null;
        }
        Minibatches split = Minibatches.of(n, options.batchSize());
        full = new Batch(split.size());
        tail = split.tail(Batch::new);
        batches = split.count();
        chains = new GibbsChains(dbm, stage.scales(), options.chains());
        int[] perm = stage.chainInit().open(stage.seed()).permutation(n);
        int[] rows = new int[options.chains()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = perm[i % n];
        }
        backend.gatherRows(data, rows, 0, chains.x[0]);
        if (joint && options.tempered()) {
            double[] betas = options.temperatures();
            swaps = openStream(StreamId.DBM_TEMPERING_SWAPS, stage.seed(), "swap");
            tempered = new TemperedDbm(dbm, betas.length * options.chains());
            tempering = new ParallelTempering(tempered, betas, options.chains());
            // Every temperature starts at the chains' states (data rows, hidden layers 0).
            for (int l = 0; l <= depth; l++) {
                tempering.startAll(l, chains.x[l]);
            }
        } else {
            swaps = null;
            tempered = null;
            tempering = null;
        }
    }

    /** The swap acceptance so far per neighbouring pair as metrics {@code swap_rate_<r>}; empty without PT. */
    Map<String, Double> swapRates() {
        return tempering == null ? Map.of() : tempering.swapRateMetrics();
    }

    /** The sampler of PT runs, or null. */
    ParallelTempering tempering() {
        return tempering;
    }

    /** The chains' states at {@code beta = 1} after the last update ({@code chains x sizes[l]}). */
    Tensor chainStates(int l) {
        return chains.x[l];
    }

    /** The centering offsets as they stand (host copies, visible first), or null without centering. */
    List<float[]> centeringOffsets() {
        if (offsets == null) {
            return null;
        }
        List<float[]> out = new ArrayList<>();
        for (Tensor t : offsets) {
            out.add(t.toArray());
        }
        return out;
    }

    @Override
    protected double runEpoch(int epochIndex, BatchDone done) {
        float lr = (float) (stage.rate().applyAsDouble(epochIndex) * rateFactor());
        int[] perm = shuffle.permutation(data.rows());
        sweepsThisEpoch = 0;
        updatesThisEpoch = 0;
        int b = full.rows;
        int nFull = data.rows() / b;
        for (int i = 0; i < nFull; i++) {
            step(full, perm, i * b, lr);
            done.after(i + 1);
        }
        if (tail != null) {
            step(tail, perm, nFull * b, lr);
            done.after(nFull + 1);
        }
        lastEpochSweeps = (double) sweepsThisEpoch / updatesThisEpoch;
        return lr;
    }

    /** The first update of a fresh run: the first minibatch of a fresh order at the first epoch's rate. */
    @Override
    protected boolean firstUpdate() {
        step(full, shuffle.permutation(data.rows()), 0, (float) (stage.rate().applyAsDouble(0) * rateFactor()));
        return true;
    }

    /** Mean number of mean-field sweeps per update in the last epoch. */
    double lastEpochMeanFieldSweeps() {
        return lastEpochSweeps;
    }

    private void step(Batch s, int[] perm, int offset, float lr) {
        backend.gatherRows(data, perm, offset, s.v0);
        gradient(s.v0, s.pass, s.centered);
        update(lr);
    }

    /**
     * The stochastic gradient of one update into {@link #gradientOfWeights}/{@link #gradientOfBias}:
     * mean field on {@code v0}, then {@code k} sweeps of the chains (so the chains move).
     */
    void gradient(Tensor v0, MeanFieldPass pass, Tensor[] centered) {
        sweepsThisEpoch += pass.run(v0, options.meanField());
        updatesThisEpoch++;
        if (tempering != null) {
            tempering.step(options.k(), sampling, swaps);
            for (int l = 0; l <= depth; l++) {
                tempering.coldRows(l, chains.x[l]);
            }
        } else {
            for (int t = 0; t < options.k(); t++) {
                chains.sweep(sampling);
            }
        }
        float pos = 1f / v0.rows();
        float neg = -1f / chains.chains();
        for (int l = 0; l <= depth; l++) {
            backend.columnSums(pass.mu[l], pos, 0f, gradB[l]);
            backend.columnSums(chains.x[l], neg, 1f, gradB[l]);
        }
        Tensor[] posStates = pass.mu;
        Tensor[] negStates = chains.x;
        if (offsets != null) {
            float nu = (float) RbmTrainer.CENTERING_RATE;
            for (int l = 0; l <= depth; l++) {
                // gradB holds mean(data) - mean(model); the offset wants (mean(data) + mean(model)) / 2.
                backend.columnSums(pass.mu[l], nu / v0.rows(), 1f - nu, offsets[l]);
                backend.axpy(-nu / 2, gradB[l], offsets[l]);
                backend.addRowVector(pass.mu[l], offsets[l], -1f, centered[l]);
                backend.addRowVector(chains.x[l], offsets[l], -1f, centeredChains[l]);
            }
            posStates = centered;
            negStates = centeredChains;
        }
        for (int l = 1; l <= depth; l++) {
            backend.gemm(true, false, pos, posStates[l - 1], posStates[l], 0f, gradW[l]);
            backend.gemm(true, false, neg, negStates[l - 1], negStates[l], 1f, gradW[l]);
        }
    }

    /** The centered copies of a batch's mean-field states that {@link #gradient} needs: null without centering. */
    Tensor[] newCenteredStates(int rows) {
        if (offsets == null) {
            return null;
        }
        Tensor[] t = new Tensor[depth + 1];
        for (int l = 0; l <= depth; l++) {
            t[l] = backend.allocate(rows, dbm.sizes()[l]);
        }
        return t;
    }

    /** A new mean-field workspace for {@code rows} rows with this trainer's conditionals. */
    MeanFieldPass newPass(int rows) {
        return new MeanFieldPass(dbm, stage.scales(), rows);
    }

    Tensor gradientOfWeights(int l) {
        return gradW[l];
    }

    Tensor gradientOfBias(int l) {
        return gradB[l];
    }

    /** The step of the gradient {@link #gradient} left, at learning rate {@code lr}. */
    void update(float lr) {
        for (int l = 0; l <= depth; l++) {
            updB[l].step(1f, gradB[l], 0, lr);
            if (l > 0) {
                updW[l].step(1f, gradW[l], options.weightDecay(), lr);
            }
        }
        if (offsets != null) {
            // The weight steps are steps of the centered parameters: carry them over to the ordinary biases.
            for (int l = 1; l <= depth; l++) {
                backend.gemm(false, false, -1f, offsets[l - 1], updW[l].target(), 1f, dbm.bias(l));
                backend.gemm(false, true, -1f, offsets[l], updW[l].target(), 1f, dbm.bias(l - 1));
            }
        }
    }

    @Override
    public int batchesPerEpoch() {
        return batches;
    }

    /**
     * Arrays {@code chains.<l>} and the optimizer's state ({@link ParameterUpdate} under the names {@code W<l>}
     * and {@code b<l>}: momentum SGD's arrays {@code velocity.W<l>} and {@code velocity.b<l>}) for every layer;
     * under PT the replicas {@code tempering.<l>} and the swap counters ({@link ParallelTempering#saveCounts});
     * with centering the offsets {@code centering.offset<l>}.
     */
    @Override
    protected void saveState(TrainingState.Builder s) {
        for (int l = 0; l <= depth; l++) {
            updB[l].save(s);
            s.array("chains." + l, chains.chains(), chains.x[l].cols(), chains.x[l].toArray());
            if (l > 0) {
                updW[l].save(s);
            }
            if (tempering != null) {
                s.array("tempering." + l, tempering.layer(l).rows(), tempering.layer(l).cols(),
                        tempering.layer(l).toArray());
            }
            if (offsets != null) {
                s.array("centering.offset" + l, 1, offsets[l].cols(), offsets[l].toArray());
            }
        }
        if (tempering != null) {
            tempering.saveCounts(s);
        }
    }

    @Override
    protected void restoreState(TrainingState s) {
        float[][] x = new float[depth + 1][];
        for (int l = 0; l <= depth; l++) {
            x[l] = s.array("chains." + l, chains.chains(), chains.x[l].cols());
        }
        for (int l = 0; l <= depth; l++) {
            updB[l].restore(s);
            chains.x[l].copyFrom(x[l]);
            if (l > 0) {
                updW[l].restore(s);
            }
            if (tempering != null) {
                tempering.layer(l).copyFrom(s.array("tempering." + l, tempering.layer(l).rows(),
                        tempering.layer(l).cols()));
            }
            if (offsets != null) {
                offsets[l].copyFrom(s.array("centering.offset" + l, 1, offsets[l].cols()));
            }
        }
        if (tempering != null) {
            tempering.restoreCounts(s);
        }
    }

    @Override
    public void close() {
        // Index 0 of the weight arrays is null (no weights below the visible layer); closeAll skips it.
        Tensor.closeAll(gradB);
        Tensor.closeAll(gradW);
        for (int l = 0; l <= depth; l++) {
            updB[l].close();
            if (l > 0) {
                updW[l].close();
            }
        }
        full.close();
        if (tail != null) {
            tail.close();
        }
        chains.close();
        if (tempering != null) {
            tempering.close();
            tempered.close();
        }
        if (offsets != null) {
            Tensor.closeAll(offsets);
            Tensor.closeAll(centeredChains);
        }
    }

    /** Workspaces of one minibatch shape: the rows and their mean-field posteriors. */
    private final class Batch implements AutoCloseable {
        final int rows;
        final Tensor v0;
        final MeanFieldPass pass;
        /** With centering, the posteriors less the offsets. */
        final Tensor[] centered;

        Batch(int rows) {
            this.rows = rows;
            this.v0 = backend.allocate(rows, dbm.sizes()[0]);
            this.pass = newPass(rows);
            this.centered = newCenteredStates(rows);
        }

        @Override
        public void close() {
            v0.close();
            pass.close();
            if (centered != null) {
                Tensor.closeAll(centered);
            }
        }
    }
}
