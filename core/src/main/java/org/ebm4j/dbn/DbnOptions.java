package org.ebm4j.dbn;


import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.ebm4j.random.StreamId;
import org.ebm4j.rbm.LearningRateSchedule;
import org.ebm4j.rbm.RbmOptions;
import org.ebm4j.rbm.TrainingMethod;
import org.ebm4j.rbm.VisibleType;
import org.ebm4j.train.OptionCodec;
import org.ebm4j.train.OptionTable;
import org.ebm4j.train.MemoryEstimate;
import org.ebm4j.train.Optimizer;
import org.ebm4j.train.TrainingOptionsBuilder;
import org.ebm4j.train.OptionsRecord;
import org.ebm4j.train.Range;
import org.ebm4j.train.SettingException;

/**
 * Everything that determines a DBN training run (with the data, the backend and its thread
 * count): the shape of the stack, the greedy layer-wise pretraining of each RBM, the fine-tuning
 * of the unrolled classifier, the preprocessing, the seed and how often the per-epoch metrics are
 * evaluated. Immutable and validated on construction; build with {@link #builder()}, whose
 * defaults are those of {@code ebm dbn train}. {@link #toMap()} and {@link #fromMap} give the
 * stable {@code snake_case} form stored in a model's provenance ({@code option.*}).
 *
 * <p>Layer {@code i} is pretrained as an RBM with {@link #layerOptions(int)}: the shared
 * pretraining settings, its own {@code k}, epochs and learning rate, and seed {@code seed + i}.
 * Fine-tuning trains the stack unrolled into a sigmoid network with a softmax output layer over
 * {@code classes} classes ({@link Classifier}).
 *
 * @param hiddenLayers        hidden layer sizes, bottom first (the visible size is the data's column count)
 * @param visibleType         the first layer's visible units
 * @param standardize         standardize each data column to mean 0 and std 1 before training (the model
 *                            keeps the statistics and applies them to the data it is given later); meant
 *                            for Gaussian visibles
 * @param method              pretraining method of every layer, CD or PCD
 * @param k                   Gibbs steps per pretraining update, one per layer
 * @param chains              persistent chains of PCD pretraining
 * @param pretrainEpochs      pretraining epochs, one per layer ({@code >= 0}; 0 leaves that layer as it is)
 * @param pretrainLearningRate pretraining learning rate, one per layer
 * @param pretrainSchedule    pretraining learning rate per epoch of each layer
 * @param pretrainMomentum    pretraining momentum in {@code [0, 1)}
 * @param pretrainWeightDecay pretraining L2 coefficient on the weights
 * @param pretrainBatchSize   pretraining examples per update
 * @param sampleInputs        train each layer on one Bernoulli sample of the previous layer's hidden units
 *                            instead of their probabilities
 * @param randomInit          skip pretraining and fine-tune a network initialized as Glorot and Bengio
 *                            (2010) recommend (the baseline that shows what pretraining adds)
 * @param initWeightStd       standard deviation of the initial RBM weights and of the output layer's
 *                            initial weights, in [0, 10]
 * @param classes             classes of the fine-tuned classifier (labels in {@code [0, classes)})
 * @param finetuneEpochs      fine-tuning epochs ({@code >= 0}; 0 for none: the model is a pretrained stack)
 * @param finetuneLearningRate fine-tuning learning rate
 * @param finetuneSchedule    fine-tuning learning rate per epoch
 * @param finetuneMomentum    fine-tuning momentum in {@code [0, 1)}
 * @param finetuneWeightDecay fine-tuning L2 coefficient on the weights
 * @param finetuneBatchSize   fine-tuning examples per update
 * @param seed                seed of every random stream of the run
 * @param metricsEvery        evaluate the held-out error every this many fine-tuning epochs (and after
 *                            the last)
 * @param optimizer           momentum SGD or Adam ({@link Optimizer}), for pretraining (every layer's RBM) and
 *                            fine-tuning alike; Adam ignores the momenta
 * @param patience            early stopping of fine-tuning after this many evaluations without a lower held-out
 *                            error, keeping the best evaluation's classifier; 0 for none (needs held-out rows)
 * @param maxRollbacks        divergences rolled back with the learning rate halved, per pretrained layer and in
 *                            fine-tuning, before the run fails
 */
