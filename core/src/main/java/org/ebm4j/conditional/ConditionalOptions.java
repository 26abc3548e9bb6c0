package org.ebm4j.conditional;

import java.util.List;
import java.util.Map;
import org.ebm4j.energy.EnergyNetwork;
import org.ebm4j.energy.NetworkOptionsBuilder;
import org.ebm4j.energy.loss.ContrastiveLoss;
import org.ebm4j.energy.loss.ContrastiveLosses;
import org.ebm4j.train.GradientSettings;
import org.ebm4j.train.OptionCodec;
import org.ebm4j.train.OptionTable;
import org.ebm4j.train.OptionsRecord;
import org.ebm4j.train.Optimizer;
import org.ebm4j.train.Range;
import org.ebm4j.train.SettingChecks;
import org.ebm4j.train.SettingException;
import org.ebm4j.train.TrainingSafety;

/**
 * How {@link ConditionalModel#fit} builds and trains a conditional energy {@code F(x, y)}.
 *
 * @param encoding          how the input and the answer enter the joint network
 * @param layers            hidden layers of the joint network over {@code [code(x, y) | onehot(y) | onehot(z)]}
 * @param visiblePrecision  {@code lambda} of the network's {@code (lambda/2)|q|^2} term ({@code >= 0})
 * @param weightScale       initial weights {@code N(0, weightScale^2 / fanIn)}
 * @param initialScale      initial scale of every hidden unit's contribution to the energy
 * @param latentValues      values of a discrete latent variable ({@code 0}: none)
 * @param latentBeta        inverse temperature of the latent's marginalization; infinity: minimum over z
 * @param loss              a loss of {@link ContrastiveLosses#NAMES}
 * @param margin            the loss's constant margin (hinge, min-hinge, square-square)
 * @param lossScale         gamma of square-exp, beta of nll, delta of lvq2
 * @param marginPerDistance adds {@code marginPerDistance |y - y-|} to the margin ({@code 0}: none)
 * @param sampledAnswers    contrastive answers drawn per example from {@code exp(-samplingBeta F)};
 *                          {@code 0}: every incorrect answer (exhaustive)
 * @param samplingBeta      inverse temperature of the drawn answers
 * @param learningRate      the constant learning rate
 * @param momentum          in [0, 1)
 * @param weightDecay       L2 on the weights
 * @param batchSize         examples per update
 * @param epochs            passes over the data
 * @param seed              the seed of the initialization, the shuffles and the drawn answers
 * @param holdout           the last labelled examples (rows, sequences, digit strings) held out of training
 *                          ({@link org.ebm4j.data.HoldOut}), on which every epoch reports
 *                          {@link ConditionalModel#HELDOUT_METRIC} and {@link ConditionalModel#HELDOUT_ERROR}; 0 for
 *                          none
 * @param optimizer         {@code sgd}: momentum SGD; {@code adam}: Adam on the gradient (no momentum)
 * @param patience          early stopping after this many epochs without a lower held-out loss, the model keeping
 *                          the best epoch's parameters (needs {@code holdout > 0}); 0 for none
 * @param maxRollbacks      divergences (non-finite or exploding parameters, a non-finite loss) rolled back with the
 *                          learning rate halved before the run fails
 */
