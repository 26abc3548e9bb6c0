package org.ebm4j.dbm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.HoldOut;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.ModelFormatException;
import org.ebm4j.io.Provenance;
import org.ebm4j.random.StreamId;
import org.ebm4j.rbm.AisOptions;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.CheckpointWriter;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.RunContext;
import org.ebm4j.train.TrainingListener;
import org.ebm4j.train.TrainingRun;
import org.ebm4j.train.TrainingSafety;
import org.ebm4j.train.TrainingState;

/**
 * One DBM training run, fresh or resumed, behind {@link Dbm#fit} and {@link Dbm#resume}: binarizes
 * the data once, pretrains one RBM per pair of layers (a two-layer {@link Dbm} trained by a
 * {@link DbmTrainer} with {@link LayerScales#pretraining} conditionals, seed {@code seed + layer}), each
 * on the upward probabilities of the ones below, composes them into the DBM and trains it jointly, each
 * loop through {@link TrainingRun} and so through the one checkpoint writer.
 *
 * <p>Composition: {@code W_l} is the weight matrix of RBM {@code l} (the doubling during pretraining
 * already gives it the DBM's scale); an intermediate layer's bias is the mean of the two RBMs' biases
 * for it (each RBM modelled the layer with the other neighbour's input replaced by its own, doubled).
 *
 * <p>A checkpoint is a DBM model file (the composed model as far as pretraining has got) with
 * metadata {@code checkpoint.phase} and {@code checkpoint.layer} and, while pretraining, the RBMs
 * trained so far as tensors {@code pretrain<l>.W}, {@code pretrain<l>.b0}, {@code pretrain<l>.b1}.
 *
 * <p>With {@code holdout} rows held out (the last rows of the data, {@link HoldOut}) joint training reports
 * {@link Dbm#HELDOUT_METRIC} and watches it for divergence and, with {@code patience}, early stopping, as
 * the RBM watches its held-out pseudo-likelihood; pretraining watches the parameters alone.
 */
final class DbmTraining implements AutoCloseable {
    private static final String PHASE = "checkpoint.phase";
    private static final String LAYER = "checkpoint.layer";

    private final RunContext run;
    private final Backend backend;
    private final DbmOptions options;
    private final int[] sizes;
    private final Tensor trainX;
    private final Dataset heldOut;
    private final float[] means;
    private final List<DbmParameters> rbms = new ArrayList<>();

    private DbmTraining(Backend backend, Dataset data, String sha256, DbmOptions options, Checkpointing checkpointing,
                        List<TrainingListener> listeners, Map<String, Long> draws) {
        this.run = RunContext.of(backend, data, sha256, checkpointing, listeners, draws);
        this.backend = backend;
        this.options = options;
        this.sizes = options.sizes(data.cols());
        HoldOut split = HoldOut.split(data, null, options.holdout());
        this.heldOut = split.heldOut();
        this.trainX = split.train().toTensor(backend);
        options.binarization().apply(trainX);
        this.means = Rbm.columnMeans(trainX);
    }

