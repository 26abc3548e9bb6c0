package org.ebm4j.dbm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.ebm4j.data.Binarization;
import org.ebm4j.data.Dataset;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.Provenance;
import org.ebm4j.io.SavedModel;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.rbm.AisOptions;
import org.ebm4j.rbm.AisResult;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.TemperedSamples;
import org.ebm4j.tempering.ParallelTempering;
import org.ebm4j.tempering.TemperatureLadder;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.CheckpointWriter;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.MemoryEstimate;
import org.ebm4j.train.TrainingListener;

/**
 * A deep Boltzmann machine with binary units: layer 0 is visible, layers {@code 1..depth()} are
 * hidden, each connected only to its neighbours, with energy
 * {@code E(x) = -sum_l b_l . x_l - sum_{l>=1} x_{l-1}' W_l x_l}. The parameters live on a
 * {@link Backend}; every conditional is one or two GEMMs and a fused sigmoid (+ Bernoulli) call.
 *
 * <p>Training is one call, {@link #fit(Dataset, DbmOptions, TrainingListener...)}: greedy
 * pretraining of one RBM per pair of layers with the doubled-input correction, then joint training
 * with a mean-field positive phase and persistent Gibbs chains for the negative phase (see
 * {@link DbmOptions}). Evaluation: {@link #exactLogPartition()} and {@link #exactLogLikelihood} by
 * enumeration for tiny models, {@link #estimateLogPartition} by annealed importance sampling with the
 * odd layers summed out, {@link #variationalBound} for the mean-field lower bound on the
 * log-likelihood. {@link #sample} generates by block Gibbs sampling, {@link #sampleTempered} by
 * parallel tempering; {@link #features} gives mean-field posteriors for a classifier. A model trained
 * with centering keeps its parameters in the ordinary form and carries its offsets
 * ({@link #centeredParameters()}). The model carries its binarization, so these take raw data.
 */
public final class Dbm implements SavedModel {
    /** Rows per batch when a whole data set is inferred. */
    static final int BATCH = 1000;

    /**
     * The per-epoch metric of joint training on the rows held out ({@link DbmOptions#holdout()}) that early
     * stopping watches: their mean log-likelihood in nats, exact by enumeration for a DBM whose even layers
     * are enumerable ({@link DbmExact#feasible}), else the variational lower bound with an AIS estimate of
     * {@code log Z}. Higher is better.
     */
    public static final String HELDOUT_METRIC = "heldout_log_likelihood";

    private final Backend backend;
    private final int[] sizes;
    private final Tensor[] weights;
    private final Tensor[] biases;
    private final Binarization binarization;
    private final float[] visibleMeans;
    private Provenance provenance;
    private List<float[]> centering;

