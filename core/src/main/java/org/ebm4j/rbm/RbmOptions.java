package org.ebm4j.rbm;

import static org.ebm4j.train.OptionCodec.BOOL;
import static org.ebm4j.train.OptionCodec.INT;
import static org.ebm4j.train.OptionCodec.LONG;
import static org.ebm4j.train.OptionCodec.REAL;

import java.util.Locale;
import java.util.Map;
import org.ebm4j.data.Binarization;
import org.ebm4j.train.OptionCodec;
import org.ebm4j.train.OptionTable;
import org.ebm4j.train.OptionsBuilder;
import org.ebm4j.train.OptionsRecord;
import org.ebm4j.train.SettingChecks;

/**
 * Everything that determines an RBM trained by {@link Rbm#fit} (with the data, the backend and its
 * thread count): the model's shape, the data preprocessing, the training hyper-parameters, the seed
 * and the metrics cadence. Immutable; build with {@link #builder()}, whose defaults are those of
 * {@code ebm rbm train}. Stored in a model's provenance as {@code option.*} ({@link #toMap()}).
 *
 * <p>{@link RbmTrainer} reads only the training fields ({@code method} to {@code initWeightStd}):
 * it trains a model whose shape is given, on data already preprocessed, so a DBN builds one
 * {@code RbmOptions} per layer and leaves the model and data fields at their defaults.
 *
 * @param hidden         hidden units
 * @param visibleType    Bernoulli or Gaussian visible units
 * @param standardize    standardize every column to mean 0 and std 1 with the training rows'
 *                       statistics (stored with the model and applied to the data it is given later)
 * @param binarization   how values become binary (after standardization); applied to the data the
 *                       model is given later too
 * @param holdout        rows held out for the per-epoch metrics (see {@link org.ebm4j.data.HoldOut}); 0 for none
 * @param method         CD or PCD
 * @param k              Gibbs steps per update ({@code >= 1})
 * @param chains         persistent chains (PCD only), independent of the batch size
 * @param learningRate   base learning rate ({@code > 0})
 * @param schedule       learning rate per epoch (constant unless asked otherwise)
 * @param momentum       in {@code [0, 1)}: {@code vel = momentum * vel + lr * grad}
 * @param weightDecay    L2 coefficient on the weights ({@code >= 0}; biases are not decayed)
 * @param sparsityTarget target mean hidden activation in (0, 1), or NaN for none
 * @param sparsityCost   weight of the sparsity penalty's gradient, in {@code [0, 1)}
 * @param batchSize      examples per update
 * @param epochs         passes over the data
 * @param seed           seed of every random stream (initialization, chains, shuffling, sampling)
 * @param initWeightStd  standard deviation of the initial weights
 * @param metricsEvery   evaluate the per-epoch metrics every this many epochs (and after the last)
 */
