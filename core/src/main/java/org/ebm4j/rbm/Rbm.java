package org.ebm4j.rbm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import org.ebm4j.data.Binarization;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.Standardization;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.Provenance;
import org.ebm4j.io.SavedModel;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.tempering.TemperatureLadder;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.MemoryEstimate;
import org.ebm4j.train.ProgressListener;
import org.ebm4j.train.TrainingListener;

/**
 * A restricted Boltzmann machine whose parameters live on a {@link Backend}: weights
 * {@code W} ({@code nv x nh}), visible bias {@code b} ({@code 1 x nv}), hidden bias
 * {@code c} ({@code 1 x nh}). Hidden units are Bernoulli; visible units are Bernoulli or
 * unit-variance Gaussian ({@link VisibleType}).
 *
 * <p>Energies (per example, {@code v} a row of visibles, {@code h} a row of hiddens):
 * <ul>
 *   <li>Bernoulli: {@code E(v, h) = -b.v - c.h - v W h}, free energy
 *       {@code F(v) = -b.v - sum_j softplus(c_j + (v W)_j)};</li>
 *   <li>Gaussian: {@code E(v, h) = |v - b|^2 / 2 - c.h - v W h}, free energy
 *       {@code F(v) = |v - b|^2 / 2 - sum_j softplus(c_j + (v W)_j)}.</li>
 * </ul>
 * Conditionals: {@code p(h_j = 1 | v) = sigmoid(c_j + (v W)_j)}; {@code p(v_i = 1 | h) =
 * sigmoid(b_i + (h W^T)_i)} or {@code v_i | h ~ N(b_i + (h W^T)_i, 1)}.
 *
 * <p>Two roles in one class. A trained model: {@link #fit} trains one on a {@link Dataset} and
 * returns it carrying its data preprocessing (standardization, binarization), the training data's
 * means and its {@link Provenance}; {@link #save}/{@link #load} store and read it;
 * {@link #transform}, {@link #sample}, {@link #freeEnergy}, {@link #logLikelihood} and
 * {@link #evaluate} take raw data and apply the model's preprocessing first. And a low-level
 * parameter holder ({@link #zeros}, {@link #of}; DBN layers, AIS, trainers): the tensor methods
 * below work on batches (one example per row) that are already preprocessed, and write into
 * tensors the caller owns, so training and evaluation loops allocate no tensors. The model never
 * knows which backend it runs on.
 */
public final class Rbm implements SavedModel {
    /** Visible base rates are clipped to {@code [EPS, 1 - EPS]} before taking log-odds. */
    public static final float BASE_RATE_EPS = 1e-3f;

    private final Backend backend;
    private final VisibleType visibleType;
    private final int visible;
    private final int hidden;
    private final Tensor weights;
    private final Tensor visibleBias;
    private final Tensor hiddenBias;
    private final Standardization standardization;
    private final Binarization binarization;
    private final float[] visibleMeans;
    private CenteringOffsets centering;
    private Provenance provenance;

