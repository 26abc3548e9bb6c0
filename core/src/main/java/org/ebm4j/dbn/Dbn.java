package org.ebm4j.dbn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntUnaryOperator;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.Standardization;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.Provenance;
import org.ebm4j.io.SavedModel;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.RbmParameters;
import org.ebm4j.rbm.VisibleType;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.MemoryEstimate;
import org.ebm4j.train.TrainingListener;

/**
 * A deep belief network: a stack of {@link Rbm}s in which the hidden layer of RBM {@code i} is the
 * visible layer of RBM {@code i + 1}. The first RBM has Bernoulli or Gaussian visibles (the data);
 * every other layer is Bernoulli. Sizes are {@code sizes()[0]} (data) up to
 * {@code sizes()[depth()]} (top hidden layer). A trained DBN may also hold the fine-tuned
 * {@link Classifier} it unrolls into, the standardization of its data and the data's column means.
 *
 * <p>Training is one call: {@link #fit(Dataset, DbnOptions, TrainingListener...)} standardizes the
 * data when asked, pretrains the RBMs greedily, bottom first, each on the previous one's hidden
 * probabilities (or samples of them), then fine-tunes the unrolled network on the labels; both
 * phases checkpoint through the one {@link org.ebm4j.train.CheckpointWriter}, and {@link #resume}
 * continues a checkpoint of either phase bit-identically. The model carries its preprocessing:
 * {@link #transform}, {@link #predict} and {@link #evaluate} take raw data.
 *
 * <p>As a generative model the top RBM is an undirected associative memory and the lower layers
 * are directed top-down (sigmoid belief net) connections: {@link #generate} runs Gibbs sampling in
 * the top RBM, then one top-down pass of conditional means. As a feature extractor, {@link #upPass}
 * propagates hidden probabilities {@code p(h | v)} upward.
 */
public final class Dbn implements SavedModel {
    /** Rows per forward pass when classifying a data set. */
    static final int CLASSIFY_BATCH = 1000;

    private final Backend backend;
    private final List<Rbm> layers;
    private final Classifier classifier;
    private final int pretrainedLayers;
    private final float[] visibleMeans;
    private final Standardization standardization;
    private final Provenance provenance;

    private Dbn(Backend backend, List<Rbm> layers, Classifier classifier, int pretrainedLayers, float[] visibleMeans,
                Standardization standardization, Provenance provenance) {
        this.backend = backend;
        this.layers = layers;
        this.classifier = classifier;
        this.pretrainedLayers = pretrainedLayers;
        this.visibleMeans = visibleMeans;
        this.standardization = standardization;
        this.provenance = provenance;
    }

    private Dbn(Backend backend, List<Rbm> layers, int pretrainedLayers) {
        this(backend, layers, null, pretrainedLayers, null, null, new Provenance(Map.of()));
    }

    /**
     * A DBN of all-zero RBMs with layer sizes {@code sizes} ({@code sizes[0]} data units, at least one
     * hidden layer), the first layer's visibles of {@code type}.
     */
    public static Dbn zeros(Backend backend, VisibleType type, int[] sizes) {
        Objects.requireNonNull(backend, "backend");
        checkSizes(sizes);
        List<Rbm> l = new ArrayList<>();
        for (int i = 0; i + 1 < sizes.length; i++) {
            l.add(Rbm.zeros(backend, i == 0 ? type : VisibleType.BERNOULLI, sizes[i], sizes[i + 1]));
        }
        return new Dbn(backend, l, 0);
    }

    /** A DBN holding copies of {@code stack}, whose shapes must chain (hidden of one = visible of the next). */
    public static Dbn of(Backend backend, List<RbmParameters> stack) {
        return new Dbn(backend, rbms(backend, stack), stack.size());
    }

