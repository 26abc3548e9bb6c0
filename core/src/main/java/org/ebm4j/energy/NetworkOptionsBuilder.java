package org.ebm4j.energy;

import java.util.List;
import org.ebm4j.energy.loss.ContrastiveLosses;
import org.ebm4j.train.GradientOptionsBuilder;
import org.ebm4j.train.OptionTable;
import org.ebm4j.train.SettingException;

/**
 * The base of the builders of options that train an {@link EnergyNetwork} with a contrastive loss
 * (plain energy models and conditional ones): the setters of the network's shape and initialization and
 * of the loss, which both records hold under the same keys, declared once here.
 *
 * @param <O> the options record
 * @param <B> the builder itself
 */
public abstract class NetworkOptionsBuilder<O extends Record, B extends NetworkOptionsBuilder<O, B>>
        extends GradientOptionsBuilder<O, B> {

    /** A builder whose table keys the learning rate {@code learning_rate} and the batch size {@code batch_size}. */
    protected NetworkOptionsBuilder(OptionTable<O, B> table) {
        super(table, "learning_rate", "batch_size");
    }

    /**
     * Checks the hidden layers of a record built by such a builder, for its compact constructor (the
     * numeric network options have their ranges in the record's table).
     *
     * @return an unmodifiable copy of {@code layers}, for the record to keep
     * @throws SettingException where no layer is given
     */
    public static List<EnergyNetwork.Layer> checkNetwork(List<EnergyNetwork.Layer> layers) {
        if (layers.isEmpty()) {
            throw new SettingException("layers", "must list at least one layer, found none");
        }
        return List.copyOf(layers);
    }

    /** The hidden layers, input side first. */
    public B layers(List<EnergyNetwork.Layer> v) {
        return set("layers", v);
    }

    /** Layers as {@link EnergyNetwork#parseLayers} reads them, e.g. {@code 64:softplus,16:fas}. */
    public B layers(String spec) {
        return set("layers", EnergyNetwork.parseLayers(spec));
    }

    /** {@code lambda >= 0} of the fixed {@code (lambda/2)|x|^2} term of the energy. */
    public B visiblePrecision(double v) {
        return set("visible_precision", v);
    }

    /** Initial weights are {@code N(0, weightScale^2 / fanIn)}. */
    public B weightScale(double v) {
        return set("weight_scale", v);
    }

    /** The initial energy scale of every hidden unit. */
    public B initialScale(double v) {
        return set("initial_scale", v);
    }

    /** The contrastive loss, one of {@link ContrastiveLosses#NAMES}. */
    public B loss(String v) {
        return set("loss", v);
    }

    /** The margin of the margin losses. */
    public B margin(double v) {
        return set("margin", v);
    }

    /** The scale parameter of the loss (gamma of square-exp, beta of nll, delta of lvq2). */
    public B lossScale(double v) {
        return set("loss_scale", v);
    }

    /**
     * Rows held out at the end of the data, not trained on, on which every epoch reports the model's
     * held-out metric (the one early stopping watches); 0 for none.
     */
    public B holdout(int v) {
        return set("holdout", v);
    }
}
