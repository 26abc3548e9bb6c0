package org.ebm4j.rbm;

import java.util.Locale;
import java.util.Map;
import org.ebm4j.data.Binarization;
import org.ebm4j.tempering.TemperatureLadder;
import org.ebm4j.train.GradientSettings;
import org.ebm4j.train.Optimizer;
import org.ebm4j.train.OptionCodec;
import org.ebm4j.train.OptionTable;
import org.ebm4j.train.MemoryEstimate;
import org.ebm4j.train.OptionsRecord;
import org.ebm4j.train.Range;
import org.ebm4j.train.SettingException;

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
 * @param method         CD, PCD or PT (parallel tempering)
 * @param k              Gibbs steps per update ({@code >= 1}; for PT, sweeps at every temperature)
 * @param chains         persistent chains (PCD and PT: chains per temperature), independent of the batch size
 * @param replicas       PT only: temperatures per chain ({@code >= 2})
 * @param betas          PT only: the inverse temperatures ({@link TemperatureLadder}; an explicit list
 *                       must have {@code replicas} entries)
 * @param learningRate   base learning rate ({@code > 0})
 * @param schedule       learning rate per epoch (constant unless asked otherwise)
 * @param momentum       in {@code [0, 1)}: {@code vel = momentum * vel + lr * grad} (SGD only)
 * @param optimizer      momentum SGD or Adam ({@link Optimizer})
 * @param weightDecay    L2 coefficient on the weights ({@code >= 0}; biases are not decayed)
 * @param sparsityTarget target mean hidden activation in (0, 1), or NaN for none
 * @param sparsityCost   weight of the sparsity penalty's gradient, in {@code [0, 1)}
 * @param centering      train in the centered form ({@link RbmTrainer}; Bernoulli visibles only)
 * @param batchSize      examples per update
 * @param epochs         passes over the data
 * @param seed           seed of every random stream (initialization, chains, shuffling, sampling)
 * @param initWeightStd  standard deviation of the initial weights, in [0, 10]
 * @param metricsEvery   evaluate the per-epoch metrics every this many epochs (and after the last)
 * @param patience       early stopping: stop after this many metric evaluations without a better held-out
 *                       pseudo-likelihood and keep the best parameters; 0 for none (needs held-out rows)
 * @param maxRollbacks   divergences (non-finite parameters, an exploding held-out metric) rolled back with
 *                       the learning rate halved before the run fails ({@link org.ebm4j.train.TrainingSafety})
 */
