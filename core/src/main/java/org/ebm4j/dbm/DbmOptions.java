package org.ebm4j.dbm;

import static org.ebm4j.train.OptionCodec.INT;
import static org.ebm4j.train.OptionCodec.LONG;
import static org.ebm4j.train.OptionCodec.REAL;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.ebm4j.data.Binarization;
import org.ebm4j.rbm.LearningRateSchedule;
import org.ebm4j.train.OptionCodec;
import org.ebm4j.train.OptionTable;
import org.ebm4j.train.OptionsBuilder;
import org.ebm4j.train.OptionsRecord;
import org.ebm4j.train.SettingChecks;

/**
 * Everything that determines a DBM trained by {@link Dbm#fit} (with the data, the backend and its
 * thread count). Immutable; build with {@link #builder()}, whose defaults are those of
 * {@code ebm dbm train}. Stored in a model's provenance as {@code option.*} ({@link #toMap()}).
 *
 * <p>Training has two phases. Greedy pretraining trains, bottom first, one RBM per pair of
 * neighbouring layers for {@code pretrainEpochs} epochs with the doubled-input correction (see
 * {@link LayerScales}), each on the previous RBM's upward hidden probabilities; then joint training
 * runs {@code epochs} epochs of stochastic gradient ascent on the variational bound: the positive
 * statistics from the {@link MeanField} posterior of the minibatch, the negative ones from
 * {@code chains} persistent Gibbs chains advanced {@code k} sweeps per update. Both phases use
 * {@code vel = momentum * vel + lr * (grad - weightDecay * W)}, {@code param += vel}.
 *
 * @param hidden         hidden layer sizes, bottom first: 2 or 3 layers
 * @param binarization   how the data become binary; applied to the data the model is given later too
 * @param pretrainEpochs epochs of each layer's RBM ({@code 0}: no pretraining, weights from {@code N(0, initWeightStd^2)})
 * @param pretrainLearningRate learning rate of pretraining
 * @param epochs         joint-training epochs
 * @param learningRate   joint-training base learning rate
 * @param schedule       joint-training learning rate per epoch
 * @param momentum       in {@code [0, 1)}, both phases
 * @param weightDecay    L2 coefficient on the weights ({@code >= 0}; biases are not decayed), both phases
 * @param batchSize      examples per update, both phases
 * @param chains         persistent Gibbs chains, both phases (independent of the batch size)
 * @param k              Gibbs sweeps of the chains per update
 * @param meanField      the positive phase's mean-field inference
 * @param seed           seed of every random stream
 * @param initWeightStd  standard deviation of the initial weights
 * @param metricsEvery   report the per-epoch metrics every this many epochs (and after the last)
 */