public record RbmOptions(int hidden, VisibleType visibleType, boolean standardize, Binarization binarization,
                         int holdout, TrainingMethod method, int k, int chains, double learningRate,
                         LearningRateSchedule schedule, double momentum, double weightDecay, double sparsityTarget,
                         double sparsityCost, int batchSize, int epochs, long seed, double initWeightStd,
                         int metricsEvery)
        implements OptionsRecord<RbmOptions, RbmOptions.Builder> {

    public RbmOptions {
        SettingChecks.atLeast("hidden", hidden, 1);
        SettingChecks.notNull("visible_type", visibleType);
        SettingChecks.notNull("binarization", binarization);
        SettingChecks.atLeast("holdout", holdout, 0);
        SettingChecks.notNull("method", method);
        if (schedule == null) {
            schedule = LearningRateSchedule.constant();
        }
        SettingChecks.atLeast("k (Gibbs steps per update)", k, 1);
        SettingChecks.atLeast("chains", chains, 1);
        SettingChecks.positiveFinite("lr (learning rate)", learningRate);
        SettingChecks.inRange("momentum", momentum, 0, false, 1, false);
        SettingChecks.nonNegativeFinite("weight_decay", weightDecay);
        if (!Double.isNaN(sparsityTarget)) {
            SettingChecks.inRange("sparsity_target", sparsityTarget, 0, true, 1, false);
        }
        SettingChecks.inRange("sparsity_cost", sparsityCost, 0, false, 1, false);
        if (sparsityCost > 0 && Double.isNaN(sparsityTarget)) {
            throw new IllegalArgumentException("sparsity_cost " + sparsityCost + " needs a sparsity_target in (0, 1); "
                    + "without one the penalty has nothing to pull towards");
        }
        SettingChecks.atLeast("batch", batchSize, 1);
        SettingChecks.atLeast("epochs", epochs, 1);
        SettingChecks.nonNegativeFinite("init_std (initial weight std)", initWeightStd);
        SettingChecks.atLeast("metrics_every", metricsEvery, 1);
    }

    private static final OptionCodec<Binarization> BINARIZATION = OptionCodec.of(Binarization::toString,
            v -> Binarization.parse(v, 0L));

    private static final OptionTable<RbmOptions, Builder> FIELDS = OptionTable.<RbmOptions, Builder>ofModel("RBM")
            .add("hidden", INT, RbmOptions::hidden, Builder::hidden)
            .add("visible_type", VisibleType.CODEC, RbmOptions::visibleType, Builder::visibleType)
            .add("standardize", BOOL, RbmOptions::standardize, Builder::standardize)
            .add("binarization", BINARIZATION, RbmOptions::binarization, Builder::binarization)
            .add("holdout", INT, RbmOptions::holdout, Builder::holdout)
            .add("method", TrainingMethod.CODEC, RbmOptions::method, Builder::method)
            .add("k", INT, RbmOptions::k, Builder::k)
            .add("chains", INT, RbmOptions::chains, Builder::chains)
            .add("lr", REAL, RbmOptions::learningRate, Builder::learningRate)
            .add("lr_schedule", LearningRateSchedule.CODEC, RbmOptions::schedule, Builder::schedule)
            .add("momentum", REAL, RbmOptions::momentum, Builder::momentum)
            .add("weight_decay", REAL, RbmOptions::weightDecay, Builder::weightDecay)
            .add("sparsity_target", REAL, RbmOptions::sparsityTarget, (b, v) -> b.sparsityTarget = v)
            .add("sparsity_cost", REAL, RbmOptions::sparsityCost, (b, v) -> b.sparsityCost = v)
            .add("batch", INT, RbmOptions::batchSize, Builder::batchSize)
            .add("epochs", INT, RbmOptions::epochs, Builder::epochs)
            .add("seed", LONG, RbmOptions::seed, Builder::seed)
            .add("init_std", REAL, RbmOptions::initWeightStd, Builder::initWeightStd)
            .add("metrics_every", INT, RbmOptions::metricsEvery, Builder::metricsEvery)
            .build(Builder::new, RbmOptions::fromBuilder);

    @Override
    public OptionTable<RbmOptions, Builder> optionTable() {
        return FIELDS;
    }

    /** Reads {@link #toMap()} back; a missing, unknown or malformed entry is an error naming it. */
    public static RbmOptions fromMap(Map<String, String> m) {
        return FIELDS.fromMap(m);
    }

    public boolean hasSparsity() {
        return !Double.isNaN(sparsityTarget) && sparsityCost > 0;
    }

    /** The rate used during {@code epoch} (0-based). */
    public double learningRate(int epoch) {
        return schedule.rate(learningRate, epoch, epochs);
    }

    /** Standardization for Gaussian visibles only, and binarization at 0.5 for Bernoulli ones, unless given. */
    private static RbmOptions fromBuilder(Builder b) {
        boolean gaussian = b.visibleType == VisibleType.GAUSSIAN;
        boolean std = b.standardize != null ? b.standardize : gaussian;
        Binarization bin = b.binarization != null ? b.binarization
                : (gaussian ? Binarization.none() : Binarization.fixed(0.5f));
        return new RbmOptions(b.hidden, b.visibleType, std, bin, b.holdout, b.method, b.k, b.chains, b.learningRate,
                b.schedule, b.momentum, b.weightDecay, b.sparsityTarget, b.sparsityCost, b.batchSize, b.epochs, b.seed,
                b.initWeightStd, b.metricsEvery);
    }

    /** A one-line description of the training fields, for logs. */
    public String summary() {
        return String.format(Locale.ROOT, "%s-%d%s lr=%g (%s) momentum=%g wd=%g%s batch=%d epochs=%d seed=%d",
                method.id().toUpperCase(Locale.ROOT), k, method == TrainingMethod.PCD ? " chains=" + chains : "",
                learningRate, schedule, momentum, weightDecay,
                hasSparsity() ? String.format(Locale.ROOT, " sparsity=%g/%g", sparsityTarget, sparsityCost) : "",
                batchSize, epochs, seed);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Mutable builder with the defaults of {@code ebm rbm train}: 256 hidden Bernoulli units, binarization
     * at 0.5 (none for Gaussian visibles, which are standardized instead), 1,000 held-out rows, PCD-1 with
     * 100 chains, a constant learning rate of 0.05, momentum 0.5, batch 100, 20 epochs, seed 1, initial
     * weights N(0, 0.01^2), metrics after every epoch.
     */
    public static final class Builder extends OptionsBuilder<RbmOptions, Builder> {
        private int hidden = 256;
        private VisibleType visibleType = VisibleType.BERNOULLI;
        private Boolean standardize;
        private Binarization binarization;
        private int holdout = 1000;
        private TrainingMethod method = TrainingMethod.PCD;
        private int k = 1;
        private int chains = 100;
        private double learningRate = 0.05;
        private LearningRateSchedule schedule = LearningRateSchedule.constant();
        private double momentum = 0.5;
        private double weightDecay = 0.0;
        private double sparsityTarget = Double.NaN;
        private double sparsityCost = 0.0;
        private int batchSize = 100;
        private int epochs = 20;
        private long seed = 1L;
        private double initWeightStd = 0.01;
        private int metricsEvery = 1;

        public Builder() {
            super(FIELDS);
        }

        public Builder hidden(int v) {
            hidden = v;
            return this;
        }

        public Builder visibleType(VisibleType v) {
            visibleType = v;
            return this;
        }

        /** Standardize the columns (default: for Gaussian visibles only). */
        public Builder standardize(boolean v) {
            standardize = v;
            return this;
        }

        /** Default: {@code fixed(0.5)} for Bernoulli visibles, {@code none()} for Gaussian ones. */
        public Builder binarization(Binarization v) {
            binarization = v;
            return this;
        }

        public Builder holdout(int v) {
            holdout = v;
            return this;
        }

        public Builder method(TrainingMethod v) {
            method = v;
            return this;
        }

        public Builder k(int v) {
            k = v;
            return this;
        }

        public Builder chains(int v) {
            chains = v;
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

        /** Target mean hidden activation and penalty weight; NaN target for none. */
        public Builder sparsity(double target, double cost) {
            sparsityTarget = target;
            sparsityCost = cost;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder epochs(int v) {
            epochs = v;
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