    private Dbm(Backend backend, DbmParameters p, Binarization binarization, float[] visibleMeans,
                Provenance provenance) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.sizes = p.sizes();
        this.binarization = binarization == null ? Binarization.none() : binarization;
        if (visibleMeans != null && visibleMeans.length != sizes[0]) {
            throw new IllegalArgumentException("visible means must have " + sizes[0] + " values, found "
                    + visibleMeans.length);
        }
        this.visibleMeans = visibleMeans == null ? null : visibleMeans.clone();
        this.provenance = provenance;
        weights = new Tensor[sizes.length];
        biases = new Tensor[sizes.length];
        for (int l = 0; l < sizes.length; l++) {
            biases[l] = backend.fromArray(p.biases().get(l), 1, sizes[l]);
            if (l > 0) {
                weights[l] = backend.fromArray(p.weights().get(l - 1), sizes[l - 1], sizes[l]);
            }
        }
    }

    /** A DBM with parameters {@code p}, no preprocessing and no provenance. */
    public static Dbm of(Backend backend, DbmParameters p) {
        return new Dbm(backend, p, null, null, new Provenance(Map.of()));
    }

    /** The DBM a model file holds, with its binarization, training means and provenance. */
    public static Dbm of(Backend backend, DbmModelFile file) {
        Dbm dbm = new Dbm(backend, file.parameters(), file.binarization(), file.visibleMeans(),
                Provenance.fromMetadata(file.metadata()));
        dbm.centering = file.centering();
        return dbm;
    }

    /** A trained model: parameters, the preprocessing it applies to data, the data's means. */
    static Dbm trained(Backend backend, DbmParameters p, Binarization binarization, float[] visibleMeans,
                       Provenance provenance) {
        return new Dbm(backend, p, binarization, visibleMeans, provenance);
    }

    // ---- training --------------------------------------------------------------------------

    /** Trains a DBM on the default backend without checkpoints: see {@link #fit(Backend, Dataset, DbmOptions, Checkpointing, TrainingListener...)}. */
    public static Dbm fit(Dataset data, DbmOptions options, TrainingListener... listeners) {
        return fit(Backends.get(), data, options, Checkpointing.none(), listeners);
    }

    /**
     * Trains a DBM on {@code data} (values in [0, 1], binarized as {@code options.binarization()}
     * says): greedy pretraining of each layer for {@code pretrain_epochs}, then joint training for
     * {@code epochs}, both on all but the last {@code options.holdout()} rows. Both phases report their
     * epochs to the listeners (joint-training reports carry {@code mf_sweeps}, the mean number of
     * mean-field sweeps per update, and with held-out rows {@link #HELDOUT_METRIC}) and write checkpoints.
     * With {@code options.patience() > 0} joint training stops once the held-out log-likelihood has not
     * improved for that many evaluations and the model keeps the best evaluation's parameters
     * ({@link TrainingListener#onEarlyStop}). Same options, data, backend and thread count give the same
     * model bit for bit.
     */
    public static Dbm fit(Backend backend, Dataset data, DbmOptions options, Checkpointing checkpointing,
                          TrainingListener... listeners) {
        return DbmTraining.run(backend, data, options, checkpointing, List.of(listeners));
    }

    /**
     * Continues the run that wrote {@code checkpoint} (in either phase) with its options on the same
     * data: the result equals, bit for bit, that of the uninterrupted {@code fit}.
     *
     * @throws IllegalArgumentException when the data are not those of the checkpoint
     */
    public static Dbm resume(Path checkpoint, Dataset data, Backend backend, Checkpointing checkpointing,
                             TrainingListener... listeners) throws IOException {
        return DbmTraining.resume(checkpoint, data, backend, checkpointing, List.of(listeners));
    }

    // ---- persistence -----------------------------------------------------------------------

    /**
     * The options the checkpoint at {@code path} was trained with, from its provenance: the options a
     * {@link #resume} of it continues with.
     */
    public static DbmOptions readOptions(Path path) throws IOException {
        return DbmOptions.fromMap(Provenance.fromMetadata(CheckpointWriter.read(path).model().metadata()).options());
    }

    /** Reads a DBM model file (or checkpoint) onto the default backend. */
    public static Dbm load(Path path) throws IOException {
        return load(path, Backends.get());
    }

    /** Reads a DBM model file (or checkpoint) onto {@code backend}. */
    public static Dbm load(Path path, Backend backend) throws IOException {
        return of(backend, DbmModelFile.read(path));
    }

    /** The model as a {@link DbmModelFile}, its provenance as metadata. */
    public DbmModelFile toDbmModelFile() {
        return new DbmModelFile(parameters(), binarization, visibleMeans, provenance.toMetadata(), centering);
    }

    @Override
    public ModelFile toModelFile() {
        return toDbmModelFile().toModelFile();
    }

    @Override
    public Provenance provenance() {
        return provenance;
    }

    void provenance(Provenance p) {
        this.provenance = p;
    }

    /**
     * The model in the centered form, for a model trained with centering ({@link DbmOptions#centering()}):
     * the same distribution, with the offsets training left; empty otherwise.
     */
    public Optional<DbmCenteredParameters> centeredParameters() {
        return centering == null ? Optional.empty() : Optional.of(DbmCenteredParameters.of(parameters(), centering));
    }

    /** Sets the centering offsets the model carries (null: none). */
    void centering(List<float[]> offsets) {
        centering = offsets == null ? null : DbmCenteredParameters.checkOffsets(sizes, offsets);
    }

    // ---- shape and parameters ----------------------------------------------------------------

    /** Units per layer, visible first. */
    public int[] sizes() {
        return sizes.clone();
    }

    /** Number of hidden layers. */
    public int depth() {
        return sizes.length - 1;
    }

    public Backend backend() {
        return backend;
    }

    /** {@code W_l} ({@code sizes[l-1] x sizes[l]}, {@code l} in {@code 1..depth()}), updated in place by training. */
    public Tensor weights(int l) {
        if (l < 1 || l > depth()) {
            throw new IllegalArgumentException("weights connect layers 1.." + depth() + " to the layer below, found "
                    + l);
        }
        return weights[l];
    }

    /** {@code b_l} ({@code 1 x sizes[l]}, {@code l} in {@code 0..depth()}). */
    public Tensor bias(int l) {
        return biases[l];
    }

    /** How the model binarizes the data it is given. */
    public Binarization binarization() {
        return binarization;
    }

    /** The training data's per-visible means (after binarization), or null; the AIS base rates. */
    public float[] visibleMeans() {
        return visibleMeans == null ? null : visibleMeans.clone();
    }

    /** Host copies of the parameters. */
    public DbmParameters parameters() {
        List<float[]> w = new ArrayList<>();
        List<float[]> b = new ArrayList<>();
        for (int l = 0; l < sizes.length; l++) {
            b.add(biases[l].toArray());
            if (l > 0) {
                w.add(weights[l].toArray());
            }
        }
        return new DbmParameters(sizes, w, b);
    }

    /** Replaces the parameters with {@code p}, which must have this model's sizes. */
    public void setParameters(DbmParameters p) {
        if (!Arrays.equals(p.sizes(), sizes)) {
            throw new IllegalArgumentException("parameters of sizes " + Arrays.toString(p.sizes())
                    + " do not fit a DBM of sizes " + Arrays.toString(sizes));
        }
        for (int l = 0; l < sizes.length; l++) {
            biases[l].copyFrom(p.biases().get(l));
            if (l > 0) {
                weights[l].copyFrom(p.weights().get(l - 1));
            }
        }
    }

    // ---- conditionals ------------------------------------------------------------------------

    /**
     * {@code pre = x_{l-1} W_l + x_{l+1} W_{l+1}'} (each term only where the neighbour exists): the input
     * layer {@code l} receives from the states {@code x} of every layer (each {@code n x sizes[k]}),
     * without its bias.
     */
    public void layerInput(Tensor[] x, int l, Tensor pre) {
        layerInput(x, l, null, pre);
    }

    /** {@link #layerInput(Tensor[], int, Tensor)} with each neighbour's term scaled as {@code scales} say (null: 1). */
    void layerInput(Tensor[] x, int l, LayerScales scales, Tensor pre) {
        checkLayers(x, l);
        float up = scales == null ? 1f : scales.up()[l];
        float down = scales == null ? 1f : scales.down()[l];
        boolean below = l > 0;
        if (below) {
            backend.gemm(false, false, up, x[l - 1], weights[l], 0f, pre);
        }
        if (l < depth()) {
            backend.gemm(false, true, down, x[l + 1], weights[l + 1], below ? 1f : 0f, pre);
        }
    }

    /**
     * {@code probs = p(x_l = 1 | x_{l-1}, x_{l+1}) = sigmoid(b_l + x_{l-1} W_l + x_{l+1} W_{l+1}')};
     * {@code pre} is {@code n x sizes[l]} scratch (may be {@code probs}).
     */
    public void layerProbabilities(Tensor[] x, int l, Tensor pre, Tensor probs) {
        layerInput(x, l, pre);
        backend.sigmoid(pre, biases[l], probs);
    }

    /** Samples {@code x_l ~ p(x_l | neighbours)} into {@code x[l]} (one draw of {@code rng}); {@code pre} is scratch. */
    public void sampleLayer(Tensor[] x, int l, Tensor pre, RandomStream rng) {
        layerInput(x, l, pre);
        backend.sampler().sampleSigmoidBernoulli(pre, biases[l], 1f, null, x[l], rng);
    }

    private void checkLayers(Tensor[] x, int l) {
        if (x.length != sizes.length) {
            throw new IllegalArgumentException("expected the states of " + sizes.length + " layers, found "
                    + x.length);
        }
        if (l < 0 || l > depth()) {
            throw new IllegalArgumentException("layer must be in 0.." + depth() + ", found " + l);
        }
    }

    // ---- inference, generation, features -------------------------------------------------------

    /** {@code data} binarized as the model was trained (a copy; the values' count must fit the visible layer). */
    public Dataset transform(Dataset data) {
        checkVisible(data);
        return binarization.isNone() ? data
                : data.withValues(data.name(), binarization.applyOnHost(data.values()));
    }

    void checkVisible(Dataset data) {
        Objects.requireNonNull(data, "data");
        if (data.cols() != sizes[0]) {
            throw new IllegalArgumentException(data.name() + " has " + data.cols() + " columns but the DBM has "
                    + sizes[0] + " visible units");
        }
    }

    /**
     * Features for a classifier: the mean-field posteriors {@code mu_layer} of every row of
     * {@code data} (binarized by the model), {@code rows x sizes[layer]} row-major, {@code layer} in
     * {@code 1..depth()}.
     */
    public float[] features(Dataset data, int layer, MeanField settings) {
        if (layer < 1 || layer > depth()) {
            throw new IllegalArgumentException("feature layer must be in 1.." + depth() + ", found " + layer);
        }
        Dataset d = transform(data);
        float[] out = new float[d.rows() * sizes[layer]];
        forEachBatch(d, settings, (from, pass) -> pass.mu[layer].copyTo(out, from * sizes[layer]));
        return out;
    }

    /** Called with each batch's first row and its converged mean-field pass. */
    @FunctionalInterface
    interface BatchPosteriors {
        void accept(int from, MeanFieldPass pass);
    }

    /** Runs mean-field inference on {@code d} (already binarized) in batches of {@link #BATCH} rows. */
    void forEachBatch(Dataset d, MeanField settings, BatchPosteriors consumer) {
        Objects.requireNonNull(settings, "settings");
        int n = d.rows();
        for (int from = 0; from < n; from += BATCH) {
            int rows = Math.min(BATCH, n - from);
            try (Tensor v = d.slice(from, from + rows).toTensor(backend);
                 MeanFieldPass pass = new MeanFieldPass(this, LayerScales.uniform(sizes.length), rows)) {
                pass.run(v, settings);
                consumer.accept(from, pass);
            }
        }
    }

    /**
     * Generates {@code n} visible patterns: chains start with visible units drawn from the training
     * data's base rates (uniform without them) and hidden units 0, run {@code sweeps} block-Gibbs sweeps
     * and return {@code p(v | h_1)} of the last one, {@code n x sizes[0]} (stream {@link StreamId#DBM_SAMPLE}
     * under {@code seed}).
     */
    public Dataset sample(int n, int sweeps, long seed) {
        checkSampling(n, sweeps, 1);
        RandomStream rng = StreamId.DBM_SAMPLE.open(seed);
        try (GibbsChains chains = new GibbsChains(this, LayerScales.uniform(sizes.length), n)) {
            drawStart(chains.x[0], rng);
            for (int s = 0; s < sweeps; s++) {
                chains.sweep(rng);
            }
            return visibleProbabilities(chains, "dbm samples");
        }
    }

    /**
     * Generates {@code n} visible patterns by parallel tempering ({@link ParallelTempering}): {@code n}
     * chains, each with a replica at every inverse temperature of {@code ladder} ({@code replicas} of
     * them), started as in {@link #sample} (every replica its own draw), then {@code sweeps} times one
     * block-Gibbs sweep at every temperature and one round of Metropolis swaps on the joint energy.
     * Returns {@code p(v | h_1)} of the chains at {@code beta = 1} ({@code n x sizes[0]}) with the swap
     * rates per neighbouring pair. Gibbs draws from {@link StreamId#DBM_SAMPLE}, swaps from
     * {@link StreamId#DBM_SAMPLE_SWAPS}, both under {@code seed}.
     */
    public TemperedSamples sampleTempered(int n, int sweeps, TemperatureLadder ladder, int replicas, long seed) {
        double[] betas = ladder.betas(replicas);
        checkSampling(n, sweeps, betas.length);
        RandomStream gibbs = StreamId.DBM_SAMPLE.open(seed);
        RandomStream swaps = StreamId.DBM_SAMPLE_SWAPS.open(seed);
        try (TemperedDbm model = new TemperedDbm(this, betas.length * n);
             ParallelTempering pt = new ParallelTempering(model, betas, n);
             GibbsChains cold = new GibbsChains(this, LayerScales.uniform(sizes.length), n)) {
            drawStart(pt.layer(0), gibbs);
            for (int s = 0; s < sweeps; s++) {
                pt.step(1, gibbs, swaps);
            }
            for (int l = 0; l < sizes.length; l++) {
                pt.coldRows(l, cold.x[l]);
            }
            return new TemperedSamples(visibleProbabilities(cold, "dbm tempered samples"), betas, pt.swapRates());
        }
    }

    /** Refuses bad sampling arguments and chains ({@code n * replicas} of them) the heap cannot hold. */
    private void checkSampling(int n, int sweeps, int replicas) {
        if (n < 1 || sweeps < 1) {
            throw new IllegalArgumentException("sampling needs n >= 1 and sweeps >= 1, found n=" + n + ", sweeps="
                    + sweeps);
        }
        // The chains' states and probabilities through every layer.
        MemoryEstimate.require("chains", MemoryEstimate.floats(2, (long) n * replicas,
                Arrays.stream(sizes).asLongStream().sum()), "the " + n * (long) replicas + " chains");
    }

    /**
     * Visible states drawn independently with the training data's base rates (1/2 without them) into
     * {@code x0}, whose hidden neighbours are still 0; one draw of {@code rng}.
     */
    private void drawStart(Tensor x0, RandomStream rng) {
        float[] base = new float[sizes[0]];
        for (int i = 0; i < base.length; i++) {
            base[i] = visibleMeans == null ? 0f : Rbm.logOdds(visibleMeans[i]);
        }
        try (Tensor bias = backend.fromArray(base, 1, sizes[0])) {
            backend.sampler().sampleSigmoidBernoulli(x0, bias, 1f, null, x0, rng);
        }
    }

    /** {@code p(v | h_1)} of the chains' states as a data set named {@code name}. */
    private Dataset visibleProbabilities(GibbsChains chains, String name) {
        int n = chains.chains();
        try (Tensor probs = backend.allocate(n, sizes[0])) {
            chains.probabilities(0, probs);
            return Dataset.of(name, n, sizes[0], probs.toArray());
        }
    }

    // ---- evaluation --------------------------------------------------------------------------

    /** Exact {@code log Z} by enumerating the even layers (the odd ones summed out); see {@link DbmExact}. */
    public double exactLogPartition() {
        return DbmExact.logPartition(parameters());
    }

    /** Exact mean {@code log p(v)} per row of {@code data} (binarized by the model), by enumeration. */
    public double exactLogLikelihood(Dataset data) {
        Dataset d = transform(data);
        return DbmExact.meanLogLikelihood(parameters(), d.values(), d.rows());
    }

    /**
     * {@code log Z} by annealed importance sampling with the odd layers summed out, from a base model
     * with the training data's base rates on the visible units (see {@link DbmAis}).
     */
    public AisResult estimateLogPartition(AisOptions options) {
        options.requireMemory(Arrays.stream(sizes).asLongStream().sum(), 0);
        return DbmAis.estimate(this, visibleMeans, options);
    }

    /**
     * The variational lower bound on the mean log-likelihood of {@code data} (binarized by the model):
     * the mean over rows of {@code -E_q[E(v, h)] + H(q) - logZ}, {@code q} the mean-field posterior found
     * with {@code settings}. Never above the exact mean log-likelihood; equal to it when the true
     * posterior factorizes.
     */
    public double variationalBound(Dataset data, double logZ, MeanField settings) {
        return VariationalBound.mean(this, transform(data), settings) - logZ;
    }

    @Override
    public void close() {
        for (int l = 0; l < sizes.length; l++) {
            biases[l].close();
            if (weights[l] != null) {
                weights[l].close();
            }
        }
    }

    @Override
    public String toString() {
        return "Dbm" + Arrays.toString(sizes) + " on " + backend.name();
    }
}
