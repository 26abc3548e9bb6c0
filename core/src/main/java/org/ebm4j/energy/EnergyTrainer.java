package org.ebm4j.energy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.ebm4j.energy.loss.ContrastiveLoss;
import org.ebm4j.hmc.HmcChains;
import org.ebm4j.hmc.TrajectoryStats;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.EpochTrainer;
import org.ebm4j.train.TrainingState;

/**
 * Learns a {@link TrainableEnergy} by pushing the energy of data down and the energy of negatives
 * up: each update draws a minibatch, samples negatives by HMC on the current model (from the data for
 * CD, from persistent chains otherwise), evaluates the {@link ContrastiveLoss} on both energies,
 * backpropagates its energy derivatives into {@code dL/dtheta} and takes a momentum step with L2
 * weight decay:
 * <pre>
 *   g = dL/dtheta + weightDecay * theta         (decay on weights only)
 *   v = momentum * v - learningRate * g;   theta += v
 * </pre>
 * With the sampled maximum-likelihood loss this is Hinton's rule
 * {@code theta += lr (-dE(data)/dtheta + dE(negative)/dtheta)}. The step size of the negatives'
 * trajectories is nudged after each update toward the target acceptance rate.
 *
 * <p>Data may have missing entries, written {@code NaN} (Hinton's "learning when 10% of the inputs are
 * missing"). Each row then carries a persistent conditional chain ({@link MissingEntries}): before each
 * update the minibatch's missing entries are moved by {@link EnergyOptions#fillTrajectories()}
 * Metropolis-corrected HMC trajectories on {@code p(x_missing | x_observed)} under the current model (the
 * observed entries clamped; the negatives' step size and leapfrog steps), starting where that row's chain
 * stopped (at first: the column's observed mean). The completed rows are the minibatch, so the data term
 * of the gradient is a sample of its expectation over the missing entries, which is the gradient of the
 * observed entries' log-likelihood; CD negatives start from the completed rows.
 *
 * <p>An epoch is one pass over the data in a fresh random order, in full minibatches (a last partial
 * batch is dropped); the run lasts {@link EnergyOptions#updates()} updates, so its last epoch may stop
 * early (see {@link EnergyOptions#epochs(int)}). The data set lives on the backend ({@code N x d}).
 *
 * <p>Random streams, all under {@link EnergyOptions#seed()}: {@link StreamId#ENERGY_SHUFFLE} for the
 * rows that start the negatives' chains (its first draw) and the epoch permutations,
 * {@link StreamId#ENERGY_SAMPLING} for the negatives' HMC, and with missing entries
 * {@link StreamId#ENERGY_FILL} for their conditional HMC. The state saved for a checkpoint: the update
 * count, the adapted step size, the momentum buffers, the chains, the missing entries' current values
 * and the stream positions.
 * Not thread-safe.
 */
public final class EnergyTrainer extends EpochTrainer {
    /** The {@link #kind()} of this trainer, stored with its state. */
    public static final String KIND = "energy";

    private final TrainableEnergy model;
    private final Tensor data;
    private final EnergyOptions options;
    private final ContrastiveLoss loss;
    private final RandomStream rng;
    private final RandomStream shuffle;
    private final Backend backend;
    private final int n;
    private final int k;
    private final int batches;
    private final Tensor batch;
    private final Tensor negativeStart;
    private final HmcChains chains;
    private final Tensor dataWeights;
    private final Tensor negativeWeights;
    private final List<Tensor> grads = new ArrayList<>();
    private final MomentumUpdate update;
    private final int[] repeated;
    private final double[] dataEnergy;
    private final double[] dataGrad;
    private final double[] negativeGrad;
    private final float[] upload;
    private final Tensor energies;
    private final int[] batchRepeated;
    private final MissingEntries missing;
    private final RandomStream fillRng;
    private final EpochSummary summary = new EpochSummary();
    private Consumer<TrainingStep> onStep = s -> { };
    private int[] order;
    private long iteration;
    private double stepSize;

