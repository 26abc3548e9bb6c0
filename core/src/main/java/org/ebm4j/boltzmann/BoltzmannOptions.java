package org.ebm4j.boltzmann;

import static org.ebm4j.train.OptionCodec.BOOL;
import static org.ebm4j.train.OptionCodec.INT;
import static org.ebm4j.train.OptionCodec.LONG;
import static org.ebm4j.train.OptionCodec.REAL;
import static org.ebm4j.train.SettingChecks.atLeast;
import static org.ebm4j.train.SettingChecks.inRange;
import static org.ebm4j.train.SettingChecks.nonNegativeFinite;
import static org.ebm4j.train.SettingChecks.notNull;
import static org.ebm4j.train.SettingChecks.positiveFinite;

import java.util.Locale;
import java.util.Map;
import org.ebm4j.train.OptionCodec;
import org.ebm4j.train.OptionTable;
import org.ebm4j.train.OptionsBuilder;
import org.ebm4j.train.OptionsRecord;

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
 * @param initStddev   {@code init_stddev}: standard deviation of the initial weights ({@code >= 0}); biases start at 0
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
 */
public record BoltzmannOptions(int visible, int hidden, UnitValues units, double initStddev, long seed, int epochs,
                               double learningRate, LearningRateDecay lrDecay, double momentum, double weightDecay,
                               int batchSize, int dataSweeps, int modelSweeps, int modelChains, boolean persistent,
                               int evalEvery, int samples, int sampleSweeps)
        implements OptionsRecord<BoltzmannOptions, BoltzmannOptions.Builder> {

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
            String k = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
            return switch (k) {
                case "none" -> NONE;
                case "linear" -> LINEAR;
                default -> throw new IllegalArgumentException("learning-rate decay must be 'none' or 'linear' but was '"
                        + s + "'");
            };
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public BoltzmannOptions {
        atLeast("visible", visible, 0);
        atLeast("hidden", hidden, 0);
        notNull("units", units);
        nonNegativeFinite("init_stddev", initStddev);
        atLeast("epochs", epochs, 1);
        positiveFinite("learning_rate", learningRate);
        notNull("lr_decay", lrDecay);
        inRange("momentum", momentum, 0, false, 1, false);
        nonNegativeFinite("weight_decay", weightDecay);
        atLeast("batch_size", batchSize, 1);
        atLeast("data_sweeps", dataSweeps, 1);
        atLeast("model_sweeps", modelSweeps, 1);
        atLeast("model_chains", modelChains, 1);
        atLeast("eval_every", evalEvery, 0);
        atLeast("samples", samples, 0);
        atLeast("sample_sweeps", sampleSweeps, 1);
    }

    private static final OptionCodec<UnitValues> UNITS = OptionCodec.of(UnitValues::toString, UnitValues::parse);
    private static final OptionCodec<LearningRateDecay> LR_DECAY = OptionCodec.of(LearningRateDecay::toString,
            LearningRateDecay::parse);

    private static final OptionTable<BoltzmannOptions, Builder> FIELDS = OptionTable
            .<BoltzmannOptions, Builder>of("Boltzmann machine options")
            .add("visible", INT, BoltzmannOptions::visible, Builder::visible)
            .add("hidden", INT, BoltzmannOptions::hidden, Builder::hidden)
            .add("units", UNITS, BoltzmannOptions::units, Builder::units)
            .add("init_stddev", REAL, BoltzmannOptions::initStddev, Builder::initStddev)
            .add("seed", LONG, BoltzmannOptions::seed, Builder::seed)
            .add("epochs", INT, BoltzmannOptions::epochs, Builder::epochs)
            .add("learning_rate", REAL, BoltzmannOptions::learningRate, Builder::learningRate)
            .add("lr_decay", LR_DECAY, BoltzmannOptions::lrDecay, Builder::lrDecay)
            .add("momentum", REAL, BoltzmannOptions::momentum, Builder::momentum)
            .add("weight_decay", REAL, BoltzmannOptions::weightDecay, Builder::weightDecay)
            .add("batch_size", INT, BoltzmannOptions::batchSize, Builder::batchSize)
            .add("data_sweeps", INT, BoltzmannOptions::dataSweeps, Builder::dataSweeps)
            .add("model_sweeps", INT, BoltzmannOptions::modelSweeps, Builder::modelSweeps)
            .add("model_chains", INT, BoltzmannOptions::modelChains, Builder::modelChains)
            .add("persistent", BOOL, BoltzmannOptions::persistent, Builder::persistent)
            .add("eval_every", INT, BoltzmannOptions::evalEvery, Builder::evalEvery)
            .add("samples", INT, BoltzmannOptions::samples, Builder::samples)
            .add("sample_sweeps", INT, BoltzmannOptions::sampleSweeps, Builder::sampleSweeps)
            .build(Builder::new, b -> new BoltzmannOptions(b.visible, b.hidden, b.units, b.initStddev, b.seed,
                    b.epochs, b.learningRate, b.lrDecay, b.momentum, b.weightDecay, b.batchSize, b.dataSweeps,
                    b.modelSweeps, b.modelChains, b.persistent, b.evalEvery, b.samples, b.sampleSweeps));

    @Override
    public OptionTable<BoltzmannOptions, Builder> optionTable() {
        return FIELDS;
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
    public static final class Builder extends OptionsBuilder<BoltzmannOptions, Builder> {
        private int visible = 0;
        private int hidden = 6;
        private UnitValues units = UnitValues.BINARY;
        private double initStddev = 0.01;
        private long seed = 1L;
        private int epochs = 2000;
        private double learningRate = 0.05;
        private LearningRateDecay lrDecay = LearningRateDecay.NONE;
        private double momentum = 0.5;
        private double weightDecay = 0.0;
        private int batchSize = 10;
        private int dataSweeps = 3;
        private int modelSweeps = 3;
        private int modelChains = 100;
        private boolean persistent = true;
        private int evalEvery = 100;
        private int samples = 1000;
        private int sampleSweeps = 50;

        private Builder() {
            super(FIELDS);
        }

        public Builder visible(int v) {
            visible = v;
            return this;
        }

        public Builder hidden(int v) {
            hidden = v;
            return this;
        }

        public Builder units(UnitValues v) {
            units = v;
            return this;
        }

        public Builder initStddev(double v) {
            initStddev = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
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

        public Builder lrDecay(LearningRateDecay v) {
            lrDecay = v;
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

        public Builder dataSweeps(int v) {
            dataSweeps = v;
            return this;
        }

        public Builder modelSweeps(int v) {
            modelSweeps = v;
            return this;
        }

        public Builder modelChains(int v) {
            modelChains = v;
            return this;
        }

        public Builder persistent(boolean v) {
            persistent = v;
            return this;
        }

        public Builder evalEvery(int v) {
            evalEvery = v;
            return this;
        }

        public Builder samples(int v) {
            samples = v;
            return this;
        }

        public Builder sampleSweeps(int v) {
            sampleSweeps = v;
            return this;
        }
    }
}