public record DbmOptions(List<Integer> hidden, Binarization binarization, int pretrainEpochs,
                         double pretrainLearningRate, int epochs, double learningRate, LearningRateSchedule schedule,
                         double momentum, double weightDecay, int batchSize, int chains, int k, MeanField meanField,
                         long seed, double initWeightStd, int metricsEvery)
        implements OptionsRecord<DbmOptions, DbmOptions.Builder> {

    /** The fewest and the most hidden layers. */
    public static final int MIN_DEPTH = 2;
    public static final int MAX_DEPTH = 3;

    public DbmOptions {
        SettingChecks.notNull("hidden", hidden);
        hidden = List.copyOf(hidden);
        if (hidden.size() < MIN_DEPTH || hidden.size() > MAX_DEPTH) {
            throw new IllegalArgumentException("hidden must hold " + MIN_DEPTH + " or " + MAX_DEPTH
                    + " layer sizes, found " + hidden.size() + " " + hidden);
        }
        for (int i = 0; i < hidden.size(); i++) {
            SettingChecks.atLeast("hidden size of layer " + (i + 1), hidden.get(i), 1);
        }
        SettingChecks.notNull("binarization", binarization);
        SettingChecks.atLeast("pretrain_epochs", pretrainEpochs, 0);
        SettingChecks.positiveFinite("pretrain_lr", pretrainLearningRate);
        SettingChecks.atLeast("epochs", epochs, 1);
        SettingChecks.positiveFinite("lr (learning rate)", learningRate);
        if (schedule == null) {
            schedule = LearningRateSchedule.constant();
        }
        SettingChecks.inRange("momentum", momentum, 0, false, 1, false);
        SettingChecks.nonNegativeFinite("weight_decay", weightDecay);
        SettingChecks.atLeast("batch", batchSize, 1);
        SettingChecks.atLeast("chains", chains, 1);
        SettingChecks.atLeast("k (Gibbs sweeps per update)", k, 1);
        SettingChecks.notNull("mean_field", meanField);
        SettingChecks.nonNegativeFinite("init_std (initial weight std)", initWeightStd);
        SettingChecks.atLeast("metrics_every", metricsEvery, 1);
    }

    private static final OptionCodec<Binarization> BINARIZATION = OptionCodec.of(Binarization::toString,
            v -> Binarization.parse(v, 0L));
    private static final OptionCodec<List<Integer>> INTS = OptionCodec.list(Integer::valueOf);

    private static final OptionTable<DbmOptions, Builder> FIELDS = OptionTable.<DbmOptions, Builder>ofModel("DBM")
            .add("hidden", INTS, DbmOptions::hidden, (b, v) -> b.hidden = v)
            .add("binarization", BINARIZATION, DbmOptions::binarization, Builder::binarization)
            .add("pretrain_epochs", INT, DbmOptions::pretrainEpochs, Builder::pretrainEpochs)
            .add("pretrain_lr", REAL, DbmOptions::pretrainLearningRate, Builder::pretrainLearningRate)
            .add("epochs", INT, DbmOptions::epochs, Builder::epochs)
            .add("lr", REAL, DbmOptions::learningRate, Builder::learningRate)
            .add("lr_schedule", LearningRateSchedule.CODEC, DbmOptions::schedule, Builder::schedule)
            .add("momentum", REAL, DbmOptions::momentum, Builder::momentum)
            .add("weight_decay", REAL, DbmOptions::weightDecay, Builder::weightDecay)
            .add("batch", INT, DbmOptions::batchSize, Builder::batchSize)
            .add("chains", INT, DbmOptions::chains, Builder::chains)
            .add("k", INT, DbmOptions::k, Builder::k)
            .add("mf_tolerance", REAL, o -> o.meanField().tolerance(), (b, v) -> b.mfTolerance = v)
            .add("mf_iterations", INT, o -> o.meanField().maxIterations(), (b, v) -> b.mfIterations = v)
            .add("mf_damping", REAL, o -> o.meanField().damping(), (b, v) -> b.mfDamping = v)
            .add("seed", LONG, DbmOptions::seed, Builder::seed)
            .add("init_std", REAL, DbmOptions::initWeightStd, Builder::initWeightStd)
            .add("metrics_every", INT, DbmOptions::metricsEvery, Builder::metricsEvery)
            .build(Builder::new, Builder::create);

    @Override
    public OptionTable<DbmOptions, Builder> optionTable() {
        return FIELDS;
    }

    /** Reads {@link #toMap()} back; a missing, unknown or malformed entry is an error naming it. */
    public static DbmOptions fromMap(Map<String, String> m) {
        return FIELDS.fromMap(m);
    }

    /** Number of hidden layers. */
    public int depth() {
        return hidden.size();
    }

    /** The layer sizes of a DBM on data of {@code inputs} columns: {@code inputs}, then the hidden sizes. */
    public int[] sizes(int inputs) {
        int[] s = new int[hidden.size() + 1];
        s[0] = inputs;
        for (int i = 0; i < hidden.size(); i++) {
            s[i + 1] = hidden.get(i);
        }
        return s;
    }

    /** The joint-training rate during {@code epoch} (0-based). */
    public double learningRate(int epoch) {
        return schedule.rate(learningRate, epoch, epochs);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Mutable builder with the defaults of {@code ebm dbm train}: the 500-1000 hidden layers of
     * Salakhutdinov and Hinton's MNIST DBM, binarization at 0.5, 2 pretraining epochs per layer at
     * rate 0.05, 5 joint epochs at a constant rate 0.005, momentum 0.5, weight decay 0.0002, batch 100,
     * 100 chains with 1 sweep per update, mean field to an RMS change of 0.001 or 10 sweeps without
     * damping, seed 1, initial weights N(0, 0.01^2), metrics after every epoch.
     */
    public static final class Builder extends OptionsBuilder<DbmOptions, Builder> {
        private List<Integer> hidden = List.of(500, 1000);
        private Binarization binarization = Binarization.fixed(0.5f);
        private int pretrainEpochs = 2;
        private double pretrainLearningRate = 0.05;
        private int epochs = 5;
        private double learningRate = 0.005;
        private LearningRateSchedule schedule = LearningRateSchedule.constant();
        private double momentum = 0.5;
        private double weightDecay = 0.0002;
        private int batchSize = 100;
        private int chains = 100;
        private int k = 1;
        private double mfTolerance = 1e-3;
        private int mfIterations = 10;
        private double mfDamping = 0.0;
        private long seed = 1L;
        private double initWeightStd = 0.01;
        private int metricsEvery = 1;

        public Builder() {
            super(FIELDS);
        }

        private DbmOptions create() {
            return new DbmOptions(hidden, binarization, pretrainEpochs, pretrainLearningRate, epochs, learningRate,
                    schedule, momentum, weightDecay, batchSize, chains, k,
                    new MeanField(mfTolerance, mfIterations, mfDamping), seed, initWeightStd, metricsEvery);
        }

        /** Hidden layer sizes, bottom first. */
        public Builder hidden(int... sizes) {
            hidden = Arrays.stream(sizes).boxed().toList();
            return this;
        }

        public Builder binarization(Binarization v) {
            binarization = v;
            return this;
        }

        public Builder pretrainEpochs(int v) {
            pretrainEpochs = v;
            return this;
        }

        public Builder pretrainLearningRate(double v) {
            pretrainLearningRate = v;
            return this;
        }

        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        public Builder learningRate(double v) {
            learningRate = v;
            return this;
        }

        public Builder schedule(LearningRateSchedule v) {
            schedule = v;
            return this;
        }

        public Builder momentum(double v) {
            momentum = v;
            return this;
        }

        public Builder weightDecay(double v) {
            weightDecay = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder chains(int v) {
            chains = v;
            return this;
        }

        public Builder k(int v) {
            k = v;
            return this;
        }

        /** The mean-field settings of the positive phase. */
        public Builder meanField(MeanField v) {
            mfTolerance = v.tolerance();
            mfIterations = v.maxIterations();
            mfDamping = v.damping();
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder initWeightStd(double v) {
            initWeightStd = v;
            return this;
        }

        public Builder metricsEvery(int v) {
            metricsEvery = v;
            return this;
        }
    }
}
