package org.ebm4j.energy;


import java.util.List;
import java.util.Map;
import org.ebm4j.energy.loss.ContrastiveLoss;
import org.ebm4j.energy.loss.ContrastiveLosses;
import org.ebm4j.train.EnumIds;
import org.ebm4j.train.OptionCodec;
import org.ebm4j.train.OptionTable;
import org.ebm4j.train.OptionsRecord;
import org.ebm4j.train.Optimizer;
import org.ebm4j.train.Range;
import org.ebm4j.train.SettingChecks;
import org.ebm4j.train.SettingException;

/**
 * Everything that determines the training of an {@link EnergyModel} (with the data, the backend and its
 * thread count): the model and its shape, its initialization, the contrastive loss, how the negatives
 * are sampled by HMC, the parameter update, the batch size, the number of updates and the seed.
 * Immutable and validated on construction (messages name the option, the range and the value found);
 * build with {@link #builder()}, whose defaults are those of {@code ebm ebm train} without a demo.
 *
 * <p>Training length is counted in parameter updates, as the energy-model literature and the demos
 * state it: an epoch is one pass over the data in minibatches ({@code rows / batchSize} updates, a last
 * partial batch dropped), and {@link #epochs(int)} derives the number of epochs, the last one
 * stopping at {@link #updates()}. Counting updates keeps a run's length independent of the data set
 * size, which the demos vary.
 *
 * @param model               which energy function: a feed-forward network or a product of uni-gauss experts
 * @param layers              network: the hidden layers, input side first
 * @param visiblePrecision    network: {@code lambda >= 0} of the fixed {@code (lambda/2)|x|^2} term
 * @param weightScale         network: initial weights {@code N(0, weightScale^2 / fanIn)} ({@code > 0})
 * @param initialScale        network: the initial energy scale of every hidden unit (finite)
 * @param experts             uni-gauss: the number of experts ({@code >= 1})
 * @param envelope            uni-gauss: precision of the weak Gaussian envelope ({@code >= 0})
 * @param loss                the contrastive loss, one of {@link ContrastiveLosses#NAMES}
 * @param margin              the margin of the hinge, min-hinge and square-square losses ({@code >= 0})
 * @param lossScale           gamma of square-exp, beta of nll, delta of lvq2 ({@code > 0})
 * @param negatives           where negatives come from (CD from the data, or persistent chains)
 * @param negativesPerExample negatives per data point ({@code >= 1})
 * @param leapfrogSteps       leapfrog steps per negative trajectory ({@code >= 1})
 * @param trajectories        HMC trajectories per update ({@code >= 1})
 * @param stepSize            the negatives' initial leapfrog step size
 * @param adaptStepSize       nudge the negatives' step size toward {@code targetAccept} after each update
 * @param targetAccept        the acceptance the negatives aim at, in (0, 1)
 * @param metropolis          Metropolis-correct the negatives' trajectories
 * @param fillTrajectories    data with missing entries ({@code NaN}): conditional HMC trajectories that move the
 *                            minibatch's missing entries before each update ({@code >= 1}; see {@link EnergyTrainer})
 * @param learningRate        the (constant) learning rate
 * @param momentum            in [0, 1)
 * @param weightDecay         L2 coefficient on the weights ({@code >= 0}; biases and scales are not decayed)
 * @param update              how the gradient becomes a parameter step
 * @param maxGradientNorm     the gradient is rescaled to this norm when longer (infinity: no clipping)
 * @param batchSize           examples per update ({@code >= 1}; at most the data's rows are used)
 * @param updates             parameter updates of the whole run ({@code >= 1})
 * @param seed                the seed of every random stream (initialization, shuffling, negatives)
 * @param holdout             the last rows of the data held out of training ({@link org.ebm4j.data.HoldOut}), on
 *                            which every epoch reports {@link EnergyModel#HELDOUT_METRIC}; 0 for none
 * @param optimizer           {@code sgd}: the {@code update} rule; {@code adam}: Adam on the gradient (with the
 *                            {@code momentum} update only, not the sign rule)
 * @param patience            early stopping after this many epochs without a lower held-out denoising score, the
 *                            model keeping the best epoch's parameters (needs {@code holdout > 0}); 0 for none
 * @param maxRollbacks        divergences (non-finite or exploding parameters, a non-finite loss) rolled back with
 *                            the learning rate halved before the run fails
 */
