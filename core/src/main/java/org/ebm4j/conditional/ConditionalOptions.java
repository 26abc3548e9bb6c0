package org.ebm4j.conditional;

import static org.ebm4j.train.OptionCodec.INT;
import static org.ebm4j.train.OptionCodec.LONG;
import static org.ebm4j.train.OptionCodec.REAL;
import static org.ebm4j.train.OptionCodec.TEXT;

import java.util.List;
import java.util.Map;
import org.ebm4j.energy.EnergyNetwork;
import org.ebm4j.energy.loss.ContrastiveLosses;
import org.ebm4j.train.OptionCodec;
import org.ebm4j.train.OptionTable;
import org.ebm4j.train.OptionsBuilder;
import org.ebm4j.train.OptionsRecord;
import org.ebm4j.train.SettingChecks;

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
 */
public record ConditionalOptions(ConditionalEnergy.Encoding encoding, List<EnergyNetwork.Layer> layers, double visiblePrecision, double weightScale,
                                 double initialScale, int latentValues, double latentBeta, String loss, double margin,
                                 double lossScale, double marginPerDistance, int sampledAnswers, double samplingBeta,
                                 double learningRate, double momentum, double weightDecay, int batchSize, int epochs,
                                 long seed)
        implements OptionsRecord<ConditionalOptions, ConditionalOptions.Builder> {

    public ConditionalOptions {
        SettingChecks.notNull("answer encoding", encoding);
        SettingChecks.notNull("hidden layers", layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("hidden layers must list at least one layer, found none");
        }
        layers = List.copyOf(layers);
        SettingChecks.nonNegativeFinite("visible precision", visiblePrecision);
        SettingChecks.positiveFinite("weight scale", weightScale);
        if (!Double.isFinite(initialScale)) {
            throw new IllegalArgumentException("initial scale must be finite, found " + initialScale);
        }
        SettingChecks.atLeast("latent values", latentValues, 0);
        SettingChecks.positive("latent beta", latentBeta);
        SettingChecks.notNull("loss", loss);
        if (!ContrastiveLosses.NAMES.contains(loss) || loss.equals("ml")) {
            throw new IllegalArgumentException("loss must be one of " + ContrastiveLosses.NAMES.subList(1,
                    ContrastiveLosses.NAMES.size()) + ", found '" + loss + "'");
        }
        SettingChecks.nonNegativeFinite("margin", margin);
        SettingChecks.positiveFinite("loss scale", lossScale);
        SettingChecks.nonNegativeFinite("margin per distance", marginPerDistance);
        SettingChecks.atLeast("sampled answers", sampledAnswers, 0);
        SettingChecks.positiveFinite("sampling beta", samplingBeta);
        SettingChecks.positiveFinite("learning rate", learningRate);
        SettingChecks.inRange("momentum", momentum, 0, false, 1, false);
        SettingChecks.nonNegativeFinite("weight decay", weightDecay);
        SettingChecks.atLeast("batch size", batchSize, 1);
        SettingChecks.atLeast("epochs", epochs, 1);
    }

    private static final OptionCodec<List<EnergyNetwork.Layer>> LAYERS = OptionCodec.of(EnergyNetwork::layerSpec,
            EnergyNetwork::parseLayers);
    private static final OptionCodec<ConditionalEnergy.Encoding> ENCODING = OptionCodec.of(
            ConditionalEnergy.Encoding::id, ConditionalEnergy.Encoding::byName);

    private static final OptionTable<ConditionalOptions, Builder> FIELDS = OptionTable
            .<ConditionalOptions, Builder>of("conditional energy options")
            .add("encoding", ENCODING, ConditionalOptions::encoding, Builder::encoding)
            .add("layers", LAYERS, ConditionalOptions::layers, Builder::layers)
            .add("visible_precision", REAL, ConditionalOptions::visiblePrecision, Builder::visiblePrecision)
            .add("weight_scale", REAL, ConditionalOptions::weightScale, Builder::weightScale)
            .add("initial_scale", REAL, ConditionalOptions::initialScale, Builder::initialScale)
            .add("latent_values", INT, ConditionalOptions::latentValues, Builder::latentValues)
            .add("latent_beta", REAL, ConditionalOptions::latentBeta, Builder::latentBeta)
            .add("loss", TEXT, ConditionalOptions::loss, Builder::loss)
            .add("margin", REAL, ConditionalOptions::margin, Builder::margin)
            .add("loss_scale", REAL, ConditionalOptions::lossScale, Builder::lossScale)
            .add("margin_per_distance", REAL, ConditionalOptions::marginPerDistance, Builder::marginPerDistance)
            .add("sampled_answers", INT, ConditionalOptions::sampledAnswers, Builder::sampledAnswers)
            .add("sampling_beta", REAL, ConditionalOptions::samplingBeta, Builder::samplingBeta)
            .add("learning_rate", REAL, ConditionalOptions::learningRate, Builder::learningRate)
            .add("momentum", REAL, ConditionalOptions::momentum, Builder::momentum)
            .add("weight_decay", REAL, ConditionalOptions::weightDecay, Builder::weightDecay)
            .add("batch_size", INT, ConditionalOptions::batchSize, Builder::batchSize)
            .add("epochs", INT, ConditionalOptions::epochs, Builder::epochs)
            .add("seed", LONG, ConditionalOptions::seed, Builder::seed)
            .build(Builder::new, b -> new ConditionalOptions(b.encoding, b.layers, b.visiblePrecision, b.weightScale,
                    b.initialScale, b.latentValues, b.latentBeta, b.loss, b.margin, b.lossScale, b.marginPerDistance,
                    b.sampledAnswers, b.samplingBeta, b.learningRate, b.momentum, b.weightDecay, b.batchSize,
                    b.epochs, b.seed));

    @Override
    public OptionTable<ConditionalOptions, Builder> optionTable() {
        return FIELDS;
    }

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
        AnswerMargin m = marginPerDistance > 0 ? AnswerMargin.distance(marginPerDistance) : AnswerMargin.NONE;
        var l = ContrastiveLosses.byName(loss, margin, lossScale);
        return sampledAnswers > 0 ? AnswerLoss.sampled(l, m, sampledAnswers, samplingBeta) : AnswerLoss.exhaustive(l, m);
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
     * learning rate 0.05, momentum 0.9, weight decay 1e-4, batches of 50, 10 epochs, seed 1.
     */
    public static final class Builder extends OptionsBuilder<ConditionalOptions, Builder> {
        private ConditionalEnergy.Encoding encoding = ConditionalEnergy.Encoding.BLOCK;
        private List<EnergyNetwork.Layer> layers = EnergyNetwork.parseLayers("32:softplus");
        private double visiblePrecision = 0.01;
        private double weightScale = 1;
        private double initialScale = 0.1;
        private int latentValues;
        private double latentBeta = Double.POSITIVE_INFINITY;
        private String loss = "hinge";
        private double margin = 1;
        private double lossScale = 1;
        private double marginPerDistance;
        private int sampledAnswers;
        private double samplingBeta = 1;
        private double learningRate = 0.05;
        private double momentum = 0.9;
        private double weightDecay = 1e-4;
        private int batchSize = 50;
        private int epochs = 10;
        private long seed = 1;

        private Builder() {
            super(FIELDS);
        }

        public Builder encoding(ConditionalEnergy.Encoding v) {
            encoding = v;
            return this;
        }

        public Builder layers(List<EnergyNetwork.Layer> v) {
            layers = v;
            return this;
        }

        /** Layers as {@link EnergyNetwork#parseLayers} reads them, e.g. {@code 64:softplus,16:fas}. */
        public Builder layers(String spec) {
            layers = EnergyNetwork.parseLayers(spec);
            return this;
        }

        public Builder visiblePrecision(double v) {
            visiblePrecision = v;
            return this;
        }

        public Builder weightScale(double v) {
            weightScale = v;
            return this;
        }

        public Builder initialScale(double v) {
            initialScale = v;
            return this;
        }

        public Builder latentValues(int v) {
            latentValues = v;
            return this;
        }

        public Builder latentBeta(double v) {
            latentBeta = v;
            return this;
        }

        public Builder loss(String v) {
            loss = v;
            return this;
        }

        public Builder margin(double v) {
            margin = v;
            return this;
        }

        public Builder lossScale(double v) {
            lossScale = v;
            return this;
        }

        public Builder marginPerDistance(double v) {
            marginPerDistance = v;
            return this;
        }

        public Builder sampledAnswers(int v) {
            sampledAnswers = v;
            return this;
        }

        public Builder samplingBeta(double v) {
            samplingBeta = v;
            return this;
        }

        public Builder learningRate(double v) {
            learningRate = v;
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

        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }
    }
}