public record DbnOptions(List<Integer> hiddenLayers, VisibleType visibleType, boolean standardize,
                         TrainingMethod method, List<Integer> k, int chains, List<Integer> pretrainEpochs,
                         List<Double> pretrainLearningRate, LearningRateSchedule pretrainSchedule,
                         double pretrainMomentum, double pretrainWeightDecay, int pretrainBatchSize,
                         boolean sampleInputs, boolean randomInit, double initWeightStd, int classes,
                         int finetuneEpochs, double finetuneLearningRate, LearningRateSchedule finetuneSchedule,
                         double finetuneMomentum, double finetuneWeightDecay, int finetuneBatchSize, long seed,
                         int metricsEvery, Optimizer optimizer, int patience, int maxRollbacks)
        implements OptionsRecord<DbnOptions, DbnOptions.Builder> {

    /** The most hidden layers a DBN may have: each layer has its own stream of sampled inputs. */
    public static final int MAX_LAYERS = StreamId.DBN_LAYER_SAMPLE.count();

    public DbnOptions {
        FIELDS.check(hiddenLayers, visibleType, standardize, method, k, chains, pretrainEpochs, pretrainLearningRate,
                pretrainSchedule, pretrainMomentum, pretrainWeightDecay, pretrainBatchSize, sampleInputs, randomInit,
                initWeightStd, classes, finetuneEpochs, finetuneLearningRate, finetuneSchedule, finetuneMomentum,
                finetuneWeightDecay, finetuneBatchSize, seed, metricsEvery, optimizer, patience, maxRollbacks);
        hiddenLayers = List.copyOf(hiddenLayers);
        int depth = hiddenLayers.size();
        if (depth < 1 || depth > MAX_LAYERS) {
            throw new SettingException("hidden_layers", "must hold 1 to " + MAX_LAYERS + " sizes, found " + depth);
        }
        k = perLayer("k", k, depth);
        pretrainEpochs = perLayer("pretrain_epochs", pretrainEpochs, depth);
        pretrainLearningRate = perLayer("pretrain_lr", pretrainLearningRate, depth);
        if (randomInit && finetuneEpochs == 0) {
            throw new SettingException("random_init", "with finetune_epochs 0 trains nothing: random_init skips "
                    + "pretraining, so fine-tuning needs at least 1 epoch");
        }
    }

    private static final OptionCodec<List<Integer>> INTS = OptionCodec.list(Integer::valueOf);
    private static final OptionCodec<List<Double>> REALS = OptionCodec.list(Double::valueOf);

    private static final OptionTable<DbnOptions, Builder> FIELDS = OptionTable
            .<DbnOptions, Builder>ofModel(DbnOptions.class, "DBN")
            .add("hidden_layers", INTS, List.of(500, 500, 2000), Range.atLeast(1))
            .add("visible_type", VisibleType.CODEC, VisibleType.BERNOULLI)
            .add("standardize", false)
            .add("method", TrainingMethod.CODEC, TrainingMethod.CD)
            .add("k", INTS, List.of(1), Range.atLeast(1))
            .add("chains", 100, Range.atLeast(1))
            .add("pretrain_epochs", INTS, List.of(2), Range.atLeast(0))
            .add("pretrain_lr", REALS, List.of(0.1), Range.positiveFinite())
            .add("pretrain_lr_schedule", LearningRateSchedule.CODEC, LearningRateSchedule.constant())
            .add("pretrain_momentum", 0.5, Range.closedOpen(0, 1))
            .add("pretrain_weight_decay", 0.0002, Range.nonNegativeFinite())
            .add("pretrain_batch", 100, Range.atLeast(1))
            .add("sample_inputs", false)
            .add("random_init", false)
            .add("init_std", 0.1, Range.closed(0, 10))
            .add("classes", 10, Range.atLeast(2))
            .add("finetune_epochs", 10, Range.atLeast(0))
            .add("finetune_lr", 0.1, Range.positiveFinite())
            .add("finetune_lr_schedule", LearningRateSchedule.CODEC, LearningRateSchedule.constant())
            .add("finetune_momentum", 0.9, Range.closedOpen(0, 1))
            .add("finetune_weight_decay", 0.00001, Range.nonNegativeFinite())
            .add("finetune_batch", 100, Range.atLeast(1))
            .add("seed", 1L)
            .add("metrics_every", 1, Range.atLeast(1))
            .trainingSafety()
            .build(Builder::new);

    /**
     * Refuses, before any work, a run of these options on {@code visible} visible units whose arrays
     * cannot fit in this JVM's heap ({@link MemoryEstimate#require}): the largest layer's weights with
     * their gradient, momentum and saved copies (6 matrices), and the persistent chains through every
     * layer (4 arrays of all units a chain).
     */
    public void requireMemory(int visible) {
        MemoryEstimate.require("hidden_layers", MemoryEstimate.layerWeights(6, visible, hiddenLayers, true),
                "the largest layer's weights with their gradient, momentum and saved copies");
        MemoryEstimate.require("chains", MemoryEstimate.floats(4, chains,
                MemoryEstimate.units(visible, hiddenLayers)), "the " + chains + " chains");
    }

    /** Reads {@link #toMap()} back; a missing, unknown or malformed entry is an error naming it. */
    public static DbnOptions fromMap(Map<String, String> m) {
        return FIELDS.fromMap(m);
    }

    private static <T> List<T> perLayer(String key, List<T> values, int depth) {
        if (values.size() != depth) {
            throw new SettingException(key, "needs one value per hidden layer (" + depth + "), found "
                    + values.size());
        }
        return List.copyOf(values);
    }

    /** Number of hidden layers (RBMs). */
    public int depth() {
        return hiddenLayers.size();
    }

    /** The layer sizes of a DBN on data of {@code inputs} columns: {@code inputs}, then the hidden sizes. */
    public int[] sizes(int inputs) {
        return Dbn.sizes(inputs, depth(), hiddenLayers::get);
    }

    /** Whether the run ends with a fine-tuned classifier. */
    public boolean fineTunes() {
        return finetuneEpochs > 0;
    }

    /** Whether layer {@code layer} is pretrained (not with {@code random_init}, and only with epochs). */
    public boolean pretrains(int layer) {
        return !randomInit && pretrainEpochs.get(layer) > 0;
    }

    /** The RBM training options of layer {@code layer} (which {@link #pretrains} it); seed {@code seed + layer}. */
    public RbmOptions layerOptions(int layer) {
        return RbmOptions.builder().method(method).k(k.get(layer)).chains(chains)
                .learningRate(pretrainLearningRate.get(layer)).schedule(pretrainSchedule).momentum(pretrainMomentum)
                .weightDecay(pretrainWeightDecay).batchSize(pretrainBatchSize).epochs(pretrainEpochs.get(layer))
                .seed(seed + layer).initWeightStd(initWeightStd).optimizer(optimizer).maxRollbacks(maxRollbacks).build();
    }

    /** The fine-tuning learning rate of {@code epoch} (0-based). */
    public double finetuneLearningRate(int epoch) {
        return finetuneSchedule.rate(finetuneLearningRate, epoch, finetuneEpochs);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Mutable builder with the defaults of {@code ebm dbn train}: 500-500-2000 hidden units, Bernoulli
     * visibles, 2 CD-1 epochs per layer (lr 0.1, momentum 0.5, weight decay 0.0002, batch 100, initial
     * weights N(0, 0.1^2)), then 10 fine-tuning epochs over 10 classes (lr 0.1, momentum 0.9, weight
     * decay 1e-5, batch 100), constant learning rates, seed 1, metrics every epoch. A per-layer
     * setting given as one value holds for every layer.
     */
    public static final class Builder extends TrainingOptionsBuilder<DbnOptions, Builder> {
        private Builder() {
            super(FIELDS);
        }

        /** Hidden layer sizes, bottom first. */
        public Builder hiddenLayers(int... sizes) {
            return set("hidden_layers", boxed(sizes));
        }

        public Builder visibleType(VisibleType v) {
            return set("visible_type", v);
        }

        public Builder standardize(boolean v) {
            return set("standardize", v);
        }

        public Builder method(TrainingMethod v) {
            return set("method", v);
        }

        /** Gibbs steps per pretraining update: one value for every layer or one per layer. */
        public Builder k(int... perLayer) {
            return set("k", boxed(perLayer));
        }

        public Builder chains(int v) {
            return set("chains", v);
        }

        /** Pretraining epochs: one value for every layer or one per layer. */
        public Builder pretrainEpochs(int... perLayer) {
            return set("pretrain_epochs", boxed(perLayer));
        }

        /** Pretraining learning rate: one value for every layer or one per layer. */
        public Builder pretrainLearningRate(double... perLayer) {
            return set("pretrain_lr", Arrays.stream(perLayer).boxed().toList());
        }

        public Builder pretrainSchedule(LearningRateSchedule v) {
            return set("pretrain_lr_schedule", v);
        }

        public Builder pretrainMomentum(double v) {
            return set("pretrain_momentum", v);
        }

        public Builder pretrainWeightDecay(double v) {
            return set("pretrain_weight_decay", v);
        }

        public Builder pretrainBatchSize(int v) {
            return set("pretrain_batch", v);
        }

        public Builder sampleInputs(boolean v) {
            return set("sample_inputs", v);
        }

        public Builder randomInit(boolean v) {
            return set("random_init", v);
        }

        public Builder initWeightStd(double v) {
            return set("init_std", v);
        }

        public Builder classes(int v) {
            return set("classes", v);
        }

        public Builder finetuneEpochs(int v) {
            return set("finetune_epochs", v);
        }

        public Builder finetuneLearningRate(double v) {
            return set("finetune_lr", v);
        }

        public Builder finetuneSchedule(LearningRateSchedule v) {
            return set("finetune_lr_schedule", v);
        }

        public Builder finetuneMomentum(double v) {
            return set("finetune_momentum", v);
        }

        public Builder finetuneWeightDecay(double v) {
            return set("finetune_weight_decay", v);
        }

        public Builder finetuneBatchSize(int v) {
            return set("finetune_batch", v);
        }

        public Builder seed(long v) {
            return set("seed", v);
        }

        public Builder metricsEvery(int v) {
            return set("metrics_every", v);
        }

        /** A per-layer setting given as one value holds for every layer ({@link #fromMap} wants one per layer). */
        @Override
        protected void complete() {
            @SuppressWarnings("unchecked")
            List<Integer> hiddenLayers = (List<Integer>) get("hidden_layers");
            int depth = hiddenLayers != null ? hiddenLayers.size() : 0;
            for (String perLayer : List.of("k", "pretrain_epochs", "pretrain_lr")) {
                set(perLayer, spread((List<?>) get(perLayer), depth));
            }
        }

        private static List<Integer> boxed(int... values) {
            return Arrays.stream(values).boxed().toList();
        }

        /** A single value stands for every layer. */
        private static List<?> spread(List<?> values, int depth) {
            return values != null && values.size() == 1 && depth > 1 ? Collections.nCopies(depth, values.get(0))
                    : values;
        }
    }
}
