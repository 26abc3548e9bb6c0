package org.ebm4j.boltzmann;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.EpochTrainer;
import org.ebm4j.train.Minibatches;
import org.ebm4j.train.Optimizer;
import org.ebm4j.train.ParameterUpdate;
import org.ebm4j.train.TrainingState;

/**
 * Maximum-likelihood learning for a {@link BoltzmannMachine}, the rule of Ackley, Hinton and
 * Sejnowski (1985): {@code dW = <s s^T>_data - <s s^T>_model} (zero diagonal) and
 * {@code db = <s>_data - <s>_model}. The data term comes from one chain per data vector with the
 * visible units clamped to it and the hidden units Gibbs-sampled; the model term from free-running
 * chains, persistent across updates or restarted from the data chains ({@link BoltzmannOptions#persistent()}).
 * Updates use the options' {@link Optimizer} with optional weight decay on the weights (not the biases):
 * momentum SGD {@code vel = momentum * vel + lr * (grad - weightDecay * W)}, then {@code param += vel}, or
 * Adam on {@code grad - weightDecay * W} ({@link ParameterUpdate}); the learning rate is the options' rate of
 * the epoch times {@link #rateFactor()} (halved by divergence rollbacks).
 *
 * <p>One epoch is one pass over the data in a fresh seeded order: the rows of a permutation, in
 * batches of {@code batchSize} (at most the number of rows) and a last, smaller batch when the size
 * does not divide the rows, so every row is used exactly once per epoch. Everything runs on the
 * machine's backend; the workspaces of both batch sizes are allocated once, here.
 *
 * <p>Random streams (all under {@link BoltzmannOptions#seed()}): {@link StreamId#BM_SHUFFLE} for the
 * epoch permutations, {@link StreamId#BM_SAMPLING} for every Gibbs sweep and chain start. Same seed,
 * backend and thread count give identical parameters, resumed or not.
 */
public final class BoltzmannTrainer extends EpochTrainer {
    /** The {@link #kind()} of this trainer, stored with its state. */
    public static final String KIND = "bm";

    private final BoltzmannMachine machine;
    private final BoltzmannOptions options;
    private final Tensor data;
    private final GibbsSampler sampler;
    private final Backend backend;
    private final int n;
    private final Minibatches split;
    private final RandomStream sampling;
    private final RandomStream shuffle;

    private final Tensor visibleSelector;
    private final Map<Integer, DataPhase> phases = new HashMap<>();
    private final DataPhase full;
    private final NetworkChains modelChains;
    private final Tensor gradW;
    private final Tensor gradB;
    private final ParameterUpdate updW;
    private final ParameterUpdate updB;
    private boolean modelChainsStarted;

    /**
     * A trainer for {@code machine} on {@code data} ({@code D x visible} unit values on the machine's
     * backend, not copied: it must stay open and unchanged while training). The machine's parameters
     * are used as they are; {@link BoltzmannMachine#fit} initializes them first. {@code options} must
     * describe the machine's shape ({@code visible} may be 0).
     */
    public BoltzmannTrainer(BoltzmannMachine machine, BoltzmannOptions options, Tensor data) {
        super(KIND, Objects.requireNonNull(options, "options").epochs());
        this.machine = Objects.requireNonNull(machine, "machine");
        this.options = options;
        this.data = Objects.requireNonNull(data, "data");
        this.backend = machine.backend();
        checkShape(machine, options, data);
        this.sampler = new GibbsSampler(machine);
        this.n = machine.size();
        this.split = Minibatches.of(data.rows(), options.batchSize());
        this.sampling = openStream(StreamId.BM_SAMPLING, options.seed(), "sampling");
        this.shuffle = openStream(StreamId.BM_SHUFFLE, options.seed(), "shuffle");
        int v = machine.visible();
        float[] select = new float[v * n];
        for (int i = 0; i < v; i++) {
            select[i * n + i] = 1f;
        }
        this.visibleSelector = backend.fromArray(select, v, n);
        this.full = phase(split.size());
        split.tail(this::phase);
        this.modelChains = options.persistent() ? NetworkChains.allocate(machine.couplings(), options.modelChains()) : null;
        this.gradW = backend.allocate(n, n);
        this.gradB = backend.allocate(1, n);
        this.updW = options.optimizer().update(machine.couplings().weights(), "W", options.momentum());
        this.updB = options.optimizer().update(machine.couplings().bias(), "bias", options.momentum());
    }