    private Rbm(Backend backend, VisibleType visibleType, int visible, int hidden, Standardization standardization,
                Binarization binarization, float[] visibleMeans, Provenance provenance) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.visibleType = Objects.requireNonNull(visibleType, "visibleType");
        if (standardization != null && standardization.mean().length != visible) {
            throw new IllegalArgumentException("standardization has " + standardization.mean().length
                    + " columns but the model has " + visible + " visible units");
        }
        if (visibleMeans != null && visibleMeans.length != visible) {
            throw new IllegalArgumentException("visible means must have " + visible + " values, found "
                    + visibleMeans.length);
        }
        this.visible = visible;
        this.hidden = hidden;
        this.standardization = standardization;
        this.binarization = binarization == null ? Binarization.none() : binarization;
        this.visibleMeans = visibleMeans == null ? null : visibleMeans.clone();
        this.provenance = provenance == null ? new Provenance(java.util.Map.of()) : provenance;
        this.weights = backend.allocate(visible, hidden);
        this.visibleBias = backend.allocate(1, visible);
        this.hiddenBias = backend.allocate(1, hidden);
    }

    /** A model with zero parameters that {@link RbmFitting} trains, with its preprocessing and training means. */
    static Rbm forTraining(Backend backend, VisibleType type, int visible, int hidden, Standardization standardization,
                           Binarization binarization, float[] visibleMeans) {
        checkShape(visible, hidden);
        return new Rbm(backend, type, visible, hidden, standardization, binarization, visibleMeans, null);
    }

    private static void checkShape(int visible, int hidden) {
        if (visible <= 0 || hidden <= 0) {
            throw new IllegalArgumentException("an RBM needs at least one visible and one hidden unit, found "
                    + visible + "x" + hidden);
        }
    }

    /** An RBM with all parameters zero (no preprocessing, no provenance). */
    public static Rbm zeros(Backend backend, VisibleType type, int visible, int hidden) {
        checkShape(visible, hidden);
        return new Rbm(backend, type, visible, hidden, null, null, null, null);
    }

    /** An RBM on {@code backend} holding a copy of {@code p} (no preprocessing, no provenance). */
    public static Rbm of(Backend backend, RbmParameters p) {
        Rbm rbm = new Rbm(backend, p.visibleType(), p.visible(), p.hidden(), null, null, null, null);
        rbm.setParameters(p);
        return rbm;
    }

    // ---- the trained model: fit, resume, load, save --------------------------------------------

    /** {@link #fit(Backend, Dataset, Dataset, RbmOptions, Checkpointing, TrainingListener...)} on the default backend, no test set, no checkpoints. */
    public static Rbm fit(Dataset data, RbmOptions options, TrainingListener... listeners) {
        return fit(Backends.get(), data, null, options, Checkpointing.none(), listeners);
    }

    /** {@link #fit(Backend, Dataset, Dataset, RbmOptions, Checkpointing, TrainingListener...)} without a test set. */
    public static Rbm fit(Backend backend, Dataset data, RbmOptions options, Checkpointing checkpointing,
                          TrainingListener... listeners) {
        return fit(backend, data, null, options, checkpointing, listeners);
    }

    /**
     * Trains an RBM on {@code data} as {@code options} say, in this order: holds out
     * {@code options.holdout()} rows ({@link org.ebm4j.data.HoldOut}: the first rows of {@code test}
     * when given, else the last training rows), standardizes with the training rows' statistics when
     * {@code options.standardize()}, uploads and binarizes both, takes the training means (the initial
     * visible biases, AIS base rates and sampling starts), starts the PCD chains at seeded training
     * rows, initializes the weights, trains through {@link org.ebm4j.train.TrainingRun} (checkpoints,
     * per-epoch metrics {@code recon_error}, {@code recon_error_heldout}, {@code free_energy_gap},
     * {@code pseudo_likelihood_heldout} and {@code metrics_seconds} every {@code options.metricsEvery()}
     * epochs, reported to {@link TrainingListener#onReport}) and records the provenance. Same data,
     * options, backend and thread count give identical parameters.
     *
     * @param data          the training rows (raw: the model's preprocessing is applied here)
     * @param test          a test set the held-out rows come from, or null
     * @param checkpointing where to write checkpoints ({@link Checkpointing#none()} for none)
     * @return the trained model, on {@code backend}; the caller closes it
     */
    public static Rbm fit(Backend backend, Dataset data, Dataset test, RbmOptions options, Checkpointing checkpointing,
                          TrainingListener... listeners) {
        return RbmFitting.fit(backend, data, test, options, checkpointing, List.of(listeners));
    }

    /** {@link #resume(Path, Dataset, Dataset, RbmOptions, Backend, Checkpointing, TrainingListener...)} without a test set, with the checkpoint's options. */
    public static Rbm resume(Path checkpoint, Dataset data, Backend backend, Checkpointing checkpointing,
                             TrainingListener... listeners) throws IOException {
        return resume(checkpoint, data, null, null, backend, checkpointing, listeners);
    }

    /**
     * Continues the run that wrote {@code checkpoint} and ends with exactly the parameters of an
     * uninterrupted run. The data (and test set) must be the ones it was trained on (checked against
     * the SHA-256 in its provenance); {@code options} may be null (the checkpoint's) or must equal
     * the checkpoint's except {@code metrics_every}, {@code patience}, {@code max_rollbacks} and, with a
     * constant learning rate, {@code epochs}
     * (see {@link #checkResumable}).
     */
    public static Rbm resume(Path checkpoint, Dataset data, Dataset test, RbmOptions options, Backend backend,
                             Checkpointing checkpointing, TrainingListener... listeners) throws IOException {
        return RbmFitting.resume(RbmFitting.Checkpoint.read(checkpoint), data, test, options, backend, checkpointing,
                List.of(listeners));
    }

    /**
     * The checks {@link #resume} makes before it trains: returns the options the resumed run will use,
     * or throws an {@link IllegalArgumentException} naming the option or the data that differ.
     */
    public static RbmOptions checkResumable(Path checkpoint, Dataset data, Dataset test, RbmOptions options)
            throws IOException {
        return RbmFitting.Checkpoint.read(checkpoint).check(data, test, options);
    }

    /** The options the model or checkpoint at {@code path} was trained with (from its provenance). */
    public static RbmOptions readOptions(Path path) throws IOException {
        return RbmFitting.Checkpoint.options(RbmModelFile.read(path), path.toString());
    }

    /** {@link #load(Path, Backend)} on the default backend. */
    public static Rbm load(Path path) throws IOException {
        return load(path, Backends.get());
    }

    /** Reads a model (or checkpoint) file written by {@link #save}, with its preprocessing and provenance. */
    public static Rbm load(Path path, Backend backend) throws IOException {
        return of(backend, RbmModelFile.read(path));
    }

    /** The model {@code file} describes, on {@code backend}. */
    public static Rbm of(Backend backend, RbmModelFile file) {
        RbmParameters p = file.parameters();
        Rbm rbm = new Rbm(backend, p.visibleType(), p.visible(), p.hidden(), file.standardization(),
                file.binarization(), file.visibleMeans(), Provenance.fromMetadata(file.metadata()));
        rbm.setParameters(p);
        rbm.centering = file.centering();
        return rbm;
    }

    /** The model as a {@link RbmModelFile}: parameters, preprocessing, training means and provenance. */
    public RbmModelFile toRbmModelFile() {
        return new RbmModelFile(parameters(), provenance.toMetadata(), standardization, visibleMeans, binarization,
                centering);
    }

    @Override
    public ModelFile toModelFile() {
        return toRbmModelFile().toModelFile();
    }

    @Override
    public Provenance provenance() {
        return provenance;
    }

    void provenance(Provenance p) {
        provenance = Objects.requireNonNull(p, "provenance");
    }

    /**
     * The model in the centered form, for a model trained with centering ({@link RbmOptions#centering()});
     * empty otherwise. The model itself holds the equivalent ordinary parameters.
     */
    public java.util.Optional<CenteredParameters> centeredParameters() {
        return centering == null ? java.util.Optional.empty()
                : java.util.Optional.of(CenteredParameters.of(parameters(), centering.visible(), centering.hidden()));
    }

    void centering(CenteringOffsets offsets) {
        centering = offsets;
    }

    /** The standardization the model applies to its data, or null. */
    public Standardization standardization() {
        return standardization;
    }

    /** How the model binarizes its data (after standardization). */
    public Binarization binarization() {
        return binarization;
    }

    /** The per-visible means of the preprocessed training data, or null (for a model built by hand). */
    public float[] visibleMeans() {
        return visibleMeans == null ? null : visibleMeans.clone();
    }

    /**
     * A copy of this model (parameters copied on the same backend) that binarizes its data with
     * {@code b} instead: to score data prepared another way than the training data.
     */
    public Rbm withBinarization(Binarization b) {
        Rbm copy = new Rbm(backend, visibleType, visible, hidden, standardization, Objects.requireNonNull(b, "b"),
                visibleMeans, provenance);
        copy.setParameters(parameters());
        copy.centering = centering;
        return copy;
    }

    // ---- the trained model on raw data ---------------------------------------------------------

    /**
     * The hidden probabilities {@code p(h = 1 | v)} of the rows of {@code data} ({@code n x nh}),
     * after the model's preprocessing; the labels are kept.
     */
    public Dataset transform(Dataset data) {
        try (Tensor v = preprocess(data); Tensor h = backend.allocate(data.rows(), hidden)) {
            hiddenProbabilities(v, h, h);
            return new Dataset(data.name() + " (hidden probabilities)", data.rows(), hidden, h.toArray(),
                    data.labels(), 0, 0);
        }
    }

    /**
     * {@code n} samples: the visible means after {@code gibbsSteps} block-Gibbs steps of {@code n}
     * independent chains started from the training data's means ({@link GibbsSampling}), drawn from
     * {@link StreamId#RBM_FANTASY} under {@code seed}, in the data's units (standardization undone).
     */
    public Dataset sample(int n, int gibbsSteps, long seed) {
        requireSampleMemory(n);
        float[] v = GibbsSampling.visibleMeans(this, n, gibbsSteps, visibleMeans, StreamId.RBM_FANTASY.open(seed));
        Dataset samples = Dataset.of("samples of " + this, n, visible, v);
        return standardization == null ? samples : standardization.invert(samples);
    }

    /**
     * Refuses, before any work, sampling {@code chains} chains whose states and probabilities (4 arrays
     * of {@code visible + hidden} values a chain) cannot fit in this JVM's heap ({@link MemoryEstimate#require}).
     */
    public void requireSampleMemory(long chains) {
        MemoryEstimate.require("chains", MemoryEstimate.floats(4, chains, visible + (long) hidden), "the " + chains
                + " chains");
    }

    /**
     * {@code n} samples by parallel tempering ({@link GibbsSampling#tempered}): {@code n} chains, each with
     * a replica at every inverse temperature of {@code ladder} ({@code replicas} of them), started like
     * {@link #sample}'s, {@code sweeps} sweeps each followed by a round of swaps; the visible means of the
     * chains at temperature 1, in the data's units, and the swap rates. Draws from
     * {@link StreamId#RBM_FANTASY} (sweeps) and {@link StreamId#RBM_FANTASY_SWAPS} (swaps) under
     * {@code seed}. Bernoulli visibles only.
     */
    public TemperedSamples sampleTempered(int n, int sweeps, TemperatureLadder ladder, int replicas, long seed) {
        requireSampleMemory((long) n * Math.max(1, replicas));
        TemperedSamples t = GibbsSampling.tempered(this, n, sweeps, ladder.betas(replicas), visibleMeans,
                StreamId.RBM_FANTASY.open(seed), StreamId.RBM_FANTASY_SWAPS.open(seed));
        return standardization == null ? t
                : new TemperedSamples(standardization.invert(t.samples()), t.betas(), t.swapRates());
    }

    /** Free energies {@code F(v)} of the rows of {@code data}, after the model's preprocessing. */
    public double[] freeEnergy(Dataset data) {
        try (Tensor v = preprocess(data)) {
            return FreeEnergies.values(this, v);
        }
    }

    /**
     * The average log-likelihood {@code -(1/n) sum F(v) - log Z} of the rows of {@code data} in nats
     * per example, after the model's preprocessing; {@code logZ} from {@link #exactLogPartition()}
     * (small models) or {@link #estimateLogPartition}.
     */
    public double logLikelihood(Dataset data, double logZ) {
        try (Tensor v = preprocess(data)) {
            return LogLikelihood.average(this, v, logZ);
        }
    }

    /** The log-likelihood, reconstruction error and (binary data) pseudo-likelihood of {@code data}, preprocessed once. */
    public RbmEvaluation evaluate(Dataset data, double logZ) {
        try (Tensor v = preprocess(data)) {
            double ll = LogLikelihood.average(this, v, logZ);
            double recon = ReconstructionError.mean(this, v);
            OptionalDouble pl = visibleType == VisibleType.BERNOULLI && RbmEpochMetrics.isBinary(v)
                    ? OptionalDouble.of(PseudoLikelihood.mean(this, v)) : OptionalDouble.empty();
            return new RbmEvaluation(ll, recon, pl, visibleType);
        }
    }

    /**
     * The exact {@code log Z}, enumerating the smaller layer ({@link ExactLogPartition}); an error
     * when it has more than {@value ExactLogPartition#MAX_UNITS} units.
     */
    public double exactLogPartition() {
        return ExactLogPartition.compute(this);
    }

    /** {@link #exactLogPartition()}, telling {@code progress} the states enumerated so far. */
    public double exactLogPartition(ProgressListener progress) {
        return ExactLogPartition.compute(this, progress);
    }

    /**
     * An AIS estimate of {@code log Z} ({@link AisEstimator}) whose base-rate model comes from the
     * training data's means; an error for a model without them (see the other overload).
     */
    public AisResult estimateLogPartition(AisOptions options) {
        return estimateLogPartition(options, ProgressListener.NONE);
    }

    /** {@link #estimateLogPartition(AisOptions)}, telling {@code progress} the inverse temperatures done so far. */
    public AisResult estimateLogPartition(AisOptions options, ProgressListener progress) {
        if (visibleMeans == null) {
            throw new IllegalArgumentException("this model carries no training-data means for the AIS base rates (it "
                    + "was neither trained by fit nor loaded from a file that has them); pass data to "
                    + "estimateLogPartition(options, data)");
        }
        return estimateLogPartition(options, visibleMeans, progress);
    }

    /** An AIS estimate of {@code log Z} with the base rates of {@code data} (after the model's preprocessing). */
    public AisResult estimateLogPartition(AisOptions options, Dataset data) {
        return estimateLogPartition(options, data, ProgressListener.NONE);
    }

    /** {@link #estimateLogPartition(AisOptions, Dataset)}, telling {@code progress} the inverse temperatures done. */
    public AisResult estimateLogPartition(AisOptions options, Dataset data, ProgressListener progress) {
        try (Tensor v = preprocess(data)) {
            return estimateLogPartition(options, columnMeans(v), progress);
        }
    }

    private AisResult estimateLogPartition(AisOptions options, float[] baseRates, ProgressListener progress) {
        options.requireMemory(visible, hidden);
        return AisEstimator.estimate(this, baseRates, AisEstimator.betas(options.betas()), options.runs(),
                StreamId.RBM_AIS.open(options.seed()), progress);
    }

    /** {@code data} standardized, uploaded and binarized as the model's training data were. */
    private Tensor preprocess(Dataset data) {
        if (data.cols() != visible) {
            throw new IllegalArgumentException(data.name() + " has " + data.cols() + " columns but the model has "
                    + visible + " visible units");
        }
        Tensor t = (standardization == null ? data : standardization.apply(data)).toTensor(backend);
        binarization.apply(t);
        return t;
    }

    // ---- parameters ----------------------------------------------------------------------------

    /** Overwrites the parameters with {@code p} (same type and shape). */
    public void setParameters(RbmParameters p) {
        if (p.visibleType() != visibleType || p.visible() != visible || p.hidden() != hidden) {
            throw new IllegalArgumentException("parameters are a " + p.visibleType().id() + " " + p.visible() + "x"
                    + p.hidden() + " RBM but this model is " + visibleType.id() + " " + visible + "x" + hidden);
        }
        weights.copyFrom(p.weights());
        visibleBias.copyFrom(p.visibleBias());
        hiddenBias.copyFrom(p.hiddenBias());
    }

    /** A host copy of the parameters. */
    public RbmParameters parameters() {
        return new RbmParameters(visibleType, visible, hidden, weights.toArray(), visibleBias.toArray(),
                hiddenBias.toArray());
    }

    /**
     * The usual starting point: weights {@code N(0, weightStd^2)} (one draw from {@code rng}),
     * hidden biases 0, visible biases from the data's per-unit means {@code visibleMeans}
     * ({@code 1 x nv}, or null for zeros): log-odds of the mean clipped to
     * {@code [BASE_RATE_EPS, 1 - BASE_RATE_EPS]} for Bernoulli visibles, the mean itself for
     * Gaussian ones.
     */
    public void initialize(float weightStd, RandomStream rng, float[] visibleMeans) {
        if (!(weightStd >= 0f) || !Float.isFinite(weightStd)) {
            throw new IllegalArgumentException("initial weight std must be finite and >= 0, found " + weightStd);
        }
        backend.sampler().fillNormal(weights, 0f, weightStd, rng);
        backend.fill(hiddenBias, 0f);
        if (visibleMeans == null) {
            backend.fill(visibleBias, 0f);
            return;
        }
        if (visibleMeans.length != visible) {
            throw new IllegalArgumentException("visible means must have " + visible + " values, found "
                    + visibleMeans.length);
        }
        float[] b = new float[visible];
        for (int i = 0; i < visible; i++) {
            b[i] = visibleType == VisibleType.BERNOULLI ? logOdds(visibleMeans[i]) : visibleMeans[i];
        }
        visibleBias.copyFrom(b);
    }

    /** {@code log(p / (1 - p))} with {@code p} clipped to {@code [BASE_RATE_EPS, 1 - BASE_RATE_EPS]}. */
    public static float logOdds(float p) {
        double q = Math.min(Math.max(p, BASE_RATE_EPS), 1.0 - BASE_RATE_EPS);
        return (float) Math.log(q / (1.0 - q));
    }

    /** Column means of {@code data} ({@code n x nv}) on the host, accumulated by the backend. */
    public static float[] columnMeans(Tensor data) {
        Backend b = data.backend();
        try (Tensor m = b.allocate(1, data.cols())) {
            b.columnSums(data, 1f / data.rows(), 0f, m);
            return m.toArray();
        }
    }

    // ---- conditionals and sampling ---------------------------------------------------------------

    /** {@code pre = v W}: hidden inputs without bias. {@code v} is {@code n x nv}, {@code pre} {@code n x nh}. */
    public void hiddenInput(Tensor v, Tensor pre) {
        backend.gemm(false, false, 1f, v, weights, 0f, pre);
    }

    /** {@code probs = sigmoid(v W + c)}; {@code pre} is {@code n x nh} scratch (may be {@code probs}). */
    public void hiddenProbabilities(Tensor v, Tensor pre, Tensor probs) {
        hiddenInput(v, pre);
        backend.sigmoid(pre, hiddenBias, probs);
    }

    /**
     * Samples {@code h ~ p(h | v)} into {@code samples} (and the probabilities into {@code probs},
     * which may be null), one draw from {@code rng}, as one call a backend may fuse into its GEMM.
     * {@code pre} is {@code n x nh} scratch whose content afterwards is unspecified.
     */
    public void sampleHidden(Tensor v, Tensor pre, Tensor probs, Tensor samples, RandomStream rng) {
        backend.sampler().sampleSigmoidBernoulliProduct(v, weights, false, hiddenBias, pre, probs, samples, rng);
    }

    /** {@code pre = h W^T}: visible inputs without bias. {@code h} is {@code n x nh}, {@code pre} {@code n x nv}. */
    public void visibleInput(Tensor h, Tensor pre) {
        backend.gemm(false, true, 1f, h, weights, 0f, pre);
    }

    /**
     * {@code mean = E[v | h]}: {@code sigmoid(h W^T + b)} or {@code h W^T + b}. {@code mean} may be
     * used as its own scratch: it is written via the visible input.
     */
    public void visibleMean(Tensor h, Tensor mean) {
        visibleInput(h, mean);
        if (visibleType == VisibleType.BERNOULLI) {
            backend.sigmoid(mean, visibleBias, mean);
        } else {
            backend.addRowVector(mean, visibleBias, 1f, mean);
        }
    }

    /** Samples {@code v ~ p(v | h)} into {@code samples} ({@code n x nv}), one draw from {@code rng}. */
    public void sampleVisible(Tensor h, Tensor samples, RandomStream rng) {
        visibleInput(h, samples);
        if (visibleType == VisibleType.BERNOULLI) {
            backend.sampler().sampleSigmoidBernoulli(samples, visibleBias, 1f, null, samples, rng);
        } else {
            backend.sampler().sampleGaussian(samples, visibleBias, 1f, samples, rng);
        }
    }

    // ---- energies ------------------------------------------------------------------------------

    /**
     * Free energies {@code F(v)} of the {@code n} rows of {@code v} into {@code out} ({@code n x 1}).
     * {@code pre} ({@code n x nh}) and {@code scratch} ({@code n x 1}) are workspaces.
     */
    public void freeEnergy(Tensor v, Tensor pre, Tensor scratch, Tensor out) {
        hiddenInput(v, pre);
        backend.softplusRowSums(pre, hiddenBias, 1f, scratch);
        // out = -b.v
        backend.gemm(false, true, -1f, v, visibleBias, 0f, out);
        if (visibleType == VisibleType.GAUSSIAN) {
            // |v - b|^2 / 2 = |v|^2 / 2 - b.v + |b|^2 / 2
            backend.axpy(-1f, scratch, out);
            backend.rowSquaredNorms(v, null, scratch);
            backend.axpy(0.5f, scratch, out);
            float half = (float) (0.5 * backend.dot(visibleBias, visibleBias));
            backend.fill(scratch, half);
            backend.axpy(1f, scratch, out);
        } else {
            backend.axpy(-1f, scratch, out);
        }
    }

    /**
     * Energies {@code E(v, h)} of paired rows into {@code out} ({@code n x 1}); {@code pre}
     * ({@code n x nh}) and {@code scratch} ({@code n x 1}) are workspaces.
     */
    public void energy(Tensor v, Tensor h, Tensor pre, Tensor scratch, Tensor out) {
        hiddenInput(v, pre);
        backend.mul(pre, h, pre);
        backend.rowSums(pre, out);
        backend.gemm(false, true, 1f, h, hiddenBias, 1f, out);
        backend.scale(-1f, out, out);
        if (visibleType == VisibleType.GAUSSIAN) {
            backend.gemm(false, true, -1f, v, visibleBias, 1f, out);
            backend.rowSquaredNorms(v, null, scratch);
            backend.axpy(0.5f, scratch, out);
            backend.fill(scratch, (float) (0.5 * backend.dot(visibleBias, visibleBias)));
            backend.axpy(1f, scratch, out);
        } else {
            backend.gemm(false, true, -1f, v, visibleBias, 1f, out);
        }
    }

    // ---- accessors ------------------------------------------------------------------------------

    public Backend backend() {
        return backend;
    }

    public VisibleType visibleType() {
        return visibleType;
    }

    public int visible() {
        return visible;
    }

    public int hidden() {
        return hidden;
    }

    /** {@code nv x nh}; updated in place by trainers. */
    public Tensor weights() {
        return weights;
    }

    /** {@code 1 x nv}. */
    public Tensor visibleBias() {
        return visibleBias;
    }

    /** {@code 1 x nh}. */
    public Tensor hiddenBias() {
        return hiddenBias;
    }

    @Override
    public void close() {
        weights.close();
        visibleBias.close();
        hiddenBias.close();
    }

    @Override
    public String toString() {
        return "Rbm[" + visibleType.id() + " " + visible + "x" + hidden + " on " + backend.name() + "]";
    }
}
