package org.ebm4j.rbm;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Everything that determines an RBM training run (with the data, the backend and its thread
 * count). Immutable; build with {@link #builder()}. Stored in model files and checkpoints as
 * {@code train.*} metadata.
 *
 * @param method         CD or PCD
 * @param k              Gibbs steps per update ({@code >= 1})
 * @param chains         persistent chains (PCD only), independent of the batch size
 * @param learningRate   base learning rate ({@code > 0})
 * @param schedule       learning rate per epoch
 * @param momentum       in {@code [0, 1)}: {@code vel = momentum * vel + lr * grad}
 * @param weightDecay    L2 coefficient on the weights ({@code >= 0}; biases are not decayed)
 * @param sparsityTarget target mean hidden activation in (0, 1), or NaN for none
 * @param sparsityCost   weight of the sparsity penalty's gradient ({@code >= 0})
 * @param batchSize      examples per update
 * @param epochs         passes over the data
 * @param seed           seed of every random stream (initialization, shuffling, sampling)
 * @param initWeightStd  standard deviation of the initial weights
 */
public record RbmOptions(TrainingMethod method, int k, int chains, double learningRate,
                             LearningRateSchedule schedule, double momentum, double weightDecay,
                             double sparsityTarget, double sparsityCost, int batchSize, int epochs, long seed,
                             double initWeightStd) {

    public RbmOptions {
        if (method == null) {
            throw new IllegalArgumentException("training method must be set");
        }
        if (schedule == null) {
            schedule = LearningRateSchedule.constant();
        }
        require(k >= 1, "k (Gibbs steps) must be >= 1, found " + k);
        require(chains >= 1, "chains must be >= 1, found " + chains);
        require(learningRate > 0 && Double.isFinite(learningRate), "learning rate must be finite and > 0, found "
                + learningRate);
        require(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), found " + momentum);
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "weight decay must be finite and >= 0, found "
                + weightDecay);
        require(Double.isNaN(sparsityTarget) || (sparsityTarget > 0 && sparsityTarget < 1),
                "sparsity target must be in (0, 1) (or unset), found " + sparsityTarget);
        require(sparsityCost >= 0 && sparsityCost < 1, "sparsity cost must be in [0, 1), found " + sparsityCost);
        require(batchSize >= 1, "batch size must be >= 1, found " + batchSize);
        require(epochs >= 1, "epochs must be >= 1, found " + epochs);
        require(initWeightStd >= 0 && Double.isFinite(initWeightStd), "initial weight std must be finite and >= 0, found "
                + initWeightStd);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public boolean hasSparsity() {
        return !Double.isNaN(sparsityTarget) && sparsityCost > 0;
    }

    /** The rate used during {@code epoch} (0-based). */
    public double learningRate(int epoch) {
        return schedule.rate(learningRate, epoch, epochs);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder().method(method).k(k).chains(chains).learningRate(learningRate).schedule(schedule)
                .momentum(momentum).weightDecay(weightDecay).sparsity(sparsityTarget, sparsityCost)
                .batchSize(batchSize).epochs(epochs).seed(seed).initWeightStd(initWeightStd);
    }

    /** The configuration as {@code train.*} metadata entries (stable keys, locale-independent values). */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("train.method", method.id());
        m.put("train.k", Integer.toString(k));
        m.put("train.chains", Integer.toString(chains));
        m.put("train.lr", Double.toString(learningRate));
        m.put("train.lr_schedule", schedule.toString());
        m.put("train.momentum", Double.toString(momentum));
        m.put("train.weight_decay", Double.toString(weightDecay));
        m.put("train.sparsity_target", Double.toString(sparsityTarget));
        m.put("train.sparsity_cost", Double.toString(sparsityCost));
        m.put("train.batch", Integer.toString(batchSize));
        m.put("train.epochs", Integer.toString(epochs));
        m.put("train.seed", Long.toString(seed));
        m.put("train.init_weight_std", Double.toString(initWeightStd));
        return m;
    }

    /** Reads {@link #toMetadata()} back. */
    public static RbmOptions fromMetadata(Map<String, String> m) {
        try {
            return new RbmOptions(TrainingMethod.parse(get(m, "train.method")), Integer.parseInt(get(m, "train.k")),
                    Integer.parseInt(get(m, "train.chains")), Double.parseDouble(get(m, "train.lr")),
                    LearningRateSchedule.parse(get(m, "train.lr_schedule")), Double.parseDouble(get(m, "train.momentum")),
                    Double.parseDouble(get(m, "train.weight_decay")), Double.parseDouble(get(m, "train.sparsity_target")),
                    Double.parseDouble(get(m, "train.sparsity_cost")), Integer.parseInt(get(m, "train.batch")),
                    Integer.parseInt(get(m, "train.epochs")), Long.parseLong(get(m, "train.seed")),
                    Double.parseDouble(get(m, "train.init_weight_std")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed training configuration in metadata: " + e.getMessage());
        }
    }

    private static String get(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("metadata lacks '" + key + "' (the training configuration)");
        }
        return v;
    }

    /** A one-line description for logs. */
    public String summary() {
        return String.format(Locale.ROOT, "%s-%d%s lr=%g (%s) momentum=%g wd=%g%s batch=%d epochs=%d seed=%d",
                method.id().toUpperCase(Locale.ROOT), k, method == TrainingMethod.PCD ? " chains=" + chains : "",
                learningRate, schedule, momentum, weightDecay,
                hasSparsity() ? String.format(Locale.ROOT, " sparsity=%g/%g", sparsityTarget, sparsityCost) : "",
                batchSize, epochs, seed);
    }

    /** Mutable builder with the defaults of {@code ebm rbm train}. */
    public static final class Builder {
        private TrainingMethod method = TrainingMethod.PCD;
        private int k = 1;
        private int chains = 100;
        private double learningRate = 0.05;
        private LearningRateSchedule schedule = LearningRateSchedule.parse("linear:0.05");
        private double momentum = 0.5;
        private double weightDecay = 0.0;
        private double sparsityTarget = Double.NaN;
        private double sparsityCost = 0.0;
        private int batchSize = 100;
        private int epochs = 20;
        private long seed = 1L;
        private double initWeightStd = 0.01;

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

        public RbmOptions build() {
            return new RbmOptions(method, k, chains, learningRate, schedule, momentum, weightDecay, sparsityTarget,
                    sparsityCost, batchSize, epochs, seed, initWeightStd);
        }
    }
}