    private static void checkShape(BoltzmannMachine machine, BoltzmannOptions options, Tensor data) {
        if (data.backend() != machine.backend()) {
            throw new IllegalArgumentException("training data is on backend '" + data.backend().name()
                    + "' but the machine is on '" + machine.backend().name() + "'");
        }
        if (data.cols() != machine.visible()) {
            throw new IllegalArgumentException("data has " + data.cols() + " columns but the machine has "
                    + machine.visible() + " visible units");
        }
        if ((options.visible() != 0 && options.visible() != machine.visible()) || options.hidden() != machine.hidden()
                || options.units() != machine.unitValues()) {
            throw new IllegalArgumentException("options describe a machine of " + options.visible() + " visible, "
                    + options.hidden() + " hidden " + options.units() + " units but the machine is " + machine);
        }
    }

    /** Updates per epoch: {@code ceil(D / batchSize)}. */
    @Override
    public int batchesPerEpoch() {
        return split.count();
    }

    @Override
    protected double runEpoch(int epochIndex, BatchDone done) {
        double lr = options.learningRate(epochIndex) * rateFactor();
        int[] order = shuffle.permutation(data.rows());
        split.forEach(split.size(), split.tail(rows -> rows), (rows, k, offset) -> update(order, offset, rows, lr),
                done::after);
        return lr;
    }

    /**
     * One update, at the learning rate of the next epoch, from the {@code count} data rows
     * {@code rows[offset .. offset + count)}: how an epoch proceeds, batch by batch, for a caller that
     * chooses the batches itself. A batch size other than the epoch's two allocates its workspaces
     * the first time.
     */
    public void step(int[] rows, int offset, int count) {
        update(rows, offset, count, options.learningRate(epochsDone()) * rateFactor());
    }

    /** The first update of a fresh run, as its first epoch takes it: for the up-front rate check. */
    @Override
    protected boolean firstUpdate() {
        int[] order = shuffle.permutation(data.rows());
        update(order, 0, split.size(), options.learningRate(0) * rateFactor());
        return true;
    }

    private void update(int[] rows, int offset, int count, double learningRate) {
        gradient(rows, offset, count, false);
        float lr = (float) learningRate;
        updW.step(1f, gradW, options.weightDecay(), lr);
        updB.step(1f, gradB, 0, lr);
    }

    /**
     * The sampled log-likelihood gradient for the {@code count} data rows {@code rows[offset .. offset + count)}:
     * writes {@code dW} ({@code n x n}, zero diagonal) and {@code db} ({@code 1 x n}) into the trainer's
     * gradient tensors, advancing the chains and the sampling stream as an update does, and returns them
     * as {@link Moments} (a host copy) when {@code toHost} is set, else null.
     */
    public Moments gradient(int[] rows, int offset, int count, boolean toHost) {
        if (rows == null || offset < 0 || count < 1 || offset + count > rows.length) {
            throw new IllegalArgumentException("a batch of " + count + " rows from offset " + offset + " must lie inside "
                    + "the row list of " + (rows == null ? "null" : rows.length + " entries"));
        }
        DataPhase p = phase(count);
        backend.gatherRows(data, rows, offset, p.visible);
        Tensor ds = p.chains.state();
        backend.gemm(false, false, 1f, p.visible, visibleSelector, 0f, ds);
        UnitValues units = machine.unitValues();
        if (machine.hidden() > 0) {
            backend.sampler().fillUniform(p.noise, sampling);
            backend.threshold(p.noise, 0.5f, units.low(), units.high(), p.noise);
            backend.mul(p.noise, p.hiddenMask, p.noise);
            backend.add(ds, p.noise, ds);
        }
        p.chains.refreshField();
        if (machine.hidden() > 0) {
            for (int k = 0; k < options.dataSweeps(); k++) {
                sampler.sweepHidden(p.chains, 1.0, sampling);
            }
        }
        backend.gemm(true, false, 1f / count, ds, ds, 0f, gradW);
        backend.columnSums(ds, 1f / count, 0f, gradB);

        NetworkChains model;
        if (modelChains != null) {
            model = modelChains;
            if (!modelChainsStarted) {
                sampler.randomize(model, sampling);
                modelChainsStarted = true;
            } else {
                model.refreshField();
            }
        } else {
            model = p.chains;
        }
        for (int k = 0; k < options.modelSweeps(); k++) {
            sampler.sweep(model, 1.0, null, sampling);
        }
        Tensor ms = model.state();
        backend.gemm(true, false, -1f / ms.rows(), ms, ms, 1f, gradW);
        backend.columnSums(ms, -1f / ms.rows(), 1f, gradB);
        machine.couplings().zeroDiagonal(gradW);
        if (!toHost) {
            return null;
        }
        float[] w = gradW.toArray();
        float[] bb = gradB.toArray();
        double[] pw = new double[n * n];
        double[] pb = new double[n];
        for (int i = 0; i < pw.length; i++) {
            pw[i] = w[i];
        }
        for (int i = 0; i < n; i++) {
            pb[i] = bb[i];
        }
        return new Moments(n, pw, pb);
    }