public record ConditionalOptions(ConditionalEnergy.Encoding encoding, List<EnergyNetwork.Layer> layers, double visiblePrecision, double weightScale,
                                 double initialScale, int latentValues, double latentBeta, String loss, double margin,
                                 double lossScale, double marginPerDistance, int sampledAnswers, double samplingBeta,
                                 double learningRate, double momentum, double weightDecay, int batchSize, int epochs,
                                 long seed, int holdout, Optimizer optimizer, int patience, int maxRollbacks)
        implements OptionsRecord<ConditionalOptions, ConditionalOptions.Builder>, GradientSettings {

    public ConditionalOptions {
        FIELDS.check(encoding, layers, visiblePrecision, weightScale, initialScale, latentValues, latentBeta, loss,
                margin, lossScale, marginPerDistance, sampledAnswers, samplingBeta, learningRate, momentum, weightDecay,
                batchSize, epochs, seed, holdout, optimizer, patience, maxRollbacks);
        layers = NetworkOptionsBuilder.checkNetwork(layers);
        if (!ContrastiveLosses.NAMES.contains(loss) || loss.equals("ml")) {
            throw new SettingException("loss", "must be one of " + ContrastiveLosses.NAMES.subList(1,
                    ContrastiveLosses.NAMES.size()) + ", found '" + loss + "'");
        }
        if (patience > 0 && holdout == 0) {
            throw new SettingException("patience", "early stopping watches the held-out loss, which needs held-out "
                    + "rows; give holdout > 0 or use patience 0");
        }
    }

    private static final OptionCodec<List<EnergyNetwork.Layer>> LAYERS = OptionCodec.of(EnergyNetwork::layerSpec,
            EnergyNetwork::parseLayers);
    private static final OptionCodec<ConditionalEnergy.Encoding> ENCODING = OptionCodec.of(
            ConditionalEnergy.Encoding::id, ConditionalEnergy.Encoding::byName);

    private static final OptionTable<ConditionalOptions, Builder> FIELDS = OptionTable
            .<ConditionalOptions, Builder>of(ConditionalOptions.class, "conditional energy options")
            .add("encoding", ENCODING, ConditionalEnergy.Encoding.BLOCK)
            .add("layers", LAYERS, EnergyNetwork.parseLayers("32:softplus"))
            .add("visible_precision", 0.01, Range.nonNegativeFinite())
            .add("weight_scale", 1.0, Range.positiveFinite())
            .add("initial_scale", 0.1, Range.finite())
            .add("latent_values", 0, Range.atLeast(0))
            .add("latent_beta", Double.POSITIVE_INFINITY, Range.positive())
            .add("loss", "hinge")
            .add("margin", 1.0, Range.nonNegativeFinite())
            .add("loss_scale", 1.0, Range.positiveFinite())
            .add("margin_per_distance", 0.0, Range.nonNegativeFinite())
            .add("sampled_answers", 0, Range.atLeast(0))
            .add("sampling_beta", 1.0, Range.positiveFinite())
            .add("learning_rate", 0.05, Range.positiveFinite())
            .add("momentum", 0.5, Range.closedOpen(0, 1))
            .add("weight_decay", 0.0, Range.nonNegativeFinite())
            .add("batch_size", 50, Range.atLeast(1).boundedByMemory())
            .add("epochs", 5, Range.atLeast(1))
            .add("seed", 1L)
            .add("holdout", 0, Range.atLeast(0)).absentInOlderFiles()
            .trainingSafety()
            .build(Builder::new);

    /** Reads {@link #toMap()} back; a missing, malformed or unknown key is an error naming it. */
    public static ConditionalOptions fromMap(Map<String, String> map) {
        return FIELDS.fromMap(map);
    }

    /** The latent reduction these options name. */
    public LatentReduction latentReduction() {
        return latentBeta == Double.POSITIVE_INFINITY ? LatentReduction.minimum() : LatentReduction.marginal(latentBeta);
    }

    /** The loss with its contrastive answers, as these options say. */
    public AnswerLoss answerLoss() {
        return sampledAnswers > 0 ? AnswerLoss.sampled(contrastiveLoss(), answerMargin(), sampledAnswers, samplingBeta)
                : exhaustiveLoss();
    }

    /** The loss these options name against every incorrect answer, whether or not training samples them. */
    public AnswerLoss exhaustiveLoss() {
        return AnswerLoss.exhaustive(contrastiveLoss(), answerMargin());
    }

    private ContrastiveLoss contrastiveLoss() {
        return ContrastiveLosses.byName(loss, margin, lossScale);
    }

    private AnswerMargin answerMargin() {
        return marginPerDistance > 0 ? AnswerMargin.distance(marginPerDistance) : AnswerMargin.NONE;
    }

    /**
     * Refuses, before any work, training on {@code inputs} inputs and {@code answers} answers with these
     * options when the arrays cannot fit in this JVM's heap ({@link EnergyNetwork#requireTrainingMemory}):
     * the joint network's weights, and a batch's joint rows, one for every example, answer and latent
     * value, with their activations. {@code rowsPerExample} counts the joint network's inputs an example
     * stands for (1 for a row of data, the positions of a sequence, the windows of a string).
     */
    public void requireMemory(int inputs, int answers, long rowsPerExample) {
        long joint = (encoding == ConditionalEnergy.Encoding.BLOCK ? (long) inputs * answers : inputs) + answers
                + latentValues;
        long rows = (long) batchSize * rowsPerExample * answers * Math.max(1, latentValues);
        EnergyNetwork.requireTrainingMemory(joint, layers, rows, "the " + batchSize + " examples' joint rows for "
                + "every answer");
    }

    /**
     * The training safety these options ask for ({@link TrainingSafety}), shared by every trainer of a
     * conditional energy ({@link ConditionalModel}, the chain, the digit-string recognizer). With held-out
     * examples the run watches {@link ConditionalModel#HELDOUT_METRIC}, which early stopping
     * ({@link #patience()}) follows, the model keeping the best epoch's parameters; without them it watches
     * the mean training {@code loss}. An epoch whose watched value is non-finite (an update diverged) or
     * whose parameters are non-finite or exploded is rolled back with the rate halved, at most
     * {@link #maxRollbacks()} times. The losses have no scale against which a finite value could be called
     * exploded, so only a non-finite one counts.
     *
     * @param heldOut whether the trainer reports {@link ConditionalModel#HELDOUT_METRIC} every epoch
     */
    public TrainingSafety safety(boolean heldOut) {
        return new TrainingSafety(heldOut ? ConditionalModel.HELDOUT_METRIC : "loss", false, patience, maxRollbacks,
                Double.MAX_VALUE);
    }

    /** Rows per minibatch on {@code rows} examples. */
    public int batchRows(int rows) {
        return Math.min(batchSize, SettingChecks.atLeast("data rows", rows, 1));
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Defaults: the block encoding (a first layer per answer), one layer of 32 softplus units (visible precision 0.01, weight scale 1, unit scales 0.1),
     * no latent variable, the hinge loss with margin 1 on every incorrect answer, momentum updates with
     * learning rate 0.05, momentum 0.5, no weight decay, batches of 50, 5 epochs, seed 1; no rows held out,
     * momentum SGD, no early stopping, 3 rollbacks. These are {@code ebm conditional train}'s defaults too
     * (the momentum and weight decay of the other families' trainers); {@link
     * org.ebm4j.segmentation.SegmentationModel#trainingOptions()} and {@link
     * org.ebm4j.structured.ChainModel#trainingOptions()} start from them with their families' loss and batch.
     */
    public static final class Builder extends NetworkOptionsBuilder<ConditionalOptions, Builder> {

        private Builder() {
            super(FIELDS);
        }

        public Builder encoding(ConditionalEnergy.Encoding v) {
            return set("encoding", v);
        }

        public Builder latentValues(int v) {
            return set("latent_values", v);
        }

        public Builder latentBeta(double v) {
            return set("latent_beta", v);
        }

        public Builder marginPerDistance(double v) {
            return set("margin_per_distance", v);
        }

        public Builder sampledAnswers(int v) {
            return set("sampled_answers", v);
        }

        public Builder samplingBeta(double v) {
            return set("sampling_beta", v);
        }

        public Builder epochs(int v) {
            return set("epochs", v);
        }
    }
}