    private static List<Rbm> rbms(Backend backend, List<RbmParameters> stack) {
        Objects.requireNonNull(backend, "backend");
        if (stack.isEmpty()) {
            throw new IllegalArgumentException("a DBN needs at least one RBM");
        }
        for (int i = 0; i < stack.size(); i++) {
            RbmParameters p = stack.get(i);
            if (i > 0 && p.visibleType() != VisibleType.BERNOULLI) {
                throw new IllegalArgumentException("layer " + i + " must have Bernoulli visibles (it is fed by layer "
                        + (i - 1) + "'s hidden units), found " + p.visibleType().id());
            }
            if (i > 0 && p.visible() != stack.get(i - 1).hidden()) {
                throw new IllegalArgumentException("layer " + i + " has " + p.visible() + " visible units but layer "
                        + (i - 1) + " has " + stack.get(i - 1).hidden() + " hidden units");
            }
        }
        List<Rbm> l = new ArrayList<>();
        for (RbmParameters p : stack) {
            l.add(Rbm.of(backend, p));
        }
        return l;
    }

    /**
     * The DBN a model file holds (a saved model or a checkpoint), on {@code backend}: the stack, the
     * classifier when fine-tuned, the preprocessing and the provenance.
     */
    public static Dbn of(Backend backend, DbnModelFile file) {
        List<Rbm> l = rbms(backend, file.stack());
        Classifier net = null;
        if (file.hasClassifier()) {
            net = new Classifier(backend, file.netSizes());
            net.load(file.netWeights(), file.netBiases());
        }
        return new Dbn(backend, l, net, file.pretrainedLayers(), file.visibleMeans(), file.standardization(),
                Provenance.fromMetadata(file.metadata()));
    }

    /** This stack with what training produced besides it (the stack's RBMs now belong to the returned DBN). */
    Dbn trained(Classifier net, int pretrained, float[] means, Standardization st, Provenance p) {
        return new Dbn(backend, layers, net, pretrained, means, st, p);
    }

    // ---- training --------------------------------------------------------------------------

    /**
     * Trains a DBN on {@code data} as {@code options} say, on the default backend without
     * checkpoints: see {@link #fit(Backend, Dataset, Dataset, DbnOptions, Checkpointing, TrainingListener...)}.
     */
    public static Dbn fit(Dataset data, DbnOptions options, TrainingListener... listeners) {
        return fit(Backends.get(), data, null, options, Checkpointing.none(), listeners);
    }

    /** {@link #fit(Backend, Dataset, Dataset, DbnOptions, Checkpointing, TrainingListener...)} without held-out data. */
    public static Dbn fit(Backend backend, Dataset data, DbnOptions options, Checkpointing checkpointing,
                          TrainingListener... listeners) {
        return fit(backend, data, null, options, checkpointing, listeners);
    }

    /**
     * Trains a DBN: standardizes the data when {@code options.standardize()}, pretrains each RBM whose
     * {@code pretrain_epochs} are above 0 (none with {@code random_init}), bottom first, then, when
     * {@code options.finetuneEpochs() > 0}, fine-tunes the unrolled classifier on the labels of
     * {@code data}. Listeners that are {@link DbnTrainingListener}s hear each phase start; every epoch's
     * {@link org.ebm4j.train.EpochReport} of fine-tuning carries {@code train_loss} and, with held-out data,
     * {@code heldout_error} (every {@code metrics_every} epochs). The model's provenance records the options,
     * the data's checksum, the seed, the backend and the final stream positions.
     *
     * @param data          training rows; labelled in {@code [0, classes)} when fine-tuning
     * @param heldOut       labelled rows for the per-epoch held-out error (not trained on), or null
     * @param checkpointing where to write checkpoints, after epochs of both phases
     * @throws IllegalArgumentException when the data do not fit the options (missing or out-of-range labels)
     */
    public static Dbn fit(Backend backend, Dataset data, Dataset heldOut, DbnOptions options,
                          Checkpointing checkpointing, TrainingListener... listeners) {
        return DbnTraining.run(backend, data, heldOut, options, checkpointing, List.of(listeners));
    }

