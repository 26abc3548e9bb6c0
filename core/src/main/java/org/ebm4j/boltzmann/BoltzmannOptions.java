package org.ebm4j.boltzmann;

import java.util.Map;
import org.ebm4j.train.EnumIds;
import org.ebm4j.train.GradientOptionsBuilder;
import org.ebm4j.train.GradientSettings;
import org.ebm4j.train.MemoryEstimate;
import org.ebm4j.train.OptionCodec;
import org.ebm4j.train.OptionTable;
import org.ebm4j.train.OptionsRecord;
import org.ebm4j.train.Optimizer;
import org.ebm4j.train.Range;

/**
 * Everything that determines a Boltzmann machine training run besides the data and the backend:
 * the machine's shape, the initialization, the learning rule's settings, the seed of every random
 * stream and the cadence of the per-epoch metrics. Immutable; build with {@link #builder()}, whose
 * defaults are those of {@code ebm bm train}. {@link #toMap()} and {@link #fromMap} give the stable
 * {@code snake_case} form stored in a model's provenance (keys in the parameter list below).
 *
 * @param visible      {@code visible}: visible units; 0 takes the data's column count
 * @param hidden       {@code hidden}: hidden units ({@code >= 0})
 * @param units        {@code units}: {@code binary} {0, 1} or {@code spin} {-1, +1}
 * @param initStddev   {@code init_stddev}: standard deviation of the initial weights (in [0, 10]: a larger spread saturates every unit from the start); biases start at 0
 * @param seed         {@code seed}: seed of every random stream (initialization, shuffling, sampling, metrics)
 * @param epochs       {@code epochs}: passes over the data ({@code >= 1})
 * @param learningRate {@code learning_rate}: step size of the gradient ascent on the log-likelihood ({@code > 0})
 * @param lrDecay      {@code lr_decay}: the learning rate over the epochs ({@code none}: constant)
 * @param momentum     {@code momentum}: fraction of the previous step kept, {@code [0, 1)}
 * @param weightDecay  {@code weight_decay}: L2 penalty on the weights (not the biases), {@code >= 0}
 * @param batchSize    {@code batch_size}: data vectors per update ({@code >= 1}); one clamped chain per vector
 * @param dataSweeps   {@code data_sweeps}: Gibbs sweeps over the hidden units with the visibles clamped before the
 *                     data statistics are taken ({@code >= 1}; irrelevant without hidden units)
 * @param modelSweeps  {@code model_sweeps}: Gibbs sweeps of the free-running chains per update ({@code >= 1})
 * @param modelChains  {@code model_chains}: free-running chains ({@code >= 1}); unused when not {@code persistent}
 * @param persistent   {@code persistent}: true, the model chains persist across updates (PCD, stochastic maximum
 *                     likelihood); false, they start from the data chains each update (contrastive divergence)
 * @param evalEvery    {@code eval_every}: metrics every this many epochs and after the last; 0 = after the last only
 * @param samples      {@code samples}: samples drawn for the sampled metrics (0 = none)
 * @param sampleSweeps {@code sample_sweeps}: Gibbs sweeps at T = 1 per metric sample ({@code >= 1})
 * @param optimizer    {@code optimizer}: momentum SGD or Adam ({@link Optimizer}; Adam ignores {@code momentum})
 * @param patience     {@code patience}: early stopping after this many evaluations without a better exact
 *                     log-likelihood of the data, keeping the best evaluation's parameters; 0 for none (needs
 *                     at most {@value ExactBoltzmann#MAX_UNITS} units)
 * @param maxRollbacks {@code max_rollbacks}: divergences (non-finite or exploding parameters, an exploding
 *                     log-likelihood) rolled back with the learning rate halved before the run fails
 */
