package org.ebm4j.boltzmann;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.InvalidDataFileException;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.ModelFormatException;
import org.ebm4j.io.Provenance;
import org.ebm4j.io.SavedModel;
import org.ebm4j.random.Philox;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.CheckpointWriter;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.MemoryEstimate;
import org.ebm4j.train.TrainingListener;
import org.ebm4j.train.SettingException;
import org.ebm4j.train.TrainingRun;
import org.ebm4j.train.TrainingSafety;
import org.ebm4j.train.TrainingState;

/**
 * A general Boltzmann machine: {@code visible} visible and {@code hidden} hidden binary units with
 * full symmetric connectivity (visible-visible, hidden-hidden and visible-hidden weights, zero
 * diagonal) and biases, on a backend. Units take {@link UnitValues#BINARY} {0, 1} or
 * {@link UnitValues#SPIN} {-1, +1} values; the energy is {@code E(s) = -1/2 s^T W s - b^T s} and
 * {@code p(s) = exp(-E(s)/T) / Z}.
 *
 * <p>Unit order: units {@code 0 .. visible-1} are visible, {@code visible .. n-1} hidden; {@code W}
 * is {@code n x n} and {@code b} is {@code 1 x n} with {@code n = visible + hidden}.
 *
 * <p>The library's entry points: {@link #fit} trains a machine on data in one call,
 * {@link #resume} continues a run from its checkpoint, {@link #save}/{@link #load} keep it in an
 * ebm4j model file with its {@link #provenance()}, {@link #sample} draws from it, and a small one
 * (at most {@value ExactBoltzmann#MAX_UNITS} units) is evaluated exactly by enumeration
 * ({@link #logPartition()}, {@link #logLikelihood}, {@link #exact()}). {@link GibbsSampler} and
 * {@link BoltzmannTrainer} are the parts these are built from.
 *
 * <p>Model file: metadata {@code model=bm}, {@code bm.visible}, {@code bm.hidden}, {@code bm.units}
 * and the provenance; tensors {@code W} ({@code n x n}) and {@code bias} ({@code 1 x n}).
 */
public final class BoltzmannMachine implements SavedModel {
    /** The {@code model} metadata value of a Boltzmann machine's model file. */
    public static final String MODEL_KIND = "bm";
    /** The sweeps of {@link #sample(int, long)}. */
    public static final int DEFAULT_SAMPLE_SWEEPS = 100;

    /** The metric that divergence checks and early stopping watch (see {@link #fit}). */
    public static final String WATCHED_METRIC = "log_likelihood";

    /**
     * The metrics {@link #fit} reports after an evaluated epoch, by name: {@code log_likelihood} (mean
     * exact log-likelihood of the data in nats) and {@code data_mass} (exact probability of the distinct
     * data rows) when the machine has at most {@value ExactBoltzmann#MAX_UNITS} units;
     * {@code data_match_fraction} (the fraction of {@code samples} samples, independent chains from
     * random states after {@code sampleSweeps} sweeps at T = 1, equal to a data row) and
     * {@code distinct_matches} (how many distinct data rows they hit) when {@code samples > 0};
     * {@code metrics_seconds}. The samples of epoch {@code e} come from block {@code e} of
     * {@link StreamId#BM_EVALUATION}, so a resumed run reports the same numbers.
     */
    public static final List<String> METRICS = List.of("log_likelihood", "data_mass", "data_match_fraction",
            "distinct_matches", "metrics_seconds");

    private final Couplings couplings;
    private final int visible;
    private final int hidden;
    private final UnitValues units;
    private Provenance provenance = new Provenance(Map.of());

    /** A machine with zero weights and biases (see {@link #initializeRandom}), built by hand: no provenance. */
    public BoltzmannMachine(Backend backend, int visible, int hidden, UnitValues units) {
        if (visible < 1) {
            throw new IllegalArgumentException("a Boltzmann machine needs at least 1 visible unit but was given " + visible);
        }
        if (hidden < 0) {
            throw new IllegalArgumentException("hidden unit count must be >= 0 but was " + hidden);
        }
        if (units == null) {
            throw new IllegalArgumentException("unit values are null; use BINARY or SPIN");
        }
        this.visible = visible;
        this.hidden = hidden;
        this.units = units;
        this.couplings = new Couplings(backend, visible + hidden);
    }

