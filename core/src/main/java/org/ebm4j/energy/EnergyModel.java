package org.ebm4j.energy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.HoldOut;
import org.ebm4j.hmc.HmcOptions;
import org.ebm4j.hmc.HmcResult;
import org.ebm4j.hmc.HmcSampler;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.ModelFormatException;
import org.ebm4j.io.Provenance;
import org.ebm4j.io.OwningModel;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.CheckpointWriter;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.MemoryEstimate;
import org.ebm4j.train.TrainingListener;
import org.ebm4j.train.TrainingRun;
import org.ebm4j.train.TrainingSafety;
import org.ebm4j.train.TrainingState;

/**
 * A trained energy model with deterministic hidden units ({@link EnergyNetwork}) or a product of
 * uni-gauss experts ({@link UniGaussExperts}): its energy function, the {@link DataMoments} of the data
 * it was trained on (where its fantasies start) and its {@link Provenance}.
 *
 * <pre>{@code
 * try (EnergyModel m = EnergyModel.fit(FourSquares.dataset(2000, 1), EnergyOptions.builder().build())) {
 *     HmcResult fantasies = m.fantasies(1000, 300, 50, 1);
 *     m.save(Path.of("squares.ebm"));
 * }
 * }</pre>
 *
 * <p>{@link #fit} does every step in order: the data moments, the model and its initialization
 * ({@link StreamId#ENERGY_INIT}), the training by {@link EnergyTrainer} through {@link TrainingRun}
 * (checkpoints, per-epoch reports with the epoch's mean loss, energies and acceptance), the provenance.
 * Energy models take raw data: there is no preprocessing.
 *
 * <p>Training safety ({@link TrainingSafety}): a fresh run first takes one trial update on the first
 * minibatch and refuses a learning rate that explodes it ({@link TrainingRun#requireStableFirstUpdate}: a
 * {@link org.ebm4j.train.SettingException} naming {@code learning_rate}); an update whose loss or HMC
 * energies are non-finite ends its epoch, and such an epoch, or one whose parameters are non-finite or grew
 * a thousandfold, is rolled back to the last good epoch with the learning rate halved, at most
 * {@code max_rollbacks} times ({@link TrainingListener#onRollback}). The watched metric is the epoch's mean
 * training {@code loss}, for its finiteness only; with {@code holdout} rows held out (the last rows of the data,
 * {@link HoldOut}) it is {@link #HELDOUT_METRIC} instead (non-finite when the loss is), and with
 * {@code patience > 0} the run stops once that has not improved for {@code patience} epochs, the model keeping
 * the best epoch's parameters ({@link TrainingListener#onEarlyStop}).
 */
public final class EnergyModel extends OwningModel<TrainableEnergy> {
    /** Leapfrog steps of the fantasies' trajectories in {@link #fantasies(int, int, int, long)}. */
    public static final int FANTASY_LEAPFROG_STEPS = 20;
    /** The starting step size of the fantasies' trajectories (adapted during warm-up). */
    public static final double FANTASY_STEP_SIZE = 0.1;
    /** Warm-up transitions of {@link #sample(int, long)}. */
    public static final int SAMPLE_WARMUP = 300;
    /** The fantasies start at {@code N(data mean, (FANTASY_SPREAD * data spread)^2)}: broader than the data. */
    public static final double FANTASY_SPREAD = 1.5;
    /**
     * The per-epoch metric on the held-out rows that early stopping watches: their denoising score matching
     * loss (see {@link HeldOutScore}; 1 for a flat energy, lower is better).
     */
    public static final String HELDOUT_METRIC = "heldout_score_matching";

    private final TrainableEnergy energy;
    private final DataMoments moments;

    private EnergyModel(TrainableEnergy energy, DataMoments moments, Provenance provenance) {
        super(energy, provenance, "energy model", Objects.requireNonNull(energy, "energy")::close);
        this.energy = energy;
        this.moments = Objects.requireNonNull(moments, "moments");
        if (moments.mean().length != energy.dimension()) {
            throw new IllegalArgumentException("data moments have " + moments.mean().length
                    + " columns but the energy takes " + energy.dimension());
        }
    }

    /** A model around an energy function built by hand (it is owned, and closed, by the model); no provenance. */
    public static EnergyModel of(TrainableEnergy energy, DataMoments moments) {
        return new EnergyModel(energy, moments, new Provenance(Map.of()));
    }

    // ---- training ------------------------------------------------------------------------------