    /** A fresh run: see {@link Dbm#fit(Backend, Dataset, DbmOptions, Checkpointing, TrainingListener...)}. */
    static Dbm run(Backend backend, Dataset data, DbmOptions options, Checkpointing checkpointing,
                   List<TrainingListener> listeners) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(options, "options");
        options.requireMemory(data.cols());
        try (DbmTraining t = new DbmTraining(backend, data, data.sha256(), options, checkpointing, listeners,
                Map.of())) {
            return t.train(null);
        }
    }

    /** Continues the checkpoint at {@code path}: see {@link Dbm#resume}. */
    static Dbm resume(Path path, Dataset data, Backend backend, Checkpointing checkpointing,
                      List<TrainingListener> listeners) throws IOException {
        Objects.requireNonNull(data, "data");
        Resume r = Resume.read(path);
        Provenance p = Provenance.fromMetadata(r.model().metadata());
        DbmOptions options = DbmOptions.fromMap(p.options());
        String sha = p.requireSameData("data", "data.", data, path.toString());
        try (DbmTraining t = new DbmTraining(backend, data, sha, options, checkpointing, listeners,
                p.draws())) {
            return t.train(r);
        }
    }

    private Dbm train(Resume resume) {
        int depth = sizes.length - 1;
        int firstLayer = 1;
        TrainingState state = null;
        if (resume != null) {
            rbms.addAll(resume.rbms());
            state = resume.state();
            firstLayer = resume.phase() == DbmPhase.PRETRAIN ? resume.layer() : depth + 1;
        }
        if (options.pretrainEpochs() > 0) {
            for (int l = firstLayer; l <= depth; l++) {
                pretrain(l, resume != null && l == firstLayer ? state : null);
            }
        }
        DbmParameters start;
        if (resume != null && resume.phase() == DbmPhase.JOINT) {
            start = resume.model().parameters();
        } else if (options.pretrainEpochs() > 0) {
            start = compose();
        } else {
            start = randomStart();
        }
        Dbm dbm = Dbm.trained(backend, start, options.binarization(), means, provenance());
        try {
            joint(dbm, resume != null && resume.phase() == DbmPhase.JOINT ? state : null);
            dbm.provenance(provenance());
            return dbm;
        } catch (RuntimeException | Error e) {
            dbm.close();
            throw e;
        }
    }

    /** Pretrains RBM {@code layer} (between DBM layers {@code layer - 1} and {@code layer}). */
    private void pretrain(int layer, TrainingState state) {
        int depth = sizes.length - 1;
        announce(DbmPhase.PRETRAIN, layer);
        LayerScales scales = LayerScales.pretraining(layer, depth);
        DbmTrainer.Stage stage = new DbmTrainer.Stage(DbmTrainer.PRETRAIN, options.pretrainEpochs(),
                e -> options.pretrainLearningRate(), scales, StreamId.DBM_PRETRAIN_SAMPLING,
                StreamId.DBM_PRETRAIN_SHUFFLE, StreamId.DBM_PRETRAIN_CHAIN_INIT, options.seed() + layer);
        boolean resumed = state != null;
        try (Tensor input = layerInput(layer);
             Dbm rbm = Dbm.of(backend, resumed ? rbms.get(layer - 1) : rbmStart(layer, input));
             DbmTrainer trainer = new DbmTrainer(rbm, options, stage, input)) {
            if (resumed) {
                rbms.remove(layer - 1);
            }
            runSafely(trainer, state, () -> checkpoint(DbmPhase.PRETRAIN, layer, rbm.parameters(), null, null),
                    f -> rbm.setParameters(pretrainedRbm(f, layer, sizes, "training snapshot")), "pretrain_lr",
                    TrainingRun.Metrics.none(), safety(null, 0));
            rbms.add(rbm.parameters());
            trainer.drawPositions().forEach((k, v) -> run.draws().put("layer" + layer + "." + k, v));
        }
    }

    /**
     * The data RBM {@code layer} trains on: the binarized data passed up through the RBMs below as
     * probabilities {@code sigmoid(up * x W + b)}, with the doubled inputs they were trained with.
     */
    private Tensor layerInput(int layer) {
        int depth = sizes.length - 1;
        Tensor cur = backend.allocate(trainX.rows(), sizes[0]);
        backend.copy(trainX, cur);
        for (int l = 1; l < layer; l++) {
            DbmParameters p = rbms.get(l - 1);
            Tensor next = backend.allocate(trainX.rows(), sizes[l]);
            try (Tensor w = backend.fromArray(p.weights().get(0), sizes[l - 1], sizes[l]);
                 Tensor b = backend.fromArray(p.biases().get(1), 1, sizes[l])) {
                backend.gemm(false, false, LayerScales.pretraining(l, depth).up()[1], cur, w, 0f, next);
                backend.sigmoid(next, b, next);
            } finally {
                cur.close();
            }
            cur = next;
        }
        return cur;
    }

    /** A fresh RBM for {@code layer}: weights {@code N(0, init_std^2)}, lower biases the input's log-odds, upper 0. */
    private DbmParameters rbmStart(int layer, Tensor input) {
        float[] w;
        try (Tensor t = backend.allocate(sizes[layer - 1], sizes[layer])) {
            backend.sampler().fillNormal(t, 0f, (float) options.initWeightStd(),
                    StreamId.DBM_INIT.open(options.seed(), layer - 1));
            w = t.toArray();
        }
        float[] m = Rbm.columnMeans(input);
        float[] b0 = new float[m.length];
        for (int i = 0; i < m.length; i++) {
            b0[i] = Rbm.logOdds(m[i]);
        }
        return new DbmParameters(new int[] {sizes[layer - 1], sizes[layer]}, List.of(w),
                List.of(b0, new float[sizes[layer]]));
    }

    /** Without pretraining: every weight {@code N(0, init_std^2)}, visible biases the data's log-odds, others 0. */
    private DbmParameters randomStart() {
        DbmParameters p = DbmParameters.zeros(sizes);
        for (int l = 1; l < sizes.length; l++) {
            try (Tensor t = backend.allocate(sizes[l - 1], sizes[l])) {
                backend.sampler().fillNormal(t, 0f, (float) options.initWeightStd(),
                        StreamId.DBM_INIT.open(options.seed(), l - 1));
                t.copyTo(p.weights().get(l - 1));
            }
        }
        for (int i = 0; i < sizes[0]; i++) {
            p.biases().get(0)[i] = Rbm.logOdds(means[i]);
        }
        return p;
    }

    /** The DBM of the RBMs pretrained so far (layers not yet pretrained are zero); see the class comment. */
    private DbmParameters compose() {
        DbmParameters p = DbmParameters.zeros(sizes);
        int depth = sizes.length - 1;
        for (int l = 1; l <= rbms.size(); l++) {
            DbmParameters r = rbms.get(l - 1);
            System.arraycopy(r.weights().get(0), 0, p.weights().get(l - 1), 0, r.weights().get(0).length);
            float[] lower = p.biases().get(l - 1);
            float[] upper = p.biases().get(l);
            float lowerShare = l == 1 ? 1f : 0.5f;
            float upperShare = l == depth ? 1f : 0.5f;
            for (int i = 0; i < lower.length; i++) {
                lower[i] += lowerShare * r.biases().get(0)[i];
            }
            for (int j = 0; j < upper.length; j++) {
                upper[j] += upperShare * r.biases().get(1)[j];
            }
        }
        return p;
    }

    private void joint(Dbm dbm, TrainingState state) {
        announce(DbmPhase.JOINT, 0);
        DbmTrainer.Stage stage = new DbmTrainer.Stage(DbmTrainer.JOINT, options.epochs(), options::learningRate,
                LayerScales.uniform(sizes.length), StreamId.DBM_SAMPLING, StreamId.DBM_SHUFFLE, StreamId.DBM_CHAIN_INIT,
                options.seed());
        try (DbmTrainer trainer = new DbmTrainer(dbm, options, stage, trainX)) {
            TrainingRun.Metrics metrics = TrainingRun.Metrics.every(options.metricsEvery(), () -> {
                Map<String, Double> m = new LinkedHashMap<>();
                m.put("mf_sweeps", trainer.lastEpochMeanFieldSweeps());
                m.putAll(trainer.swapRates());
                if (heldOut != null) {
                    m.put(Dbm.HELDOUT_METRIC, heldOutLogLikelihood(dbm, heldOut, options));
                }
                return m;
            });
            // The offsets of the snapshot put back last, until a later epoch's snapshot is taken: after a watched
            // run they are those of the parameters the model ends with (the best epoch's after an early stop), not
            // the trainer's, which stay at the last epoch trained. An unwatched run puts no snapshot back after
            // its first-update check, so its offsets are the trainer's.
            TrainingSafety safety = safety(heldOut == null ? null : Dbm.HELDOUT_METRIC, options.patience());
            AtomicReference<Optional<List<float[]>>> restored = new AtomicReference<>();
            runSafely(trainer, state, () -> {
                restored.set(null);
                trainer.drawPositions().forEach(run.draws()::put);
                return checkpoint(DbmPhase.JOINT, 0, null, dbm.parameters(), trainer.centeringOffsets());
            }, f -> {
                DbmModelFile snapshot = DbmModelFile.from(f, "training snapshot");
                dbm.setParameters(snapshot.parameters());
                restored.set(Optional.ofNullable(snapshot.centering()));
            }, "lr", metrics, safety);
            trainer.drawPositions().forEach(run.draws()::put);
            boolean watched = !safety.equals(TrainingSafety.none());
            dbm.centering(!watched || restored.get() == null ? trainer.centeringOffsets() : restored.get().orElse(null));
        }
    }

    /**
     * The held-out rows' mean log-likelihood under {@code dbm}: exact by enumeration where the even layers are
     * few enough ({@link DbmExact#feasible}), else the variational lower bound with {@code log Z} estimated by
     * AIS ({@link #HELDOUT_AIS_RUNS} runs, {@link #HELDOUT_AIS_BETAS} temperatures). The AIS draws are the same
     * at every evaluation (seed {@code options.seed()}), so two epochs' estimates differ by the model's change
     * rather than by fresh sampling noise.
     */
    static double heldOutLogLikelihood(Dbm dbm, Dataset heldOut, DbmOptions options) {
        if (DbmExact.feasible(dbm.parameters())) {
            return dbm.exactLogLikelihood(heldOut);
        }
        AisOptions ais = new AisOptions(HELDOUT_AIS_RUNS, HELDOUT_AIS_BETAS, options.seed());
        return dbm.variationalBound(heldOut, dbm.estimateLogPartition(ais).logZ(), options.meanField());
    }

    /**
     * AIS runs and temperatures of the held-out estimate of a DBM too large to enumerate: a tenth of
     * Salakhutdinov and Murray's 14,500 temperatures, as the estimate is taken at every metrics epoch.
     */
    static final int HELDOUT_AIS_RUNS = 100;
    static final int HELDOUT_AIS_BETAS = 1_000;

    /**
     * What a stage watches: {@code metric} (higher is better; null for the parameters alone) and
     * {@code max_rollbacks}. Without a metric and rollbacks it is {@link TrainingSafety#none()}: no checks at all.
     */
    private TrainingSafety safety(String metric, int patience) {
        return new TrainingSafety(metric, metric != null, patience, options.maxRollbacks(),
                TrainingSafety.DEFAULT_EXPLOSION);
    }

    private void announce(DbmPhase phase, int layer) {
        run.tell(DbmTrainingListener.class, d -> d.onPhase(phase, layer));
    }

    /**
     * The checkpoint's model file: the joint model, or while pretraining the composition so far with the
     * RBMs (the one in progress, {@code current}, last) as extra tensors; {@code offsets} are the joint
     * model's centering offsets (null without centering).
     */
    private ModelFile checkpoint(DbmPhase phase, int layer, DbmParameters current, DbmParameters joint,
                                 List<float[]> offsets) {
        DbmParameters model = joint;
        List<DbmParameters> stack = new ArrayList<>(rbms);
        if (phase == DbmPhase.PRETRAIN) {
            stack.add(current);
            rbms.add(current);
            try {
                model = compose();
            } finally {
                rbms.remove(rbms.size() - 1);
            }
        }
        ModelFile f = new DbmModelFile(model, options.binarization(), means, provenance().toMetadata(), offsets)
                .toModelFile();
        f.putMetadata(PHASE, phase.id());
        f.putMetadata(LAYER, Integer.toString(layer));
        if (phase == DbmPhase.PRETRAIN) {
            for (int l = 1; l <= stack.size(); l++) {
                DbmParameters r = stack.get(l - 1);
                f.putTensor("pretrain" + l + ".W", sizes[l - 1], sizes[l], r.weights().get(0));
                f.putTensor("pretrain" + l + ".b0", 1, sizes[l - 1], r.biases().get(0));
                f.putTensor("pretrain" + l + ".b1", 1, sizes[l], r.biases().get(1));
            }
        }
        return f;
    }

    /** The RBM of pretraining layer {@code l} that {@link #checkpoint} stored in {@code f}. */
    private static DbmParameters pretrainedRbm(ModelFile f, int l, int[] sizes, String source)
            throws ModelFormatException {
        return new DbmParameters(new int[] {sizes[l - 1], sizes[l]},
                List.of(f.tensor("pretrain" + l + ".W", sizes[l - 1], sizes[l], source).data()),
                List.of(f.tensor("pretrain" + l + ".b0", 1, sizes[l - 1], source).data(),
                        f.tensor("pretrain" + l + ".b1", 1, sizes[l], source).data()));
    }

    /**
     * Puts a snapshot this run took of its own model back (a rollback, or the best epoch after an early stop):
     * {@code restore} reads it. Divergence and early stopping are watched as {@code safety} says; a fresh stage
     * first refuses a rate whose first update explodes, naming {@code rateKey}.
     */
    private void runSafely(DbmTrainer trainer, TrainingState state, Supplier<ModelFile> file, SnapshotReader restore,
                           String rateKey, TrainingRun.Metrics metrics, TrainingSafety safety) {
        Consumer<ModelFile> put = f -> {
            try {
                restore.accept(f);
            } catch (ModelFormatException e) {
                throw new IllegalStateException("cannot read back the run's own snapshot: " + e.getMessage(), e);
            }
        };
        if (state == null) {
            TrainingRun.requireStableFirstUpdate(trainer, file, put, rateKey);
        }
        TrainingRun.run(trainer, state, file, put, run.checkpointing(), trainX.rows(), metrics, safety,
                run.listeners());
    }

    /** Reads a snapshot of the run's own model back into the model. */
    @FunctionalInterface
    private interface SnapshotReader {
        void accept(ModelFile f) throws ModelFormatException;
    }

    private Provenance provenance() {
        return run.provenance(DbmModelFile.MODEL_KIND, options.toMap(), options.seed());
    }

    @Override
    public void close() {
        trainX.close();
    }

    /**
     * A checkpoint read back: the model, the phase and layer in progress, the RBMs pretrained so far
     * (the one in progress last) and the trainer's state.
     */
    private record Resume(DbmModelFile model, DbmPhase phase, int layer, List<DbmParameters> rbms,
                          TrainingState state) {
        static Resume read(Path path) throws IOException {
            String source = path.toString();
            CheckpointWriter.Checkpoint c = CheckpointWriter.read(path);
            DbmModelFile model = DbmModelFile.from(c.model(), source);
            int[] sizes = model.parameters().sizes();
            DbmPhase phase;
            int layer;
            try {
                phase = DbmPhase.parse(c.model().require(PHASE, source));
                layer = Integer.parseInt(c.model().require(LAYER, source));
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(source + ": malformed DBM checkpoint metadata: " + e.getMessage());
            }
            c.requireTrainer(source, phase.id(), phase == DbmPhase.PRETRAIN ? DbmTrainer.PRETRAIN : DbmTrainer.JOINT);
            List<DbmParameters> rbms = new ArrayList<>();
            if (phase == DbmPhase.PRETRAIN) {
                if (layer < 1 || layer >= sizes.length) {
                    throw new ModelFormatException(source + ": checkpoint layer " + layer + " outside 1.."
                            + (sizes.length - 1));
                }
                for (int l = 1; l <= layer; l++) {
                    rbms.add(pretrainedRbm(c.model(), l, sizes, source));
                }
            }
            return new Resume(model, phase, layer, rbms, c.state());
        }
    }
}