    // ---- training -----------------------------------------------------------------------------

    /** {@link #fit(Backend, Dataset, BoltzmannOptions, Checkpointing, TrainingListener...)} on the default backend, without checkpoints. */
    public static BoltzmannMachine fit(Dataset data, BoltzmannOptions options, TrainingListener... listeners) {
        return fit(Backends.get(), data, options, Checkpointing.none(), listeners);
    }

    /**
     * Trains a machine on {@code data} as {@code options} say, in one call: reads the rows as the
     * options' unit values ({@link UnitValues#encode}: 0/1 or -1/+1 rows are both accepted), draws the
     * initial weights {@code N(0, initStddev^2)} (biases 0) from {@link StreamId#BM_INIT}, trains
     * {@code epochs} epochs with {@link BoltzmannTrainer} (writing checkpoints as asked), and evaluates
     * the metrics every {@code evalEvery} epochs and after the last (see {@link #METRICS}), reporting
     * them to the listeners' {@link TrainingListener#onReport}; the reports of other epochs have no
     * metrics. The machine returned carries its provenance; the caller closes it.
     *
     * <p>Training safety ({@link TrainingSafety}): before the first epoch of a fresh run, one trial update
     * on the first minibatch refuses a learning rate that explodes it ({@link TrainingRun#requireStableFirstUpdate}:
     * a {@link SettingException} naming {@code learning_rate}); after each epoch, non-finite or exploding
     * parameters, or an exploding {@value #WATCHED_METRIC} (the exact log-likelihood of the training rows,
     * computed for machines of at most {@value ExactBoltzmann#MAX_UNITS} units), roll the run back to the
     * last good epoch with the learning rate halved, at most {@code maxRollbacks} times, each told to
     * {@link TrainingListener#onRollback}; with {@code patience > 0} the run stops once that log-likelihood
     * has not improved for {@code patience} evaluations and the machine gets the best evaluation's
     * parameters ({@link TrainingListener#onEarlyStop}). The machine has no held-out rows: its data
     * sets (bars and stripes) are the whole distribution, so the log-likelihood of the data is what
     * training is judged by.
     *
     * @param data {@code rows x visible}, binary values
     */
    public static BoltzmannMachine fit(Backend backend, Dataset data, BoltzmannOptions options,
                                       Checkpointing checkpointing, TrainingListener... listeners) {
        Objects.requireNonNull(data, "data");
        return train(backend, data, data.sha256(), options, null, null, checkpointing, listeners);
    }

    /**
     * Continues the run that wrote {@code checkpoint} (a file {@code Checkpointing} wrote during a
     * {@link #fit}) to its planned epochs, bit-identically to a run that never stopped: the options
     * come from the checkpoint's provenance, and {@code data} must be the data it was trained on (same
     * SHA-256, else an error says so).
     */
    public static BoltzmannMachine resume(Path checkpoint, Dataset data, Backend backend, Checkpointing checkpointing,
                                          TrainingListener... listeners) throws IOException {
        CheckpointWriter.Checkpoint ck = CheckpointWriter.read(checkpoint);
        String source = checkpoint.toString();
        ck.model().requireModel(MODEL_KIND, "a Boltzmann machine", source);
        Provenance p = Provenance.fromMetadata(ck.model().metadata());
        String sha = p.get("data.sha256");
        if (sha == null) {
            throw new ModelFormatException(source + ": the checkpoint records no data checksum (provenance.data.sha256)");
        }
        String found = data.sha256();
        if (!sha.equals(found)) {
            throw new IllegalArgumentException("the data differ from the data the checkpoint " + source + " was trained on ("
                    + p.get("data.source") + ", " + p.get("data.rows") + "x" + p.get("data.cols") + ", SHA-256 " + sha
                    + "); given " + data + " with SHA-256 " + found);
        }
        BoltzmannOptions options = BoltzmannOptions.fromMap(p.options());
        int n = options.visible() + options.hidden();
        float[][] parameters = {ck.model().tensor("W", n, n, source).data(), ck.model().tensor("bias", 1, n, source).data()};
        return train(backend, data, found, options, parameters, ck.state(), checkpointing, listeners);
    }