    /**
     * {@link #fit(Backend, Dataset, EnergyOptions, Checkpointing, TrainingListener...)} on the default
     * backend, without checkpoints.
     */
    public static EnergyModel fit(Dataset data, EnergyOptions options, TrainingListener... listeners) {
        return fit(Backends.get(), data, options, Checkpointing.none(), listeners);
    }

    /**
     * Trains a fresh model on {@code data} ({@code rows x d} raw vectors) as {@code options} say.
     * {@code NaN} entries of the data are missing: training fills them in by the model's own conditional
     * HMC at every update and so learns the likelihood of the observed entries (see {@link EnergyTrainer});
     * the data moments are taken over the observed entries. Listeners that are {@link EnergyTrainingListener}s also hear every update.
     *
     * @throws IllegalStateException when training diverges (the message says at which update and what to change)
     * @throws IllegalArgumentException when an entry is infinite or a column is missing in every row
     */
    public static EnergyModel fit(Backend backend, Dataset data, EnergyOptions options, Checkpointing checkpointing,
                                  TrainingListener... listeners) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(options, "options");
        options.requireMemory(data.cols());
        Dataset train = HoldOut.split(data, null, options.holdout()).train();
        DataMoments moments = DataMoments.of(train.values(), train.rows(), train.cols());
        TrainableEnergy energy = newEnergy(backend, data.cols(), options, moments);
        try {
            return train(energy, moments, data, data.sha256(), options, null, checkpointing, listeners);
        } catch (RuntimeException e) {
            energy.close();
            throw e;
        }
    }

    /**
     * Continues the run that wrote {@code checkpoint} on the same {@code data} (checked against the
     * checksum in the checkpoint's provenance), with the checkpoint's options, exactly as if it had
     * not stopped: the result is bit-identical to the uninterrupted run on the same backend.
     *
     * @throws IOException when the checkpoint cannot be read or is not an energy-model checkpoint
     * @throws IllegalArgumentException when {@code data} differ from the checkpoint's
     */
    public static EnergyModel resume(Path checkpoint, Dataset data, Backend backend, Checkpointing checkpointing,
                                     TrainingListener... listeners) throws IOException {
        String source = checkpoint.toString();
        CheckpointWriter.Checkpoint c = CheckpointWriter.read(checkpoint);
        Provenance p = Provenance.fromMetadata(c.model().metadata());
        EnergyOptions options;
        try {
            options = EnergyOptions.fromMap(p.options());
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source + ": the checkpoint's training options are unusable: "
                    + e.getMessage());
        }
        String sha = checkSameData(p, data, source);
        TrainableEnergy energy = EnergyModelFile.from(backend, c.model(), source);
        try {
            DataMoments moments = EnergyModelFile.moments(c.model(), energy.dimension(), source);
            return train(energy, moments, data, sha, options, c.state(), checkpointing, listeners);
        } catch (IOException | RuntimeException e) {
            energy.close();
            throw e;
        }
    }

    private static TrainableEnergy newEnergy(Backend backend, int d, EnergyOptions options, DataMoments moments) {
        RandomStream init = StreamId.ENERGY_INIT.open(options.seed());
        if (options.model() == EnergyOptions.Model.UNIGAUSS) {
            if (!(moments.spread() > 0)) {
                throw new IllegalArgumentException("uni-gauss experts start with the data's spread, which is "
                        + moments.spread() + " (every row is the same); give data that vary");
            }
            UniGaussExperts poe = new UniGaussExperts(backend, d, options.experts(), options.envelope());
            poe.initialize(init, moments.meanAsFloats(), (float) moments.spread());
            return poe;
        }
        EnergyNetwork net = new EnergyNetwork(backend, d, options.layers(), options.visiblePrecision());
        net.initialize(init, options.weightScale(), options.initialScale());
        return net;
    }

    /** {@code sha}: the data's SHA-256, computed once by the caller. */
    private static EnergyModel train(TrainableEnergy energy, DataMoments moments, Dataset data, String sha,
                                     EnergyOptions options,
                                     TrainingState resume, Checkpointing checkpointing, TrainingListener[] listeners) {
        Backend backend = energy.backend();
        Provenance during = Provenance.builder().model(EnergyModelFile.kind(energy)).options(options.toMap())
                .data(data.name(), data.rows(), data.cols(), sha).seed(options.seed())
                .backend(backend.name(), backend.describe()).build();
        List<EnergyTrainingListener> stepListeners = new ArrayList<>();
        for (TrainingListener l : listeners) {
            if (l instanceof EnergyTrainingListener e) {
                stepListeners.add(e);
            }
        }
        EnergyTrainingListener[] perStep = stepListeners.toArray(new EnergyTrainingListener[0]);
        HoldOut split = HoldOut.split(data, null, options.holdout());
        Dataset train = split.train();
        try (Tensor x = train.toTensor(backend); EnergyTrainer trainer = new EnergyTrainer(energy, x, options);
             HeldOutScore held = split.heldOut() == null ? null
                     : new HeldOutScore(backend, split.heldOut(), moments.spread(), options.seed())) {
            trainer.onStep(step -> {
                for (EnergyTrainingListener l : perStep) {
                    l.onStep(step);
                }
            });
            Supplier<ModelFile> file = () -> EnergyModelFile.toModelFile(energy, moments, during);
            Consumer<ModelFile> restore = f -> EnergyModelFile.restoreParameters(energy, f);
            if (resume == null) {
                TrainingRun.requireStableFirstUpdate(trainer, file, restore, "learning_rate");
            }
            // The contrastive losses (and the held-out score, whose scale is the model's) have no scale against
            // which a finite value could be called exploded: only a non-finite one (an update that diverged ends
            // its epoch with a non-finite loss, and the held-out score is then NaN) or exploding parameters count.
            TrainingSafety safety = new TrainingSafety(held == null ? "loss" : HELDOUT_METRIC, false,
                    options.patience(), options.maxRollbacks(), Double.MAX_VALUE);
            TrainingRun.run(trainer, resume, file, restore, checkpointing,
                    trainer.batchesPerEpoch() * options.batchRows(train.rows()), (epoch, epochs) -> {
                        Map<String, Double> m = trainer.epochMetrics();
                        if (held != null) {
                            m.put(HELDOUT_METRIC, Double.isFinite(m.get("loss")) ? held.evaluate(energy) : Double.NaN);
                        }
                        return m;
                    }, safety, List.of(listeners));
            return new EnergyModel(energy, moments, during.withDraws(trainer.drawPositions()));
        }
    }

    /** Returns the data's SHA-256 once it matches the checkpoint's. */
    private static String checkSameData(Provenance p, Dataset data, String source) {
        String expected = p.get("data.sha256");
        if (expected == null) {
            throw new IllegalArgumentException(source + ": the checkpoint records no data checksum, so the data cannot"
                    + " be checked; start a new run with fit");
        }
        String found = data.sha256();
        if (!expected.equals(found)) {
            throw new IllegalArgumentException(source + " was trained on " + p.get("data.source") + " ("
                    + p.get("data.rows") + "x" + p.get("data.cols") + ", sha256 " + expected + ") but the data given is "
                    + data.name() + " (" + data.rows() + "x" + data.cols() + ", sha256 " + found
                    + "); resume with the same data");
        }
        return found;
    }

    // ---- files ---------------------------------------------------------------------------------

    /** Reads a model written by {@link #save} on the default backend. */
    public static EnergyModel load(Path path) throws IOException {
        return load(path, Backends.get());
    }

    /**
     * Reads a model written by {@link #save} (or a checkpoint of {@link #fit}) onto {@code backend}.
     *
     * @throws IOException when the file is unreadable, damaged, or not a trained energy model (the message
     *     names the file and what was wrong)
     */
    public static EnergyModel load(Path path, Backend backend) throws IOException {
        String source = path.toString();
        ModelFile f = ModelFile.read(path);
        TrainableEnergy e = EnergyModelFile.from(backend, f, source);
        try {
            return new EnergyModel(e, EnergyModelFile.moments(f, e.dimension(), source),
                    Provenance.fromMetadata(f.metadata()));
        } catch (IOException | RuntimeException ex) {
            e.close();
            throw ex;
        }
    }

    @Override
    protected ModelFile modelFile(Provenance provenance) {
        return EnergyModelFile.toModelFile(energy, moments, provenance);
    }

    /** The options the model was trained with (from its provenance). */
    public EnergyOptions options() {
        if (provenance().options().isEmpty()) {
            throw new IllegalStateException("this energy model has no training options (it was built by hand)");
        }
        return EnergyOptions.fromMap(provenance().options());
    }

    // ---- the model -----------------------------------------------------------------------------

    /** The energy function (for {@link HmcSampler}, {@link MissingInputs}); owned by this model. */
    public TrainableEnergy energyFunction() {
        checkOpen();
        return energy;
    }

    public DataMoments moments() {
        return moments;
    }

    public int dimension() {
        return energy.dimension();
    }

    public Backend backend() {
        return energy.backend();
    }

    /** The energy {@code E(x)} of every row of {@code data} (raw vectors, {@code rows x d}). */
    public float[] energy(Dataset data) {
        checkOpen();
        if (data.cols() != energy.dimension()) {
            throw new IllegalArgumentException(data.name() + " has " + data.cols() + " columns but the model's energy"
                    + " takes " + energy.dimension());
        }
        Backend b = energy.backend();
        try (Tensor x = data.toTensor(b); Tensor e = b.allocate(data.rows(), 1)) {
            energy.energy(x, e);
            return e.toArray();
        }
    }

    /**
     * Fantasies: {@code hmc.chains()} HMC chains started broadly around the data, at
     * {@code N(data mean, (1.5 data spread)^2)} per coordinate, then warmed up and sampled as {@code hmc}
     * says. The starts and every transition draw from {@link StreamId#ENERGY_FANTASY} under
     * {@code hmc.seed()}; {@code hmc.initSd()} is not used (the starts follow the data).
     */
    public HmcResult fantasies(HmcOptions hmc) {
        checkOpen();
        requireFantasyMemory(energy.dimension(), layers(), hmc);
        int d = energy.dimension();
        int chains = hmc.chains();
        RandomStream rng = StreamId.ENERGY_FANTASY.open(hmc.seed());
        Backend b = energy.backend();
        float[] start = new float[chains * d];
        try (Tensor noise = b.allocate(chains, d)) {
            b.sampler().fillNormal(noise, 0f, (float) (FANTASY_SPREAD * moments.spread()), rng);
            noise.copyTo(start);
        }
        float[] mean = moments.meanAsFloats();
        for (int i = 0; i < chains; i++) {
            for (int j = 0; j < d; j++) {
                start[i * d + j] += mean[j];
            }
        }
        try (Tensor init = b.fromArray(start, chains, d)) {
            return HmcSampler.sample(energy, init, hmc, rng);
        }
    }

    /**
     * {@link #fantasies(HmcOptions)} with {@value #FANTASY_LEAPFROG_STEPS} leapfrog steps from step size
     * {@value #FANTASY_STEP_SIZE} (adapted during warm-up) and the other {@link HmcOptions} defaults; the
     * draws are kept.
     */
    public HmcResult fantasies(int chains, int warmup, int draws, long seed) {
        return fantasies(fantasyOptions(chains, warmup, draws, seed));
    }

    /** The options of {@link #fantasies(int, int, int, long)}. */
    public static HmcOptions fantasyOptions(int chains, int warmup, int draws, long seed) {
        return HmcOptions.builder().chains(chains).stepSize(FANTASY_STEP_SIZE).leapfrogSteps(FANTASY_LEAPFROG_STEPS)
                .warmup(warmup).draws(draws).keepDraws(true).seed(seed).build();
    }

    /**
     * Refuses, before any work, {@link #fantasies(HmcOptions)} of {@code hmc} from an energy over
     * {@code dimension} coordinates (a network of {@code layers}; none for another energy) whose arrays
     * cannot fit in this JVM's heap ({@link MemoryEstimate#require}): the chains' pass through the energy
     * (setting {@code chains}), then the chains' positions and kept draws ({@link HmcOptions#requireMemory}).
     * A command that trains and then draws fantasies calls it before training.
     */
    public static void requireFantasyMemory(int dimension, List<EnergyNetwork.Layer> layers, HmcOptions hmc) {
        requirePassMemory("chains", hmc.chains(), dimension, layers, "fantasy chains");
        hmc.requireMemory(dimension);
    }

    /**
     * {@code n} samples from the model: the end points of {@code n} fantasy chains after
     * {@value #SAMPLE_WARMUP} warm-up transitions and one more ({@code n x d}).
     */
    public Dataset sample(int n, long seed) {
        HmcResult r = fantasies(HmcOptions.builder().chains(n).stepSize(FANTASY_STEP_SIZE)
                .leapfrogSteps(FANTASY_LEAPFROG_STEPS).warmup(SAMPLE_WARMUP).draws(1).keepDraws(false).seed(seed)
                .build());
        return Dataset.of("energy-model samples (seed " + seed + ")", n, energy.dimension(), r.finalPositions());
    }

    /**
     * The options of {@link #fillMissing(Dataset, HmcOptions)} that {@code ebm energy fill} uses by default:
     * 4 chains per row, 50 warm-up and 20 kept transitions of 20 leapfrog steps, step size 0.05 adapted
     * toward 0.8 acceptance, seed 1 (the {@link HmcOptions} defaults otherwise, no mass adaptation).
     */
    public static HmcOptions fillOptions() {
        return HmcOptions.builder().chains(4).warmup(50).draws(20).leapfrogSteps(FANTASY_LEAPFROG_STEPS)
                .stepSize(0.05).targetAccept(0.8).adaptMass(false).build();
    }

    /**
     * Fills in the missing entries ({@code NaN}) of {@code data} from the model (Hinton's lecture) by their
     * posterior mean {@code E[x_missing | x_observed]} under {@code p(x) ~ exp(-E(x))}: {@code hmc.chains()}
     * conditional HMC chains per row start with the missing entries at the training data's mean, warm up
     * and average their kept draws ({@link MissingInputs#posteriorMean}; {@code hmc.seed()} seeds
     * {@link StreamId#ENERGY_COMPLETION}, {@code hmc.initSd()} is not used). Returns a copy of the data with
     * every missing entry filled in; observed entries come back bit for bit. Reproducible for a seed and
     * backend.
     *
     * <p>Why not a gradient descent to the nearest minimum, as the lecture sketches: a contrastively
     * trained energy is shaped only where its negatives went, and its curvature grows as training goes on,
     * so a fixed-step descent oscillates where the curvature exceeds {@code 2 / rate} and otherwise can
     * leave the data for minima that training never visited. The posterior mean is the completion with
     * the least expected squared error under the model, and short chains from the data mean explore it the
     * way the training's negatives did.
     *
     * @throws IllegalArgumentException when the data's width differs from the model's, or an entry is infinite
     */
    public Dataset fillMissing(Dataset data, HmcOptions hmc) {
        checkOpen();
        Objects.requireNonNull(hmc, "hmc");
        // The chains of one row at least must fit; a count past that overflowed an int size ("-2").
        hmc.requireMemory(energy.dimension());
        requirePassMemory("data", data.rows(), energy.dimension(), layers(), "rows of " + data.name()
                + " with their copies");
        int d = energy.dimension();
        if (data.cols() != d) {
            throw new IllegalArgumentException(data.name() + " has " + data.cols() + " columns but the model's energy"
                    + " takes " + d);
        }
        float[] values = data.values().clone();
        float[] observed = new float[values.length];
        float[] mean = moments.meanAsFloats();
        for (int i = 0; i < values.length; i++) {
            if (Float.isNaN(values[i])) {
                values[i] = mean[i % d];
            } else if (Float.isInfinite(values[i])) {
                throw MissingEntries.infiniteEntry(i, d, values[i]);
            } else {
                observed[i] = 1f;
            }
        }
        Backend b = energy.backend();
        try (Tensor x = b.fromArray(values, data.rows(), d); Tensor mask = b.fromArray(observed, data.rows(), d)) {
            MissingInputs.posteriorMean(energy, x, mask, hmc, StreamId.ENERGY_COMPLETION.open(hmc.seed()));
            float[] filled = x.toArray();
            for (int i = 0; i < filled.length; i++) {
                if (observed[i] == 1f) {
                    filled[i] = data.values()[i]; // observed entries come back bit for bit
                }
            }
            return data.withValues(data.name() + " (missing entries filled in)", filled);
        }
    }

    /**
     * Refuses, before any work, a pass of {@code rows} rows through an energy over {@code dimension}
     * coordinates (a network of {@code layers}) whose arrays cannot fit in this JVM's heap
     * ({@link MemoryEstimate#require}): 5 copies of the rows (values, mask, gradient, start and result)
     * and, for a network, its activations ({@link EnergyNetwork#workspaceBytes}).
     */
    private static void requirePassMemory(String setting, long rows, int dimension, List<EnergyNetwork.Layer> layers,
                                          String what) {
        long bytes = MemoryEstimate.sum(MemoryEstimate.floats(5, rows, dimension),
                EnergyNetwork.workspaceBytes(rows, layers));
        MemoryEstimate.require(setting, bytes, "the " + rows + " " + what + " and their activations");
    }

    /** The hidden layers of the energy when it is a network, else none. */
    private List<EnergyNetwork.Layer> layers() {
        return energy instanceof EnergyNetwork net ? net.layers() : List.of();
    }

    @Override
    public String toString() {
        return "EnergyModel[" + EnergyModelFile.kind(energy) + ", d=" + energy.dimension() + " on "
                + energy.backend().name() + "]";
    }
}
