package org.ebm4j.dbm;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.ebm4j.data.Binarization;
import org.ebm4j.rbm.LearningRateSchedule;
import org.ebm4j.rbm.ScheduledLearningRate;
import org.ebm4j.rbm.TemperingOptionsBuilder;
import org.ebm4j.rbm.TrainingMethod;
import org.ebm4j.tempering.TemperatureLadder;
import org.ebm4j.train.GradientSettings;
import org.ebm4j.train.MemoryEstimate;
import org.ebm4j.train.Optimizer;
import org.ebm4j.train.OptionCodec;
import org.ebm4j.train.OptionTable;
import org.ebm4j.train.OptionsRecord;
import org.ebm4j.train.Range;
import org.ebm4j.train.SettingException;

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
 * {@code chains} persistent Gibbs chains advanced {@code k} sweeps per update (method {@code pcd}), or
 * from those chains replicated at {@code replicas} inverse temperatures {@code betas} with a round of
 * swaps after the sweeps (method {@code pt}, parallel tempering; joint training only, since the
 * pretraining RBMs' doubled inputs have no joint energy to swap by). With {@code centering} joint
 * training takes its steps in the centered form ({@link DbmCenteredParameters}). Both phases use
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
 * @param method         joint training's negative phase: {@code PCD} or {@code PT} (CD is refused: a DBM's
 *                       chains are persistent)
 * @param replicas       PT only: temperatures per chain ({@code >= 2})
 * @param betas          PT only: the inverse temperatures (an explicit list must have {@code replicas} entries)
 * @param centering      joint training in the centered form, offsets saved with the model
 * @param mfTolerance    mean field of the positive phase: the RMS change per sweep that ends it ({@link #meanField()})
 * @param mfIterations   mean field: the most sweeps
 * @param mfDamping      mean field: the damping of each update
 * @param seed           seed of every random stream
 * @param initWeightStd  standard deviation of the initial weights, in [0, 10]
 * @param metricsEvery   report the per-epoch metrics every this many epochs (and after the last)
 * @param holdout        the last rows of the data held out of training ({@link org.ebm4j.data.HoldOut}), on which
 *                       joint training reports {@code heldout_log_likelihood} ({@link Dbm#HELDOUT_METRIC}); 0 for none
 * @param optimizer      momentum SGD or Adam ({@link Optimizer}), for pretraining and joint training alike
 * @param patience       early stopping of joint training after this many evaluations without a better held-out
 *                       log-likelihood, the model keeping the best evaluation's parameters (needs {@code holdout > 0}); 0 for none
 * @param maxRollbacks   divergences (non-finite or thousandfold-grown parameters) rolled back with the learning
 *                       rate halved, per pretrained layer and in joint training, before the run fails
 */
public record DbmOptions(List<Integer> hidden, Binarization binarization, int pretrainEpochs,
                         double pretrainLearningRate, int epochs, double learningRate, LearningRateSchedule schedule,
                         double momentum, double weightDecay, int batchSize, int chains, int k, TrainingMethod method,
                         int replicas, TemperatureLadder betas, boolean centering, double mfTolerance,
                         int mfIterations, double mfDamping,
                         long seed, double initWeightStd, int metricsEvery, int holdout, Optimizer optimizer,
                         int patience,
                         int maxRollbacks)
        implements OptionsRecord<DbmOptions, DbmOptions.Builder>, ScheduledLearningRate, GradientSettings {

    /** The fewest and the most hidden layers. */
    public static final int MIN_DEPTH = 2;
    public static final int MAX_DEPTH = 3;

    public DbmOptions {
        if (schedule == null) {
            schedule = LearningRateSchedule.constant();
        }
        FIELDS.check(hidden, binarization, pretrainEpochs, pretrainLearningRate, epochs, learningRate, schedule,
                momentum, weightDecay, batchSize, chains, k, method, replicas, betas, centering, mfTolerance,
                mfIterations, mfDamping, seed, initWeightStd, metricsEvery, holdout, optimizer, patience, maxRollbacks);
        hidden = List.copyOf(hidden);
        if (hidden.size() < MIN_DEPTH || hidden.size() > MAX_DEPTH) {
            throw new SettingException("hidden", "must hold " + MIN_DEPTH + " or " + MAX_DEPTH
                    + " layer sizes, found " + hidden.size() + " " + hidden);
        }
        if (method == TrainingMethod.CD) {
            throw new SettingException("method", "a DBM's negative phase runs persistent chains: method must be pcd "
                    + "or pt, found cd");
        }
        TemperatureLadder.requireFits(betas, replicas);
        if (patience > 0 && holdout == 0) {
            throw new SettingException("patience", "early stopping watches the held-out log-likelihood, which needs "
                    + "held-out rows; give holdout > 0 or use patience 0");
        }
    }

    private static final OptionCodec<Binarization> BINARIZATION = OptionCodec.of(Binarization::toString,
            v -> Binarization.parse(v, 0L));
    private static final OptionCodec<List<Integer>> INTS = OptionCodec.list(Integer::valueOf);

    private static final OptionTable<DbmOptions, Builder> FIELDS = OptionTable
            .<DbmOptions, Builder>ofModel(DbmOptions.class, "DBM")
            .add("hidden", INTS, List.of(500, 1000), Range.atLeast(1))
            .add("binarization", BINARIZATION, Binarization.fixed(0.5f))
            .add("pretrain_epochs", 2, Range.atLeast(0))
            .add("pretrain_lr", 0.05, Range.positiveFinite())
            .add("epochs", 5, Range.atLeast(1))
            .add("lr", 0.005, Range.positiveFinite())
            .add("lr_schedule", LearningRateSchedule.CODEC, LearningRateSchedule.constant())
            .add("momentum", 0.5, Range.closedOpen(0, 1))
            .add("weight_decay", 0.0002, Range.nonNegativeFinite())
            .add("batch", 100, Range.atLeast(1))
            .add("chains", 100, Range.atLeast(1).boundedByMemory())
            .add("k", 1, Range.atLeast(1))
            .add("method", TrainingMethod.CODEC, TrainingMethod.PCD).absentInOlderFiles()
            .add("replicas", 10, Range.atLeast(2)).absentInOlderFiles()
            .add("betas", TemperatureLadder.CODEC, TemperatureLadder.geometric(0.1)).absentInOlderFiles()
            .add("centering", false).absentInOlderFiles()
            .add("mf_tolerance", 1e-3, MeanField.TOLERANCE)
            .add("mf_iterations", 10, MeanField.ITERATIONS)
            .add("mf_damping", 0.0, MeanField.DAMPING)
            .add("seed", 1L)
            .add("init_std", 0.01, Range.closed(0, 10))
            .add("metrics_every", 1, Range.atLeast(1))
            .add("holdout", 0, Range.atLeast(0)).absentInOlderFiles()
            .trainingSafety()
            .build(Builder::new);

    /** The positive phase's mean-field inference. */
    public MeanField meanField() {
        return new MeanField(mfTolerance, mfIterations, mfDamping);
    }

    /**
     * Refuses, before any work, a run of these options on {@code visible} visible units whose arrays
     * cannot fit in this JVM's heap ({@link MemoryEstimate#require}): every layer pair's weights with
     * their gradient, velocity and the pretraining RBM's copies (6 matrices), and the persistent chains
     * with the batch's mean-field states (2 arrays of all units a chain and a row).
     */
    public void requireMemory(int visible) {
        MemoryEstimate.require("hidden", MemoryEstimate.layerWeights(6, visible, hidden, false), "the weights of the "
                + hidden + " layers with their gradient, velocity and pretraining copies");
        MemoryEstimate.require("chains", MemoryEstimate.floats(2, chainRows() + batchSize,
                MemoryEstimate.units(visible, hidden)), "the " + chainRows() + " chains and the batch's mean-field states");
    }

    /** The rows of the negative phase's states: the chains, times the replicas under PT. */
    public long chainRows() {
        return method == TrainingMethod.PT ? (long) chains * replicas : chains;
    }

    /** Whether joint training runs parallel tempering. */
    public boolean tempered() {
        return method == TrainingMethod.PT;
    }

    /** The inverse temperatures of PT, {@code replicas} of them. */
    public double[] temperatures() {
        return betas.betas(replicas);
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

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Mutable builder with the defaults of {@code ebm dbm train}: the 500-1000 hidden layers of
     * Salakhutdinov and Hinton's MNIST DBM, binarization at 0.5, 2 pretraining epochs per layer at
     * rate 0.05, 5 joint epochs at a constant rate 0.005, momentum 0.5, weight decay 0.0002, batch 100,
     * 100 chains with 1 sweep per update (PCD; for PT 10 replicas on a geometric ladder down to
     * {@code beta = 0.1}), no centering, mean field to an RMS change of 0.001 or 10 sweeps without
     * damping, seed 1, initial weights N(0, 0.01^2), metrics after every epoch, no rows held out.
     */
    public static final class Builder extends TemperingOptionsBuilder<DbmOptions, Builder> {
        public Builder() {
            super(FIELDS, "lr", "batch");
        }

        /** Hidden layer sizes, bottom first. */
        public Builder hidden(int... sizes) {
            return set("hidden", Arrays.stream(sizes).boxed().toList());
        }

        public Builder pretrainEpochs(int v) {
            return set("pretrain_epochs", v);
        }

        public Builder pretrainLearningRate(double v) {
            return set("pretrain_lr", v);
        }

        /** The mean-field settings of the positive phase. */
        public Builder meanField(MeanField v) {
            set("mf_tolerance", v.tolerance());
            set("mf_iterations", v.maxIterations());
            return set("mf_damping", v.damping());
        }

        /** Rows held out at the end of the data for the held-out log-likelihood; 0 for none. */
        public Builder holdout(int v) {
            return set("holdout", v);
        }
    }
}