    /**
     * {@code sha}: the SHA-256 of {@code raw}, computed once by the caller; {@code parameters}: null
     * for a fresh run, else the weights and biases to continue from.
     */
    private static BoltzmannMachine train(Backend backend, Dataset raw, String sha, BoltzmannOptions requested,
                                          float[][] parameters,
                                          TrainingState state, Checkpointing checkpointing,
                                          TrainingListener... listeners) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(raw, "data");
        Objects.requireNonNull(requested, "options");
        Dataset data = requested.units().encode(raw);
        if (requested.visible() != 0 && requested.visible() != data.cols()) {
            throw new IllegalArgumentException("options ask for " + requested.visible() + " visible units but the data "
                    + raw + " has " + data.cols() + " columns");
        }
        BoltzmannOptions options = requested.toBuilder().visible(data.cols()).build();
        options.requireMemory(data.cols());
        BoltzmannMachine m = new BoltzmannMachine(backend, data.cols(), options.hidden(), options.units());
        try (Tensor dataT = data.toTensor(backend)) {
            if (parameters == null) {
                m.initializeRandom(options.initStddev(), StreamId.BM_INIT.open(options.seed()));
            } else {
                m.couplings.setWeights(parameters[0]);
                m.couplings.setBias(parameters[1]);
            }
            EmpiricalDistribution empirical = EmpiricalDistribution.of(data, options.units());
            Provenance.Builder base = Provenance.builder().model(MODEL_KIND).options(options.toMap())
                    .data(raw.name(), raw.rows(), raw.cols(), sha).seed(options.seed())
                    .backend(backend.name(), backend.describe());
            try (BoltzmannTrainer trainer = new BoltzmannTrainer(m, options, dataT)) {
                int every = options.evalEvery() == 0 ? options.epochs() : options.evalEvery();
                TrainingRun.Metrics metrics = TrainingRun.Metrics.every(every,
                        () -> m.metrics(data, empirical, options, trainer.epochsDone()));
                Supplier<ModelFile> file = () -> {
                    m.provenance = provenance(base, trainer);
                    return m.toModelFile();
                };
                Consumer<ModelFile> restore = f -> {
                    m.couplings.setWeights(f.tensors().get("W").data());
                    m.couplings.setBias(f.tensors().get("bias").data());
                };
                if (state == null) {
                    TrainingRun.requireStableFirstUpdate(trainer, file, restore, "learning_rate");
                }
                TrainingRun.run(trainer, state, file, restore, checkpointing, data.rows(), metrics, safety(m, options),
                        List.of(listeners));
                m.provenance = provenance(base, trainer);
            }
            return m;
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /**
     * What the run watches: the exact mean log-likelihood of the training rows ({@code log_likelihood},
     * higher is better) where the machine is small enough to enumerate; without it only the parameters
     * are watched, and early stopping is refused.
     */
    private static TrainingSafety safety(BoltzmannMachine m, BoltzmannOptions o) {
        boolean exact = m.size() <= ExactBoltzmann.MAX_UNITS;
        if (o.patience() > 0 && !exact) {
            throw new SettingException("patience", "early stopping watches the exact log-likelihood, which needs at most "
                    + ExactBoltzmann.MAX_UNITS + " units, but the machine has " + m.size() + "; use patience 0");
        }
        return new TrainingSafety(exact ? WATCHED_METRIC : null, true, o.patience(), o.maxRollbacks(),
                TrainingSafety.DEFAULT_EXPLOSION);
    }

    private static Provenance provenance(Provenance.Builder base, BoltzmannTrainer trainer) {
        Provenance p = base.build();
        Map<String, String> entries = new LinkedHashMap<>(p.entries());
        trainer.drawPositions().forEach((k, v) -> entries.put("draw." + k, Long.toString(v)));
        return new Provenance(entries);
    }

    private Map<String, Double> metrics(Dataset data, EmpiricalDistribution empirical, BoltzmannOptions options, int epoch) {
        Map<String, Double> r = new LinkedHashMap<>();
        if (size() <= ExactBoltzmann.MAX_UNITS) {
            ExactBoltzmann exact = exact();
            r.put("log_likelihood", exact.meanLogLikelihood(data.values()));
            r.put("data_mass", empirical.massUnder(exact));
        }
        if (options.samples() > 0) {
            float[] s = new GibbsSampler(this).sampleVisible(options.samples(),
                    TemperatureSchedule.constant(1.0, options.sampleSweeps()),
                    StreamId.BM_EVALUATION.openBlock(options.seed(), epoch));
            r.put("data_match_fraction", empirical.matchFraction(s));
            r.put("distinct_matches", (double) empirical.distinctMatches(s));
        }
        return r;
    }

    /**
     * Symmetric weights {@code w_ij = w_ji ~ N(0, stddev^2)} (zero diagonal) and zero biases, drawn on
     * the host from one draw of {@code rng} so every backend starts from the same machine.
     */
    public void initializeRandom(double stddev, RandomStream rng) {
        if (!(stddev >= 0) || !Double.isFinite(stddev)) {
            throw new IllegalArgumentException("initial weight stddev must be finite and >= 0 but is " + stddev);
        }
        int n = size();
        long draw = rng.nextDraw();
        float[] w = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                float x = (float) (stddev * Philox.normal(rng.seed(), rng.streamId(), draw, (long) i * n + j));
                w[i * n + j] = x;
                w[j * n + i] = x;
            }
        }
        couplings.setWeights(w);
        couplings.setBias(new float[n]);
    }

    // ---- sampling and exact evaluation --------------------------------------------------------

    /**
     * {@code count} samples of the visible units ({@code count x visible}), from independent chains
     * started uniformly at random and run through {@code schedule} (constant for sampling at that
     * temperature, decreasing for annealing), drawn from {@link StreamId#BM_SAMPLE} under {@code seed}.
     */
    public Dataset sample(int count, TemperatureSchedule schedule, long seed) {
        if (count < 1) {
            throw new IllegalArgumentException("sample count must be >= 1, found " + count);
        }
        Objects.requireNonNull(schedule, "schedule");
        // The chains' states and their visible copy.
        MemoryEstimate.require("samples", MemoryEstimate.floats(2, count, visible + (long) hidden), "the " + count
                + " samples");
        float[] v = new GibbsSampler(this).sampleVisible(count, schedule, StreamId.BM_SAMPLE.open(seed));
        return Dataset.of("samples of " + this, count, visible, v);
    }

    /** {@link #sample(int, TemperatureSchedule, long)} after {@value #DEFAULT_SAMPLE_SWEEPS} sweeps at T = 1. */
    public Dataset sample(int count, long seed) {
        return sample(count, TemperatureSchedule.constant(1.0, DEFAULT_SAMPLE_SWEEPS), seed);
    }

    /** An exact evaluator of the current parameters (host snapshot); needs {@code size() <= 24}. */
    public ExactBoltzmann exact() {
        if (size() > ExactBoltzmann.MAX_UNITS) {
            throw new IllegalArgumentException("exact evaluation enumerates 2^n states and stops at n = "
                    + ExactBoltzmann.MAX_UNITS + " but the machine has " + size() + " units (" + visible + " visible + "
                    + hidden + " hidden)");
        }
        return ExactBoltzmann.of(couplings, visible, units);
    }

    /** The exact {@code log Z} at T = 1, by enumeration (at most {@value ExactBoltzmann#MAX_UNITS} units). */
    public double logPartition() {
        return exact().logPartition();
    }

    /**
     * The exact mean log-likelihood {@code (1/D) sum_d log p(v_d)} in nats of the rows of {@code data}
     * (0/1 or -1/+1, see {@link UnitValues#encode}), by enumeration (at most {@value ExactBoltzmann#MAX_UNITS} units).
     */
    public double logLikelihood(Dataset data) {
        Dataset d = units.encode(data);
        if (d.cols() != visible) {
            throw new IllegalArgumentException(data + " rows have " + d.cols() + " values but the machine has " + visible
                    + " visible units");
        }
        return exact().meanLogLikelihood(d.values());
    }

    // ---- files --------------------------------------------------------------------------------

    @Override
    public ModelFile toModelFile() {
        return couplings.toModelFile(MODEL_KIND, provenance, "bm.visible", Integer.toString(visible), "bm.hidden",
                Integer.toString(hidden), "bm.units", units.toString());
    }

    @Override
    public Provenance provenance() {
        return provenance;
    }

    /** {@link #load(Path, Backend)} on the default backend. */
    public static BoltzmannMachine load(Path path) throws IOException {
        return load(path, Backends.get());
    }

    /**
     * Reads a machine saved by {@link #save} (a checkpoint is one too), or imports the CSV network file
     * of earlier versions of {@code ebm bm train --out} ({@link NetworkFile}; its provenance is then only
     * {@code imported_from} and the data source). A file holding another kind of model is refused,
     * naming the file and the kind.
     */
    public static BoltzmannMachine load(Path path, Backend backend) throws IOException {
        return NetworkFile.load(path, backend, MODEL_KIND, "a Boltzmann machine", BoltzmannMachine::importNetworkFile,
                BoltzmannMachine::fromModelFile);
    }

    private static BoltzmannMachine fromModelFile(ModelFile f, String source, Backend backend) throws IOException {
        int v = f.parse("bm.visible", Integer::parseInt, "Boltzmann machine", source);
        int h = f.parse("bm.hidden", Integer::parseInt, "Boltzmann machine", source);
        UnitValues u = f.parse("bm.units", UnitValues::parse, "Boltzmann machine", source);
        if (v < 1 || h < 0) {
            throw new ModelFormatException(source + ": a Boltzmann machine needs >= 1 visible and >= 0 hidden units, found "
                    + v + " and " + h);
        }
        BoltzmannMachine m = new BoltzmannMachine(backend, v, h, u);
        m.couplings.readInto(m, f, source);
        m.provenance = Provenance.fromMetadata(f.metadata());
        return m;
    }

    private static BoltzmannMachine importNetworkFile(Path path, Backend backend) throws IOException {
        NetworkFile f = NetworkFile.read(path);
        String kind = f.value(path, "kind");
        if (!kind.equals(MODEL_KIND)) {
            throw new InvalidDataFileException(path + ": holds a '" + kind + "' network, not a Boltzmann machine (kind="
                    + MODEL_KIND + ")");
        }
        int v = f.intValue(path, "visible");
        int h = f.intValue(path, "hidden");
        if (v < 1 || v + h != f.units()) {
            throw new InvalidDataFileException(path + ": visible=" + v + " and hidden=" + h + " do not add up to units="
                    + f.units());
        }
        UnitValues u;
        try {
            u = UnitValues.parse(f.value(path, "values"));
        } catch (IllegalArgumentException e) {
            throw new InvalidDataFileException(path + ": " + e.getMessage());
        }
        BoltzmannMachine m = new BoltzmannMachine(backend, v, h, u);
        try {
            f.applyTo(m.couplings);
        } catch (RuntimeException e) {
            m.close();
            throw new InvalidDataFileException(path + ": " + e.getMessage());
        }
        Map<String, String> p = new LinkedHashMap<>();
        p.put("imported_from", path.toString());
        p.put("model", MODEL_KIND);
        if (BarsAndStripes.NAME.equals(f.header().get("data"))) {
            int side = f.intValue(path, "side");
            p.put("data.source", BarsAndStripes.name(side));
        }
        m.provenance = new Provenance(p);
        return m;
    }

    // ---- shape and parts ----------------------------------------------------------------------

    public Backend backend() {
        return couplings.backend();
    }

    public int visible() {
        return visible;
    }

    public int hidden() {
        return hidden;
    }

    /** {@code visible + hidden}. */
    public int size() {
        return visible + hidden;
    }

    public UnitValues unitValues() {
        return units;
    }

    /** Weights and biases on the backend. */
    public Couplings couplings() {
        return couplings;
    }

    @Override
    public void close() {
        couplings.close();
    }

    @Override
    public String toString() {
        return "BoltzmannMachine[visible=" + visible + ", hidden=" + hidden + ", units=" + units + "]";
    }
}