public record RbmOptions(int hidden, VisibleType visibleType, boolean standardize, Binarization binarization,
                         int holdout, TrainingMethod method, int k, int chains, int replicas,
                         TemperatureLadder betas, double learningRate, LearningRateSchedule schedule, double momentum,
                         Optimizer optimizer, double weightDecay, double sparsityTarget, double sparsityCost,
                         boolean centering, int batchSize, int epochs, long seed, double initWeightStd,
                         int metricsEvery, int patience, int maxRollbacks)
        implements OptionsRecord<RbmOptions, RbmOptions.Builder>, ScheduledLearningRate, GradientSettings {

    public RbmOptions {
        if (schedule == null) {
            schedule = LearningRateSchedule.constant();
        }
        FIELDS.check(hidden, visibleType, standardize, binarization, holdout, method, k, chains, replicas, betas,
                learningRate, schedule, momentum, optimizer, weightDecay, sparsityTarget, sparsityCost, centering,
                batchSize, epochs, seed, initWeightStd, metricsEvery, patience, maxRollbacks);
        TemperatureLadder.requireFits(betas, replicas);
        if (sparsityCost > 0 && Double.isNaN(sparsityTarget)) {
            throw new SettingException("sparsity_cost", sparsityCost + " needs a sparsity_target in (0, 1); "
                    + "without one the penalty has nothing to pull towards");
        }
        if (method == TrainingMethod.PT && visibleType != VisibleType.BERNOULLI) {
            throw new SettingException("method", "pt needs Bernoulli visible units, found " + visibleType.id());
        }
        if (centering && visibleType != VisibleType.BERNOULLI) {
            throw new SettingException("centering", "needs Bernoulli visible units, found " + visibleType.id());
        }
    }

    private static final OptionCodec<Binarization> BINARIZATION = OptionCodec.of(Binarization::toString,
            v -> Binarization.parse(v, 0L));

    private static final OptionTable<RbmOptions, Builder> FIELDS = OptionTable
            .<RbmOptions, Builder>ofModel(RbmOptions.class, "RBM")
            .add("hidden", 256, Range.atLeast(1).boundedByMemory())
            .add("visible_type", VisibleType.CODEC, VisibleType.BERNOULLI)
            .add("standardize", null)
            .add("binarization", BINARIZATION, (Binarization) null)
            .add("holdout", 1000, Range.atLeast(0))
            .add("method", TrainingMethod.CODEC, TrainingMethod.PCD)
            .add("k", 1, Range.atLeast(1))
            .add("chains", 100, Range.atLeast(1).boundedByMemory())
            .add("replicas", 10, Range.atLeast(2)).absentInOlderFiles()
            .add("betas", TemperatureLadder.CODEC, TemperatureLadder.geometric(0.1)).absentInOlderFiles()
            .add("lr", 0.05, Range.positiveFinite())
            .add("lr_schedule", LearningRateSchedule.CODEC, LearningRateSchedule.constant())
            .add("momentum", 0.5, Range.closedOpen(0, 1))
            .add("optimizer", Optimizer.CODEC, Optimizer.SGD).absentInOlderFiles()
            .add("weight_decay", 0.0, Range.nonNegativeFinite())
            .add("sparsity_target", Double.NaN, Range.open(0, 1).orNaN())
            .add("sparsity_cost", 0.0, Range.closedOpen(0, 1))
            .add("centering", false).absentInOlderFiles()
            .add("batch", 100, Range.atLeast(1))
            .add("epochs", 20, Range.atLeast(1))
            .add("seed", 1L)
            .add("init_std", 0.01, Range.closed(0, 10))
            .add("metrics_every", 1, Range.atLeast(1))
            .add("patience", 0, Range.atLeast(0)).absentInOlderFiles()
            .add("max_rollbacks", 3, Range.atLeast(0)).absentInOlderFiles()
            .build(Builder::new);

    /**
     * Refuses, before any work, a run of these options on {@code visible} visible units whose arrays
     * cannot fit in this JVM's heap ({@link MemoryEstimate#require}): the weights (with the bias row)
     * with their gradient, momentum and the host copies saved and exported (6 matrices), and the
     * persistent chains with their probabilities (4 arrays of {@code visible + hidden} values a chain).
     */
    public void requireMemory(int visible) {
        MemoryEstimate.require("hidden", MemoryEstimate.floats(6, visible + 1L, hidden), "the " + visible + "x" + hidden
                + " weights with their gradient, momentum and saved copies");
        MemoryEstimate.require("chains", MemoryEstimate.floats(4, chains, visible + (long) hidden), "the " + chains
                + " persistent chains");
    }

    /** Reads {@link #toMap()} back; a missing, unknown or malformed entry is an error naming it. */
    public static RbmOptions fromMap(Map<String, String> m) {
        return FIELDS.fromMap(m);
    }

    public boolean hasSparsity() {
        return !Double.isNaN(sparsityTarget) && sparsityCost > 0;
    }

    /** A one-line description of the training fields, for logs. */
    public String summary() {
        return String.format(Locale.ROOT, "%s-%d%s%s%s lr=%g (%s) %s wd=%g%s batch=%d epochs=%d seed=%d",
                method.id().toUpperCase(Locale.ROOT), k, method != TrainingMethod.CD ? " chains=" + chains : "",
                method == TrainingMethod.PT ? " replicas=" + replicas + " betas=" + betas : "",
                centering ? " centered" : "", learningRate, schedule,
                optimizer == Optimizer.SGD ? String.format(Locale.ROOT, "momentum=%g", momentum) : optimizer.id(),
                weightDecay,
                hasSparsity() ? String.format(Locale.ROOT, " sparsity=%g/%g", sparsityTarget, sparsityCost) : "",
                batchSize, epochs, seed);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Mutable builder with the defaults of {@code ebm rbm train}: 256 hidden Bernoulli units, binarization
     * at 0.5 (none for Gaussian visibles, which are standardized instead), 1,000 held-out rows, PCD-1 with
     * 100 chains, a constant learning rate of 0.05, momentum SGD with momentum 0.5, no centering, batch 100,
     * 20 epochs, seed 1, initial weights N(0, 0.01^2), metrics after every epoch, no early stopping, up to 3
     * rollbacks; for PT 10 replicas on a geometric ladder down to {@code beta = 0.1}.
     */
    public static final class Builder extends TemperingOptionsBuilder<RbmOptions, Builder> {
        public Builder() {
            super(FIELDS, "lr", "batch");
        }

        /** Standardization for Gaussian visibles only, and binarization at 0.5 for Bernoulli ones, unless given. */
        @Override
        protected void complete() {
            boolean gaussian = get("visible_type") == VisibleType.GAUSSIAN;
            if (get("standardize") == null) {
                set("standardize", gaussian);
            }
            if (get("binarization") == null) {
                set("binarization", gaussian ? Binarization.none() : Binarization.fixed(0.5f));
            }
        }

        public Builder hidden(int v) {
            return set("hidden", v);
        }

        public Builder visibleType(VisibleType v) {
            return set("visible_type", v);
        }

        /** Standardize the columns (default: for Gaussian visibles only). */
        public Builder standardize(boolean v) {
            return set("standardize", v);
        }

        public Builder holdout(int v) {
            return set("holdout", v);
        }

        /** Target mean hidden activation and penalty weight; NaN target for none. */
        public Builder sparsity(double target, double cost) {
            set("sparsity_target", target);
            return set("sparsity_cost", cost);
        }
    }
}