    /**
     * A trainer for {@code model} (its parameters used as they are: initialize a fresh model first) on
     * {@code data} ({@code N x d} on the model's backend, not copied: it must stay open and unchanged
     * while training); its {@code NaN} entries are missing (read once to the host to find them). The
     * model-shape options are not used here; the model is given.
     *
     * @throws IllegalArgumentException when an entry is infinite or a column is missing in every row
     */
    public EnergyTrainer(TrainableEnergy model, Tensor data, EnergyOptions options) {
        super(KIND, Objects.requireNonNull(options, "options").epochs(data.rows()));
        model.checkPositions("EnergyTrainer", data);
        if (data.backend() != model.backend()) {
            throw new IllegalArgumentException("training data is on backend '" + data.backend().name()
                    + "' but the model is on '" + model.backend().name() + "'");
        }
        this.model = model;
        this.data = data;
        this.options = options;
        this.loss = options.contrastiveLoss();
        this.rng = openStream(StreamId.ENERGY_SAMPLING, options.seed(), "sampling");
        this.shuffle = openStream(StreamId.ENERGY_SHUFFLE, options.seed(), "shuffle");
        this.backend = model.backend();
        this.n = options.batchRows(data.rows());
        this.batches = options.updatesPerEpoch(data.rows());
        this.k = options.negativesPerExample();
        int d = model.dimension();
        this.batch = backend.allocate(n, d);
        this.negativeStart = backend.allocate(n * k, d);
        this.dataWeights = backend.allocate(n, 1);
        this.negativeWeights = backend.allocate(n * k, 1);
        for (Tensor p : model.parameters()) {
            grads.add(backend.allocate(p.rows(), p.cols()));
        }
        this.update = new MomentumUpdate(backend, model.parameters(), model.parameterNames(), options.momentum(),
                options.update() == EnergyOptions.Update.SIGN, options.optimizer());
        this.repeated = new int[n * k];
        this.dataEnergy = new double[n];
        this.dataGrad = new double[n];
        this.negativeGrad = new double[n * k];
        this.upload = new float[n * k];
        this.stepSize = options.stepSize();
        this.batchRepeated = new int[n * k];
        for (int i = 0; i < n * k; i++) {
            batchRepeated[i] = i / k;
        }
        this.missing = MissingEntries.of(model, data, n);
        this.fillRng = missing == null ? null : openStream(StreamId.ENERGY_FILL, options.seed(), "fill");
        // Persistent chains start at random data points; CD chains are reset to the batch every update.
        int[] start = shuffle.permutation(data.rows());
        for (int i = 0; i < n * k; i++) {
            repeated[i] = start[i / k];
        }
        if (missing == null) {
            backend.gatherRows(data, repeated, 0, negativeStart);
        } else {
            missing.gather(repeated, 0, negativeStart);
        }
        this.chains = new HmcChains(model, negativeStart);
        this.energies = backend.allocate(n, 1);
    }

    /** Tells {@code listener} about every update from now on (replacing an earlier one). */
    public void onStep(Consumer<TrainingStep> listener) {
        this.onStep = Objects.requireNonNull(listener, "listener");
    }

    public TrainableEnergy model() {
        return model;
    }

    public EnergyOptions options() {
        return options;
    }

    /** The negatives' chains (after an update: the negatives it used). */
    public HmcChains chains() {
        return chains;
    }

    /** The leapfrog step size the next update's negatives will use. */
    public double stepSize() {
        return stepSize;
    }

    /** Updates done so far. */
    public long iteration() {
        return iteration;
    }