public record BoltzmannOptions(int visible, int hidden, UnitValues units, double initStddev, long seed, int epochs,
                               double learningRate, LearningRateDecay lrDecay, double momentum, double weightDecay,
                               int batchSize, int dataSweeps, int modelSweeps, int modelChains, boolean persistent,
                               int evalEvery, int samples, int sampleSweeps, Optimizer optimizer, int patience,
                               int maxRollbacks)
        implements OptionsRecord<BoltzmannOptions, BoltzmannOptions.Builder>, GradientSettings {

    /** How the learning rate changes over the epochs. */
    public enum LearningRateDecay {
        /** The rate is constant. */
        NONE,
        /** Constant for the first half of the epochs, then down linearly to 0 at the end. */
        LINEAR;

        /** The rate of epoch {@code epochIndex} (0-based) of {@code epochs}, from the base rate {@code base} (0 past the end). */
        public double rate(double base, int epochIndex, int epochs) {
            return this == LINEAR ? base * Math.max(0.0, Math.min(1.0, 2.0 * (epochs - epochIndex) / epochs)) : base;
        }

        /** Parses {@code none} or {@code linear} (any case). */
        public static LearningRateDecay parse(String s) {
            return EnumIds.parse(LearningRateDecay.class, "learning-rate decay", s);
        }

        @Override
        public String toString() {
            return EnumIds.id(this);
        }
    }

    public BoltzmannOptions {
        FIELDS.check(visible, hidden, units, initStddev, seed, epochs, learningRate, lrDecay, momentum, weightDecay,
                batchSize, dataSweeps, modelSweeps, modelChains, persistent, evalEvery, samples, sampleSweeps, optimizer,
                patience, maxRollbacks);
    }

    private static final OptionCodec<UnitValues> UNITS = OptionCodec.of(UnitValues::toString, UnitValues::parse);
    private static final OptionCodec<LearningRateDecay> LR_DECAY = OptionCodec.of(LearningRateDecay::toString,
            LearningRateDecay::parse);

    private static final OptionTable<BoltzmannOptions, Builder> FIELDS = OptionTable
            .<BoltzmannOptions, Builder>of(BoltzmannOptions.class, "Boltzmann machine options")
            .add("visible", 0, Range.atLeast(0))
            .add("hidden", 6, Range.atLeast(0).boundedByMemory())
            .add("units", UNITS, UnitValues.BINARY)
            .add("init_stddev", 0.01, Range.closed(0, 10))
            .add("seed", 1L)
            .add("epochs", 2000, Range.atLeast(1))
            .add("learning_rate", 0.05, Range.positiveFinite())
            .add("lr_decay", LR_DECAY, LearningRateDecay.NONE)
            .add("momentum", 0.5, Range.closedOpen(0, 1))
            .add("weight_decay", 0.0, Range.nonNegativeFinite())
            .add("batch_size", 10, Range.atLeast(1))
            .add("data_sweeps", 3, Range.atLeast(1))
            .add("model_sweeps", 3, Range.atLeast(1))
            .add("model_chains", 100, Range.atLeast(1).boundedByMemory())
            .add("persistent", true)
            .add("eval_every", 100, Range.atLeast(0))
            .add("samples", 1000, Range.atLeast(0))
            .add("sample_sweeps", 50, Range.atLeast(1))
            .trainingSafety()
            .build(Builder::new);

    /**
     * Refuses, before any work, a run of these options on {@code visible} visible units whose arrays
     * cannot fit in this JVM's heap ({@link MemoryEstimate#require}): the {@code n x n} couplings
     * ({@code n = visible + hidden}) with their gradient, velocity and double-precision moment sums
     * (5 floats a coupling), the batch's clamped chains and the model chains ({@code n} floats a
     * chain), and the metric samples.
     */
    public void requireMemory(int visible) {
        long n = (long) visible + hidden;
        MemoryEstimate.require("hidden", MemoryEstimate.floats(5, n, n), "the " + n + "x" + n
                + " couplings with their gradient, velocity and moments");
        MemoryEstimate.require("model_chains", MemoryEstimate.floats(modelChains + (long) batchSize, n), "the "
                + modelChains + " model chains and " + batchSize + " data chains of " + n + " units");
        MemoryEstimate.require("samples", MemoryEstimate.floats(samples, n), "the " + samples + " samples of " + n
                + " units");
    }

    /** Reads {@link #toMap()} back; a missing, malformed or unknown key is an error naming it. */
    public static BoltzmannOptions fromMap(Map<String, String> map) {
        return FIELDS.fromMap(map);
    }

    /** The learning rate of epoch {@code epochIndex} (0-based). */
    public double learningRate(int epochIndex) {
        return lrDecay.rate(learningRate, epochIndex, epochs);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Mutable builder with the defaults of {@code ebm bm train}. */
    public static final class Builder extends GradientOptionsBuilder<BoltzmannOptions, Builder> {
        private Builder() {
            super(FIELDS, "learning_rate", "batch_size");
        }

        public Builder visible(int v) {
            return set("visible", v);
        }

        public Builder hidden(int v) {
            return set("hidden", v);
        }

        public Builder units(UnitValues v) {
            return set("units", v);
        }

        public Builder initStddev(double v) {
            return set("init_stddev", v);
        }

        public Builder epochs(int v) {
            return set("epochs", v);
        }

        public Builder lrDecay(LearningRateDecay v) {
            return set("lr_decay", v);
        }

        public Builder dataSweeps(int v) {
            return set("data_sweeps", v);
        }

        public Builder modelSweeps(int v) {
            return set("model_sweeps", v);
        }

        public Builder modelChains(int v) {
            return set("model_chains", v);
        }

        public Builder persistent(boolean v) {
            return set("persistent", v);
        }

        public Builder evalEvery(int v) {
            return set("eval_every", v);
        }

        public Builder samples(int v) {
            return set("samples", v);
        }

        public Builder sampleSweeps(int v) {
            return set("sample_sweeps", v);
        }
    }
}