    /**
     * Continues the run that wrote {@code checkpoint}, with its options, on the same data: see
     * {@link #resume(Path, Dataset, Dataset, DbnOptions, Backend, Checkpointing, TrainingListener...)}.
     */
    public static Dbn resume(Path checkpoint, Dataset data, Backend backend, Checkpointing checkpointing,
                             TrainingListener... listeners) throws IOException {
        return resume(checkpoint, data, null, null, backend, checkpointing, listeners);
    }

    /**
     * Continues the run that wrote {@code checkpoint} (in either phase) exactly as if it had not
     * stopped: the result equals, bit for bit, that of an uninterrupted {@code fit} with the same
     * options, data, backend and thread count.
     *
     * @param data    the data the run was started with (its checksum must match the checkpoint's provenance)
     * @param heldOut labelled rows for the per-epoch held-out error, or null
     * @param options null for the checkpoint's options; otherwise options that differ from them at most in
     *                {@code metrics_every}, the epochs of the layer in progress and of later layers, and the
     *                fine-tuning epochs (to train longer than first planned)
     * @throws IllegalArgumentException when the data or options do not match the checkpoint
     */
    public static Dbn resume(Path checkpoint, Dataset data, Dataset heldOut, DbnOptions options, Backend backend,
                             Checkpointing checkpointing, TrainingListener... listeners) throws IOException {
        DbnCheckpoint c = DbnCheckpoint.read(checkpoint);
        return DbnTraining.resume(c, checkpoint.toString(), backend, data, heldOut, options, checkpointing,
                List.of(listeners));
    }

    // ---- persistence -----------------------------------------------------------------------

    /** Reads a DBN model file (or checkpoint) onto the default backend. */
    public static Dbn load(Path path) throws IOException {
        return load(path, Backends.get());
    }

    /** Reads a DBN model file (or checkpoint) onto {@code backend}. */
    public static Dbn load(Path path, Backend backend) throws IOException {
        return of(backend, DbnModelFile.read(path));
    }

    /** The model as a {@link DbnModelFile}, its provenance as metadata. */
    public DbnModelFile toDbnModelFile() {
        return new DbnModelFile(parameters(), pretrainedLayers, classifier == null ? null : classifier.hostWeights(),
                classifier == null ? null : classifier.hostBiases(), classifier == null ? 0 : classifier.classes(),
                visibleMeans, standardization, provenance.toMetadata());
    }

    @Override
    public ModelFile toModelFile() {
        return toDbnModelFile().toModelFile();
    }

    @Override
    public Provenance provenance() {
        return provenance;
    }