    @Override
    protected double runEpoch(int epochIndex, BatchDone done) {
        order = shuffle.permutation(data.rows());
        // The planned run stops at its update count; epochs trained by hand beyond it are full passes.
        int todo = iteration < options.updates() ? (int) Math.min(batches, options.updates() - iteration) : batches;
        summary.reset();
        double lr = options.learningRate() * rateFactor();
        for (int b = 0; b < todo; b++) {
            TrainingStep s;
            try {
                s = step(b * n, lr);
            } catch (Diverged e) {
                // The epoch ends here with a non-finite loss, which TrainingRun rolls back (or reports as the
                // failure once the rollbacks are used up).
                summary.diverged(e.getMessage());
                break;
            }
            summary.add(s);
            onStep.accept(s);
            done.after(b + 1);
        }
        return lr;
    }

    /** The first update of a fresh run, on the first minibatch of a fresh order. */
    @Override
    protected boolean firstUpdate() {
        order = shuffle.permutation(data.rows());
        step(0, options.learningRate() * rateFactor());
        return true;
    }

    /** A non-finite loss or energy in an update: the run diverged there. */
    private static final class Diverged extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Diverged(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The last epoch's means over its updates of the loss, data and negative energies and acceptance,
     * its divergent trajectories, and the step size the next update will use.
     */
    public Map<String, Double> epochMetrics() {
        return summary.metrics(stepSize);
    }

    // One parameter update on the minibatch at `base` in the epoch's order.
    private TrainingStep step(int base, double learningRate) {
        if (missing == null) {
            backend.gatherRows(data, order, base, batch);
        } else {
            try {
                summary.addFill(missing.fill(order, base, batch, (float) stepSize, options.leapfrogSteps(),
                        options.fillTrajectories(), fillRng));
            } catch (IllegalStateException e) {
                throw new Diverged("training diverged at update " + iteration + " while filling in"
                        + " missing entries: " + e.getMessage() + "; lower the learning rate or raise the weight decay",
                        e);
            }
        }
        if (options.negatives() == NegativeSampling.CD) {
            backend.gatherRows(batch, batchRepeated, 0, negativeStart);
            chains.setPositions(negativeStart);
        } else {
            chains.energyChanged();
        }
        double acceptance = 0;
        int divergent = 0;
        double usedStep = stepSize;
        double[] negativeEnergy;
        try {
            for (int t = 0; t < options.trajectories(); t++) {
                TrajectoryStats s = options.metropolis()
                        ? chains.transition((float) stepSize, options.leapfrogSteps(), rng)
                        : chains.transitionUncorrected((float) stepSize, options.leapfrogSteps(), rng);
                acceptance += s.meanAcceptProbability();
                divergent += s.divergent();
            }
            negativeEnergy = chains.potentials();
        } catch (IllegalStateException e) {
            throw new Diverged("training diverged at update " + iteration + ": " + e.getMessage()
                    + "; lower the learning rate or raise the weight decay", e);
        }
        acceptance /= options.trajectories();
        energiesOf(batch, dataEnergy);
        double meanLoss = loss.evaluate(dataEnergy, negativeEnergy, k, dataGrad, negativeGrad) / n;
        if (!Double.isFinite(meanLoss)) {
            throw new Diverged("training diverged at update " + iteration + ": the loss is " + meanLoss
                    + " (data energies like " + dataEnergy[0] + "); lower the learning rate or raise the weight decay",
                    null);
        }
        uploadScaled(dataGrad, dataWeights);
        uploadScaled(negativeGrad, negativeWeights);
        for (Tensor g : grads) {
            backend.fill(g, 0f);
        }
        model.accumulateParameterGradient(batch, dataWeights, grads);
        model.accumulateParameterGradient(chains.positions(), negativeWeights, grads);
        update.apply(model.parameters(), grads, model::decays, options.weightDecay(), learningRate,
                options.maxGradientNorm());
        model.parametersChanged();
        chains.energyChanged();
        if (options.adaptStepSize()) {
            // Multiplicative nudge: about 5% per update at the extremes, none at the target.
            stepSize *= Math.exp(0.05 * (acceptance - options.targetAccept()) / Math.max(options.targetAccept(),
                    1 - options.targetAccept()));
            stepSize = Math.min(Math.max(stepSize, 1e-5), 10);
        }
        double meanData = 0;
        for (double e : dataEnergy) {
            meanData += e;
        }
        double meanNeg = 0;
        for (double e : negativeEnergy) {
            meanNeg += e;
        }
        return new TrainingStep(iteration++, meanLoss, meanData / n, meanNeg / negativeEnergy.length, acceptance,
                divergent, usedStep);
    }

    @Override
    public int batchesPerEpoch() {
        return batches;
    }

    /**
     * Counters {@code iteration} and {@code step_size} (raw bits; the streams' positions are
     * {@code sampling_draw} and {@code shuffle_draw}); arrays {@code velocity.NAME} per parameter and
     * {@code chains} (the negatives' positions, which persistent chains continue from).
     */
    @Override
    protected void saveState(TrainingState.Builder s) {
        s.counter("step_size", stepSize);
        update.save(s, model.parameterNames(), iteration);
        Tensor q = chains.positions();
        s.array("chains", q.rows(), q.cols(), q.toArray());
        if (missing != null) {
            missing.save(s);
        }
    }

    @Override
    protected void restoreState(TrainingState s) {
        float[] q = s.array("chains", n * k, model.dimension());
        double step = Double.longBitsToDouble(s.counter("step_size"));
        if (missing != null) {
            missing.restore(s);
        }
        long it = update.restore(s, model.parameterNames());
        try (Tensor t = backend.fromArray(q, n * k, model.dimension())) {
            chains.setPositions(t);
        }
        iteration = it;
        stepSize = step;
    }

    private void energiesOf(Tensor x, double[] out) {
        model.energy(x, energies);
        energies.copyTo(upload, 0);
        for (int i = 0; i < out.length; i++) {
            out[i] = upload[i];
        }
    }

    // Loss derivatives of the summed loss, divided by the batch size (the loss is a batch mean).
    private void uploadScaled(double[] g, Tensor target) {
        for (int i = 0; i < g.length; i++) {
            upload[i] = (float) (g[i] / n);
        }
        target.copyFrom(upload, 0);
    }

    @Override
    public void close() {
        chains.close();
        for (Tensor t : new Tensor[] {batch, negativeStart, dataWeights, negativeWeights, energies}) {
            t.close();
        }
        grads.forEach(Tensor::close);
        update.close();
        if (missing != null) {
            missing.close();
        }
    }

    /** Sums over one epoch's updates, for its report. */
    private static final class EpochSummary {
        private int updates;
        private double loss;
        private double dataEnergy;
        private double negativeEnergy;
        private double acceptance;
        private long divergent;
        private int fills;
        private double fillAcceptance;
        private String diverged;

        void reset() {
            diverged = null;
            fills = 0;
            fillAcceptance = 0;
            updates = 0;
            loss = 0;
            dataEnergy = 0;
            negativeEnergy = 0;
            acceptance = 0;
            divergent = 0;
        }

        void add(TrainingStep s) {
            updates++;
            loss += s.loss();
            dataEnergy += s.dataEnergy();
            negativeEnergy += s.negativeEnergy();
            acceptance += s.acceptance();
            divergent += s.divergent();
        }

        void diverged(String reason) {
            diverged = reason;
        }

        void addFill(double acceptance) {
            fills++;
            fillAcceptance += acceptance;
        }

        Map<String, Double> metrics(double nextStepSize) {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("loss", diverged != null ? Double.NaN : loss / updates);
            m.put("data_energy", dataEnergy / updates);
            m.put("negative_energy", negativeEnergy / updates);
            m.put("acceptance", acceptance / updates);
            m.put("divergent", (double) divergent);
            m.put("step_size", nextStepSize);
            if (fills > 0) {
                m.put("fill_acceptance", fillAcceptance / fills);
            }
            return m;
        }
    }
}