public record EnergyOptions(Model model, List<EnergyNetwork.Layer> layers, double visiblePrecision, double weightScale,
                            double initialScale, int experts, double envelope, String loss, double margin,
                            double lossScale, NegativeSampling negatives, int negativesPerExample, int leapfrogSteps,
                            int trajectories, double stepSize, boolean adaptStepSize, double targetAccept,
                            boolean metropolis, int fillTrajectories, double learningRate, double momentum, double weightDecay, Update update,
                            double maxGradientNorm, int batchSize, int updates, long seed, int holdout, Optimizer optimizer,
                            int patience, int maxRollbacks)
        implements OptionsRecord<EnergyOptions, EnergyOptions.Builder> {

    /**
     * The energy function being trained; its {@link #id()} ({@code network}, {@code unigauss}), the name on
     * the command line and in model files, is the {@code KIND} of its class.
     */
    public enum Model implements EnumIds.Identified {
        /** {@link EnergyNetwork}: deterministic hidden units, each adding its scaled activity to the energy. */
        NETWORK,
        /** {@link UniGaussExperts}: a product of uni-gauss experts. */
        UNIGAUSS;

        /** Parses {@code network} or {@code unigauss} (any case). */
        public static Model byName(String name) {
            for (Model m : values()) {
                if (m.id().equalsIgnoreCase(name.trim())) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown energy model '" + name + "'; expected network or unigauss");
        }
    }

    /** How the gradient becomes a parameter step. */
    public enum Update implements EnumIds.Identified {
        /** {@code v = momentum v - lr g; theta += v}: classical momentum on the gradient. */
        MOMENTUM,
        /**
         * {@code v = momentum v + (1 - momentum) g; theta -= lr sign(v)} (signSGD with momentum, Bernstein
         * et al. 2018): every parameter moves by exactly {@code lr}, so weights that must grow large for
         * sharp energy walls do so at a constant pace instead of slowing with the shrinking gradient.
         */
        SIGN;

        /** Parses {@code momentum} or {@code sign} (any case). */
        public static Update byName(String name) {
            return EnumIds.parse(Update.class, "update rule", name);
        }
    }

    public EnergyOptions {
        FIELDS.check(model, layers, visiblePrecision, weightScale, initialScale, experts, envelope, loss, margin,
                lossScale, negatives, negativesPerExample, leapfrogSteps, trajectories, stepSize, adaptStepSize,
                targetAccept, metropolis, fillTrajectories, learningRate, momentum, weightDecay, update,
                maxGradientNorm, batchSize, updates, seed, holdout, optimizer, patience, maxRollbacks);
        layers = NetworkOptionsBuilder.checkNetwork(layers);
        if (!ContrastiveLosses.NAMES.contains(loss)) {
            throw new SettingException("loss", "must be one of " + ContrastiveLosses.NAMES + ", found '" + loss + "'");
        }
        if (optimizer == Optimizer.ADAM && update == Update.SIGN) {
            throw new SettingException("update", "optimizer adam takes the gradient itself; it cannot take the sign "
                    + "update rule (use update momentum)");
        }
        if (patience > 0 && holdout == 0) {
            throw new SettingException("patience", "early stopping watches the held-out denoising score, which needs "
                    + "held-out rows; give holdout > 0 or use patience 0");
        }
    }

    private static final OptionCodec<Model> MODEL = OptionCodec.of(Model::id, Model::byName);
    private static final OptionCodec<List<EnergyNetwork.Layer>> LAYERS = OptionCodec.of(EnergyNetwork::layerSpec,
            EnergyNetwork::parseLayers);
    private static final OptionCodec<NegativeSampling> NEGATIVES = OptionCodec.of(NegativeSampling::shortName,
            NegativeSampling::byName);
    private static final OptionCodec<Update> UPDATE = OptionCodec.of(Update::id, Update::byName);

    private static final OptionTable<EnergyOptions, Builder> FIELDS = OptionTable
            .<EnergyOptions, Builder>of(EnergyOptions.class, "energy model options")
            .add("model", MODEL, Model.NETWORK)
            .add("layers", LAYERS, EnergyNetwork.parseLayers("64:softplus"))
            .add("visible_precision", 0.05, Range.nonNegativeFinite())
            .add("weight_scale", 4.0, Range.positiveFinite())
            .add("initial_scale", 0.1, Range.finite())
            .add("experts", 15, Range.atLeast(1))
            .add("envelope", 0.02, Range.nonNegativeFinite())
            .add("loss", "ml")
            .add("margin", 1.0, Range.nonNegativeFinite())
            .add("loss_scale", 1.0, Range.positiveFinite())
            .add("negatives", NEGATIVES, NegativeSampling.CD)
            .add("negatives_per_example", 1, Range.atLeast(1))
            .add("leapfrog_steps", 20, Range.atLeast(1))
            .add("trajectories", 1, Range.atLeast(1))
            .add("step_size", 0.05, Range.positiveFinite())
            .add("adapt_step_size", true)
            .add("target_accept", 0.9, Range.open(0, 1))
            .add("metropolis", true)
            .add("fill_trajectories", 1, Range.atLeast(1)).absentInOlderFiles()
            .add("learning_rate", 0.05, Range.positiveFinite())
            .add("momentum", 0.9, Range.closedOpen(0, 1))
            .add("weight_decay", 1e-4, Range.nonNegativeFinite())
            .add("update", UPDATE, Update.MOMENTUM)
            .add("max_gradient_norm", Double.POSITIVE_INFINITY, Range.positive())
            .add("batch_size", 200, Range.atLeast(1))
            .add("updates", 3000, Range.atLeast(1))
            .add("seed", 1L)
            .add("holdout", 0, Range.atLeast(0)).absentInOlderFiles()
            .trainingSafety()
            .build(Builder::new);

    /**
     * Refuses, before any work, a run of these options on {@code visible} visible units whose arrays
     * cannot fit in this JVM's heap ({@link EnergyNetwork#requireTrainingMemory}): the network's
     * weights, and the activations of the batch for the data and every negative.
     */
    public void requireMemory(int visible) {
        long rows = (long) batchSize * (1L + Math.max(negativesPerExample, trajectories));
        EnergyNetwork.requireTrainingMemory(visible, layers, rows, "the " + batchSize + " rows and their negatives");
    }

    /** Reads {@link #toMap()} back; a missing, malformed or unknown key is an error naming it. */
    public static EnergyOptions fromMap(Map<String, String> map) {
        return FIELDS.fromMap(map);
    }

    /** The loss these options name, with its margin or scale. */
    public ContrastiveLoss contrastiveLoss() {
        return ContrastiveLosses.byName(loss, margin, lossScale);
    }

    /** Rows per minibatch on a data set of {@code rows} examples. */
    public int batchRows(int rows) {
        return Math.min(batchSize, SettingChecks.atLeast("data rows", rows, 1));
    }

    /** Updates per epoch on {@code rows} examples: the full minibatches of one pass. */
    public int updatesPerEpoch(int rows) {
        return rows / batchRows(rows);
    }

    /** The epochs that hold {@link #updates()} on {@code rows} examples (the last one may stop early). */
    public int epochs(int rows) {
        int per = updatesPerEpoch(rows);
        return (int) ((updates + (long) per - 1) / per);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Defaults of {@code ebm ebm train}: a network with one layer of 64 softplus units (visible precision
     * 0.05, weights {@code N(0, 4^2 / fanIn)}, unit scales 0.1); for uni-gauss 15 experts with envelope
     * 0.02; the sampled maximum-likelihood loss ({@code ml}, margin 1, scale 1); one negative per example
     * from CD with one Metropolis-corrected trajectory of 20 leapfrog steps of size 0.05, adapted toward
     * 90% acceptance; one conditional trajectory on the missing entries per update; momentum updates with
     * learning rate 0.05, momentum 0.9, weight decay 1e-4, no
     * clipping; batches of 200; 3,000 updates; seed 1; no rows held out.
     */
    public static final class Builder extends NetworkOptionsBuilder<EnergyOptions, Builder> {
        private Builder() {
            super(FIELDS);
        }

        public Builder model(Model v) {
            return set("model", v);
        }

        public Builder experts(int v) {
            return set("experts", v);
        }

        public Builder envelope(double v) {
            return set("envelope", v);
        }

        public Builder negatives(NegativeSampling v) {
            return set("negatives", v);
        }

        public Builder negativesPerExample(int v) {
            return set("negatives_per_example", v);
        }

        public Builder leapfrogSteps(int v) {
            return set("leapfrog_steps", v);
        }

        public Builder trajectories(int v) {
            return set("trajectories", v);
        }

        public Builder stepSize(double v) {
            return set("step_size", v);
        }

        public Builder adaptStepSize(boolean v) {
            return set("adapt_step_size", v);
        }

        public Builder targetAccept(double v) {
            return set("target_accept", v);
        }

        public Builder metropolis(boolean v) {
            return set("metropolis", v);
        }

        public Builder fillTrajectories(int v) {
            return set("fill_trajectories", v);
        }

        public Builder update(Update v) {
            return set("update", v);
        }

        public Builder maxGradientNorm(double v) {
            return set("max_gradient_norm", v);
        }

        public Builder updates(int v) {
            return set("updates", v);
        }
    }
}