    private DataPhase phase(int rows) {
        if (full != null && rows == full.rows) {
            return full;
        }
        if (rows > data.rows()) {
            throw new IllegalArgumentException("a batch of " + rows + " rows exceeds the " + data.rows() + " data rows");
        }
        return phases.computeIfAbsent(rows, DataPhase::new);
    }

    /**
     * Counter {@code model_chains_started} (0 or 1; the streams' positions are {@code sampling_draw} and {@code shuffle_draw});
     * the optimizer's state ({@link ParameterUpdate}: momentum SGD's arrays {@code velocity.W} and {@code velocity.bias},
     * or Adam's moments) and, for persistent chains, the array {@code chains}.
     */
    @Override
    protected void saveState(TrainingState.Builder s) {
        s.counter("model_chains_started", modelChainsStarted ? 1L : 0L);
        updW.save(s);
        updB.save(s);
        if (modelChains != null) {
            s.array("chains", modelChains.chains(), n, modelChains.state().toArray());
        }
    }

    @Override
    protected void restoreState(TrainingState s) {
        if (s.hasArray("chains") != (modelChains != null)) {
            throw new IllegalArgumentException("training state " + (s.hasArray("chains") ? "has" : "lacks")
                    + " persistent chains but the run " + (modelChains != null ? "keeps" : "restarts") + " its model chains");
        }
        float[] c = modelChains == null ? null : s.array("chains", modelChains.chains(), n);
        boolean started = s.counter("model_chains_started") != 0;
        updW.restore(s);
        updB.restore(s);
        if (c != null) {
            modelChains.load(c);
        }
        modelChainsStarted = started;
    }

    @Override
    public void close() {
        visibleSelector.close();
        phases.values().forEach(DataPhase::close);
        phases.clear();
        if (modelChains != null) {
            modelChains.close();
        }
        gradW.close();
        gradB.close();
        updW.close();
        updB.close();
    }

    /** The workspaces of the data term for one batch size: the batch, its clamped chains and their noise. */
    private final class DataPhase implements AutoCloseable {
        final int rows;
        final Tensor visible;
        final Tensor hiddenMask;
        final Tensor noise;
        final NetworkChains chains;

        DataPhase(int rows) {
            this.rows = rows;
            int v = machine.visible();
            this.visible = backend.allocate(rows, v);
            float[] mask = new float[rows * n];
            for (int r = 0; r < rows; r++) {
                for (int j = v; j < n; j++) {
                    mask[r * n + j] = 1f;
                }
            }
            this.hiddenMask = backend.fromArray(mask, rows, n);
            this.noise = backend.allocate(rows, n);
            this.chains = NetworkChains.allocate(machine.couplings(), rows);
        }

        @Override
        public void close() {
            visible.close();
            hiddenMask.close();
            noise.close();
            chains.close();
        }
    }
}