    static void checkSizes(int[] sizes) {
        if (sizes == null || sizes.length < 2) {
            throw new IllegalArgumentException("a DBN needs a data size and at least one hidden layer size, found "
                    + (sizes == null ? "none" : sizes.length + " size(s)"));
        }
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] <= 0) {
                throw new IllegalArgumentException("layer size " + i + " must be positive, found " + sizes[i]);
            }
        }
    }

    /** Number of RBMs (hidden layers). */
    public int depth() {
        return layers.size();
    }

    /** Layer sizes: data units first, top hidden units last ({@code depth() + 1} values). */
    public int[] sizes() {
        return sizes(layers.get(0).visible(), layers.size(), i -> layers.get(i).hidden());
    }

    /** {@code inputs}, then the hidden size of each of {@code depth} layers, bottom first. */
    static int[] sizes(int inputs, int depth, IntUnaryOperator hidden) {
        int[] s = new int[depth + 1];
        s[0] = inputs;
        for (int i = 0; i < depth; i++) {
            s[i + 1] = hidden.applyAsInt(i);
        }
        return s;
    }

    public VisibleType visibleType() {
        return layers.get(0).visibleType();
    }

    /** RBM {@code i} (0 = the one on the data); its parameters are updated in place by pretraining. */
    public Rbm layer(int i) {
        return layers.get(i);
    }

    public List<Rbm> layers() {
        return Collections.unmodifiableList(layers);
    }

    public Backend backend() {
        return backend;
    }

    /** Host copies of every layer's parameters, bottom first. */
    public List<RbmParameters> parameters() {
        List<RbmParameters> p = new ArrayList<>();
        for (Rbm r : layers) {
            p.add(r.parameters());
        }
        return p;
    }

    /**
     * Features: the hidden probabilities of layer {@code level} ({@code 1..depth()}) for the
     * {@code n} rows of {@code v} ({@code n x sizes()[0]}), by the deterministic up-pass
     * {@code h_i = sigmoid(h_{i-1} W_i + c_i)}. Returns a new {@code n x sizes()[level]} tensor
     * (the caller closes it). {@code level == 0} returns a copy of {@code v}.
     */
    public Tensor upPass(Tensor v, int level) {
        if (level < 0 || level > depth()) {
            throw new IllegalArgumentException("level must be in [0, " + depth() + "], found " + level);
        }
        if (v.cols() != layers.get(0).visible()) {
            throw new IllegalArgumentException("input has " + v.cols() + " columns but the DBN has "
                    + layers.get(0).visible() + " visible units");
        }
        Tensor cur = backend.allocate(v.rows(), v.cols());
        backend.copy(v, cur);
        for (int i = 0; i < level; i++) {
            Tensor next = backend.allocate(v.rows(), layers.get(i).hidden());
            layers.get(i).hiddenProbabilities(cur, next, next);
            cur.close();
            cur = next;
        }
        return cur;
    }

    /**
     * Generates {@code chains} visible patterns: the top RBM's visible layer starts from the up-pass
     * of {@code start} ({@code chains x sizes()[0]}, e.g. data rows or their means), runs
     * {@code steps} block-Gibbs steps, and the last hidden sample is passed down as conditional
     * means {@code E[v | h]} through every RBM (the lower layers act as directed generative
     * connections). Returns {@code chains x sizes()[0]} visible means on the host.
     */
    public float[] generate(Tensor start, int steps, RandomStream rng) {
        if (steps < 0) {
            throw new IllegalArgumentException("Gibbs steps must be >= 0, found " + steps);
        }
        int n = start.rows();
        int top = depth() - 1;
        Rbm topRbm = layers.get(top);
        try (Tensor v = upPass(start, top);
             Tensor pre = backend.allocate(n, topRbm.hidden());
             Tensor h = backend.allocate(n, topRbm.hidden())) {
            topRbm.sampleHidden(v, pre, null, h, rng);
            for (int s = 0; s < steps; s++) {
                topRbm.sampleVisible(h, v, rng);
                topRbm.sampleHidden(v, pre, null, h, rng);
            }
            Tensor below = h;
            Tensor owned = null;
            for (int i = top; i >= 0; i--) {
                Tensor mean = backend.allocate(n, layers.get(i).visible());
                layers.get(i).visibleMean(below, mean);
                if (owned != null) {
                    owned.close();
                }
                owned = mean;
                below = mean;
            }
            float[] out = owned.toArray();
            owned.close();
            return out;
        }
    }

    // ---- the trained model's operations ----------------------------------------------------

    /** How many RBMs are trained, bottom first (the rest, if any, are as initialized). */
    public int pretrainedLayers() {
        return pretrainedLayers;
    }

    /** Whether the DBN holds a fine-tuned classifier. */
    public boolean isFineTuned() {
        return classifier != null;
    }

    /** The fine-tuned classifier (owned by this DBN). */
    public Classifier classifier() {
        if (classifier == null) {
            throw new IllegalStateException("this DBN has no fine-tuned classifier (trained with finetune_epochs 0)");
        }
        return classifier;
    }

    /** The standardization applied to data before the stack sees it, or null. */
    public Standardization standardization() {
        return standardization;
    }

    /** The training data's column means (after standardization), or null; generation starts from them. */
    public float[] visibleMeans() {
        return visibleMeans == null ? null : visibleMeans.clone();
    }

    /** The up-pass features of the top layer for raw {@code data}: see {@link #transform(Dataset, int)}. */
    public Dataset transform(Dataset data) {
        return transform(data, depth());
    }

    /**
     * Features: the hidden probabilities of layer {@code level} ({@code 1..depth()}) for each row of
     * {@code data} (raw: the model's standardization is applied first), by the deterministic up-pass.
     * The labels, if any, are kept.
     */
    public Dataset transform(Dataset data, int level) {
        Dataset x = prepared(data);
        float[] f;
        try (Tensor v = x.toTensor(backend); Tensor h = upPass(v, level)) {
            f = h.toArray();
        }
        return new Dataset(data.name() + " (dbn features, layer " + level + ")", data.rows(), sizes()[level], f,
                data.labels(), 0, 0);
    }

    /**
     * {@code chains} generated patterns ({@code chains x sizes()[0]}, row-major) in the data's units
     * (standardization undone): each chain starts from the training data's mean row (0.5 everywhere
     * when the model has none), passed up to the top RBM, runs {@code steps} Gibbs steps there and is
     * passed down as conditional means ({@link #generate}); the draws come from
     * {@link StreamId#DBN_SAMPLE} under {@code seed}.
     */
    public float[] sample(int chains, int steps, long seed) {
        if (chains < 1) {
            throw new IllegalArgumentException("chains must be >= 1, found " + chains);
        }
        requireSampleMemory(chains);
        int nv = sizes()[0];
        float[] start = new float[chains * nv];
        for (int i = 0; i < start.length; i++) {
            start[i] = visibleMeans == null ? 0.5f : visibleMeans[i % nv];
        }
        float[] v;
        try (Tensor s = backend.fromArray(start, chains, nv)) {
            v = generate(s, steps, StreamId.DBN_SAMPLE.open(seed));
        }
        if (standardization != null) {
            for (int i = 0; i < v.length; i++) {
                v[i] = v[i] * standardization.std()[i % nv] + standardization.mean()[i % nv];
            }
        }
        return v;
    }

    /**
     * Refuses, before any work, sampling {@code chains} chains whose states and probabilities through
     * every layer (4 arrays of the stack's units a chain) cannot fit in this JVM's heap
     * ({@link MemoryEstimate#require}).
     */
    public void requireSampleMemory(long chains) {
        long units = Arrays.stream(sizes()).asLongStream().sum();
        MemoryEstimate.require("chains", MemoryEstimate.floats(4, chains, units), "the " + chains + " chains of "
                + units + " units");
    }

    /** The fine-tuned classifier's class for each row of raw {@code data}. */
    public int[] predict(Dataset data) {
        Classifier net = classifier();
        try (Tensor x = prepared(data).toTensor(backend)) {
            return net.classify(x, CLASSIFY_BATCH);
        }
    }

    /** Error rate and confusion counts on labelled raw {@code data}: see {@link #evaluate(Dataset, int)}. */
    public ClassificationResult evaluate(Dataset data) {
        return evaluate(data, CLASSIFY_BATCH);
    }

    /** Error rate and confusion counts of the fine-tuned classifier on labelled raw {@code data}, {@code batch} rows per pass. */
    public ClassificationResult evaluate(Dataset data, int batch) {
        Classifier net = classifier();
        if (data.labels() == null) {
            throw new IllegalArgumentException(data.name() + " has no labels; evaluating a classifier needs them");
        }
        try (Tensor x = prepared(data).toTensor(backend)) {
            return ClassificationResult.evaluate(net, x, data.labels(), batch);
        }
    }

    /** {@code data} checked against the visible layer and standardized as the model's training data was. */
    private Dataset prepared(Dataset data) {
        if (data.cols() != sizes()[0]) {
            throw new IllegalArgumentException(data.name() + " has " + data.cols() + " columns but the DBN has "
                    + sizes()[0] + " visible units");
        }
        return standardization == null ? data : standardization.apply(data);
    }

    @Override
    public void close() {
        for (Rbm r : layers) {
            r.close();
        }
        if (classifier != null) {
            classifier.close();
        }
    }
}
