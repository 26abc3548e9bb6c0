package org.ebm4j.dbn;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.Standardization;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.ModelFormatException;
import org.ebm4j.io.Provenance;
import org.ebm4j.random.StreamId;
import org.ebm4j.rbm.LearningRateSchedule;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.RbmOptions;
import org.ebm4j.rbm.RbmTrainer;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.RunContext;
import org.ebm4j.train.TrainingListener;
import org.ebm4j.train.SettingException;
import org.ebm4j.train.TrainingRun;
import org.ebm4j.train.TrainingSafety;
import org.ebm4j.train.TrainingState;

/**
 * One DBN training run, fresh or resumed, behind {@link Dbn#fit} and {@link Dbn#resume}: the
 * preprocessing, greedy pretraining (an {@link RbmTrainer} per layer, seed {@code seed + layer}),
 * the initialization of the classifier (the pretrained stack with a new output layer from
 * {@link StreamId#DBN_FINETUNE_INIT}, or Glorot's for {@code random_init}) and fine-tuning with a
 * {@link FineTuner}, each loop through {@link TrainingRun} and so through the one checkpoint
 * writer. It owns the uploaded data; the stack and the classifier go to the returned model.
 */
final class DbnTraining implements AutoCloseable {
    /** Options a resumed run may change: they decide how long it trains and what it reports, not how. */
    private static final Set<String> RESUMABLE_CHANGES = Set.of("pretrain_epochs", "finetune_epochs", "metrics_every",
            "patience", "max_rollbacks");

    /** The held-out classification error that fine-tuning reports and watches. */
    static final String HELDOUT_ERROR = "heldout_error";

    private final RunContext run;
    private final Backend backend;
    private final Dataset data;
    private final DbnOptions options;
    private final Standardization standardization;
    private final Tensor trainX;
    private final Tensor trainT;
    private final Tensor heldX;
    private final int[] heldLabels;
    private Dbn stack;
    private float[] means;
    private Classifier net;
    private int pretrained;

    private DbnTraining(Backend backend, Dataset data, String sha256, Dataset heldOut, DbnOptions options,
                        Checkpointing checkpointing, List<TrainingListener> listeners, Map<String, Long> draws) {
        this.run = RunContext.of(backend, data, sha256, checkpointing, listeners, draws);
        this.backend = backend;
        this.data = data;
        this.options = options;
        this.standardization = options.standardize() ? Standardization.fit(data) : null;
        Tensor x = null;
        Tensor t = null;
        Tensor h = null;
        try {
            x = prepared(data).toTensor(backend);
            if (options.fineTunes()) {
                t = backend.fromArray(ClassificationResult.oneHot(data.labels(), options.classes()), data.rows(),
                        options.classes());
            }
            h = heldOut == null ? null : prepared(heldOut).toTensor(backend);
        } catch (RuntimeException e) {
            Tensor.closeAll(x, t, h);
            throw e;
        }
        this.trainX = x;
        this.trainT = t;
        this.heldX = h;
        this.heldLabels = heldOut == null ? null : heldOut.labels();
    }

    private Dataset prepared(Dataset d) {
        return standardization == null ? d : standardization.apply(d);
    }

    /** A fresh run: see {@link Dbn#fit(Backend, Dataset, Dataset, DbnOptions, Checkpointing, TrainingListener...)}. */
    static Dbn run(Backend backend, Dataset data, Dataset heldOut, DbnOptions options, Checkpointing checkpointing,
                   List<TrainingListener> listeners) {
        Objects.requireNonNull(options, "options");
        checkData(data, heldOut, options);
        options.requireMemory(data.cols());
        return train(backend, data, data.sha256(), heldOut, options, checkpointing, listeners, Map.of(), null);
    }

    /** Continues {@code c}: see {@link Dbn#resume(java.nio.file.Path, Dataset, Dataset, DbnOptions, Backend, Checkpointing, TrainingListener...)}. */
    static Dbn resume(DbnCheckpoint c, String source, Backend backend, Dataset data, Dataset heldOut,
                      DbnOptions options, Checkpointing checkpointing, List<TrainingListener> listeners) {
        Provenance p = Provenance.fromMetadata(c.model().metadata());
        if (p.options().isEmpty()) {
            throw new IllegalArgumentException(source + " records no DBN options (it was written before checkpoints "
                    + "carried provenance); it cannot be resumed");
        }
        DbnOptions saved = DbnOptions.fromMap(p.options());
        DbnOptions effective = options == null ? saved : compatible(saved, options, c, source);
        checkData(data, heldOut, effective);
        String sha = p.requireSameData("data", "data.", data, source);
        return train(backend, data, sha, heldOut, effective, checkpointing, listeners, p.draws(), c);
    }

    private static Dbn train(Backend backend, Dataset data, String sha, Dataset heldOut, DbnOptions options,
                             Checkpointing checkpointing, List<TrainingListener> listeners, Map<String, Long> draws,
                             DbnCheckpoint resume) {
        try (DbnTraining t = new DbnTraining(backend, data, sha, heldOut, options, checkpointing, listeners, draws)) {
            return t.train(resume);
        }
    }

    /** {@code options} when they differ from {@code saved} only where a resumed run may; an error naming the difference otherwise. */
    private static DbnOptions compatible(DbnOptions saved, DbnOptions options, DbnCheckpoint c, String source) {
        Map<String, String> a = saved.toMap();
        Map<String, String> b = options.toMap();
        for (Map.Entry<String, String> e : a.entrySet()) {
            if (!RESUMABLE_CHANGES.contains(e.getKey()) && !e.getValue().equals(b.get(e.getKey()))) {
                throw new IllegalArgumentException("option " + e.getKey() + " is " + e.getValue() + " in " + source
                        + " but " + b.get(e.getKey()) + " here; a resumed run keeps every option but the epochs and "
                        + "metrics_every");
            }
        }
        // A schedule other than constant spreads its decay over the planned epochs: with more or fewer
        // of them every remaining epoch would get another rate than the uninterrupted run.
        if (!saved.pretrainSchedule().equals(LearningRateSchedule.constant())
                && !saved.pretrainEpochs().equals(options.pretrainEpochs())) {
            throw new IllegalArgumentException("option pretrain_epochs is " + a.get("pretrain_epochs") + " in " + source
                    + " but " + b.get("pretrain_epochs") + " here; with pretrain_lr_schedule "
                    + a.get("pretrain_lr_schedule") + " a resumed run keeps the epochs");
        }
        if (!saved.finetuneSchedule().equals(LearningRateSchedule.constant())
                && saved.finetuneEpochs() != options.finetuneEpochs()) {
            throw new IllegalArgumentException("option finetune_epochs is " + saved.finetuneEpochs() + " in " + source
                    + " but " + options.finetuneEpochs() + " here; with finetune_lr_schedule "
                    + a.get("finetune_lr_schedule") + " a resumed run keeps the epochs");
        }
        int inProgress = c.phase() == DbnPhase.PRETRAIN ? c.layer() : saved.depth();
        for (int i = 0; i < inProgress; i++) {
            if (!saved.pretrainEpochs().get(i).equals(options.pretrainEpochs().get(i))) {
                throw new IllegalArgumentException("pretrain_epochs of layer " + i + " is " + saved.pretrainEpochs().get(i)
                        + " in " + source + " but " + options.pretrainEpochs().get(i) + " here; that layer is already "
                        + "pretrained");
            }
        }
        int done = Math.max(1, c.state().epochsDone());
        if (c.phase() == DbnPhase.PRETRAIN && options.pretrainEpochs().get(c.layer()) < done) {
            throw new IllegalArgumentException(source + " is at epoch " + c.state().epochsDone() + " of layer "
                    + c.layer() + "'s pretraining; pretrain_epochs of that layer must be >= " + done + ", found "
                    + options.pretrainEpochs().get(c.layer()));
        }
        if (c.phase() == DbnPhase.FINETUNE && options.finetuneEpochs() < done) {
            throw new IllegalArgumentException(source + " is at fine-tuning epoch " + c.state().epochsDone()
                    + "; finetune_epochs must be >= " + done + ", found " + options.finetuneEpochs());
        }
        return options;
    }

    private static void checkData(Dataset data, Dataset heldOut, DbnOptions options) {
        Objects.requireNonNull(data, "data");
        if (options.fineTunes() && data.labels() == null) {
            throw new IllegalArgumentException(data.name() + " has no labels; fine-tuning needs them (or set "
                    + "finetune_epochs 0 to pretrain only)");
        }
        if (heldOut != null) {
            if (heldOut.labels() == null) {
                throw new IllegalArgumentException("held-out data " + heldOut.name() + " has no labels; the held-out "
                        + "error needs them");
            }
            if (heldOut.cols() != data.cols()) {
                throw new IllegalArgumentException("held-out data " + heldOut.name() + " has " + heldOut.cols()
                        + " columns but the training data " + data.name() + " has " + data.cols());
            }
        }
        // Checked here, before pretraining, not by the classifier after it: a bad label must fail
        // the run before it has spent its time or replaced a checkpoint.
        if (options.fineTunes()) {
            requireLabelsBelow(data, options.classes());
            if (heldOut != null) {
                requireLabelsBelow(heldOut, options.classes());
            }
        }
    }

    private static void requireLabelsBelow(Dataset d, int classes) {
        int[] labels = d.labels();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(d.name() + ": label " + labels[i] + " of row " + i + " is outside "
                        + "[0, " + classes + "), the classes of the classifier");
            }
        }
    }

    private Dbn train(DbnCheckpoint resume) {
        int[] sizes = options.sizes(data.cols());
        if (resume != null && !Arrays.equals(resume.model().sizes(), sizes)) {
            throw new IllegalArgumentException("the checkpoint's layers are " + Arrays.toString(resume.model().sizes())
                    + " but the options and data ask for " + Arrays.toString(sizes));
        }
        stack = resume == null ? Dbn.zeros(backend, options.visibleType(), sizes)
                : Dbn.of(backend, resume.model().stack());
        try {
            means = Rbm.columnMeans(trainX);
            boolean fineTuning = resume != null && resume.phase() == DbnPhase.FINETUNE;
            int first = 0;
            if (resume != null) {
                pretrained = fineTuning ? resume.model().pretrainedLayers() : resume.layer();
                first = fineTuning ? options.depth() : resume.layer();
            }
            for (int layer = first; layer < options.depth(); layer++) {
                boolean resumed = resume != null && layer == first;
                if (resumed || options.pretrains(layer)) {
                    pretrain(layer, resumed ? resume.state() : null);
                    pretrained = layer + 1;
                }
            }
            if (options.fineTunes()) {
                fineTune(fineTuning ? resume : null);
            }
            return stack.trained(net, pretrained, means, standardization, provenance());
        } catch (RuntimeException | Error e) {
            stack.close();
            if (net != null) {
                net.close();
            }
            throw e;
        }
    }

    private void pretrain(int layer, TrainingState state) {
        RbmOptions cfg = options.layerOptions(layer);
        announce(DbnPhase.PRETRAIN, layer);
        Rbm rbm = stack.layer(layer);
        try (Tensor input = LayerInputs.forLayer(stack, trainX, layer, options.sampleInputs(), options.seed());
             RbmTrainer trainer = new RbmTrainer(rbm, cfg, input)) {
            Supplier<ModelFile> file = () -> checkpoint(DbnPhase.PRETRAIN, layer);
            Consumer<ModelFile> restore = f -> rbm.setParameters(snapshot(f).stack().get(layer));
            if (state == null) {
                RbmTrainer.initialize(rbm, cfg, input);
                TrainingRun.requireStableFirstUpdate(trainer, file, restore, "pretrain_lr");
            }
            // No held-out metric: only the layer's tensors are watched.
            TrainingRun.run(trainer, state, file, restore, run.checkpointing(), data.rows(), TrainingRun.Metrics.none(),
                    new TrainingSafety(null, false, 0, options.maxRollbacks(), TrainingSafety.DEFAULT_EXPLOSION),
                    run.listeners());
            TrainingState end = trainer.state();
            run.draws().put("layer" + layer + ".sampling", end.counter("sampling_draw"));
            run.draws().put("layer" + layer + ".shuffle", end.counter("shuffle_draw"));
        }
    }

    private void fineTune(DbnCheckpoint resume) {
        announce(DbnPhase.FINETUNE, -1);
        if (resume != null) {
            net = new Classifier(backend, resume.model().netSizes());
            net.load(resume.model().netWeights(), resume.model().netBiases());
        } else if (options.randomInit()) {
            int[] s = options.sizes(data.cols());
            int[] netSizes = Arrays.copyOf(s, s.length + 1);
            netSizes[s.length] = options.classes();
            net = new Classifier(backend, netSizes);
            net.initializeGlorot(StreamId.DBN_FINETUNE_INIT.open(options.seed()));
        } else {
            net = Classifier.fromDbn(stack, options.classes(), (float) options.initWeightStd(),
                    StreamId.DBN_FINETUNE_INIT.open(options.seed()));
        }
        try (FineTuner tuner = new FineTuner(net, options, trainX, trainT)) {
            TrainingRun.Metrics heldOut = heldX == null ? TrainingRun.Metrics.none()
                    : TrainingRun.Metrics.every(options.metricsEvery(), () -> Map.of(HELDOUT_ERROR,
                    ClassificationResult.evaluate(net, heldX, heldLabels, Dbn.CLASSIFY_BATCH).errorRate()));
            TrainingRun.Metrics metrics = (epoch, epochs) -> {
                Map<String, Double> m = new LinkedHashMap<>();
                m.put("train_loss", tuner.lastEpochLoss());
                m.putAll(heldOut.evaluate(epoch, epochs));
                return m;
            };
            Supplier<ModelFile> file = () -> checkpoint(DbnPhase.FINETUNE, -1);
            Consumer<ModelFile> restore = f -> {
                DbnModelFile m = snapshot(f);
                net.load(m.netWeights(), m.netBiases());
            };
            if (resume == null) {
                TrainingRun.requireStableFirstUpdate(tuner, file, restore, "finetune_lr");
            }
            TrainingRun.run(tuner, resume == null ? null : resume.state(), file, restore, run.checkpointing(),
                    data.rows(), metrics, fineTuneSafety(), run.listeners());
            run.draws().put("finetune.shuffle", tuner.shuffleDraw());
        }
    }

    /**
     * What fine-tuning watches: the held-out error ({@value #HELDOUT_ERROR}, lower is better) where there
     * are held-out rows, else the training loss, which only a divergence check can use; early stopping
     * needs the held-out error.
     */
    private TrainingSafety fineTuneSafety() {
        if (options.patience() > 0 && heldX == null) {
            throw new SettingException("patience", "early stopping of fine-tuning watches the held-out error, which "
                    + "needs held-out rows; give held-out data or use patience 0");
        }
        return new TrainingSafety(heldX != null ? HELDOUT_ERROR : "train_loss", false, options.patience(),
                options.maxRollbacks(), TrainingSafety.DEFAULT_EXPLOSION);
    }

    /** A snapshot this run took of its own model (for a rollback or the best epoch), read back. */
    private static DbnModelFile snapshot(ModelFile f) {
        try {
            return DbnModelFile.from(f, "training snapshot");
        } catch (ModelFormatException e) {
            throw new IllegalStateException("cannot read back the run's own snapshot: " + e.getMessage(), e);
        }
    }

    private void announce(DbnPhase phase, int layer) {
        run.tell(DbnTrainingListener.class, d -> d.onPhase(phase, layer));
    }

    /** The model as it stands, marked with the phase and layer in progress. */
    private ModelFile checkpoint(DbnPhase phase, int layer) {
        Dbn now = stack.trained(phase == DbnPhase.FINETUNE ? net : null, phase == DbnPhase.PRETRAIN ? layer : pretrained,
                means, standardization, provenance());
        return DbnCheckpoint.mark(now.toModelFile(), phase, layer);
    }

    private Provenance provenance() {
        return run.provenance(DbnModelFile.MODEL_KIND, options.toMap(), options.seed());
    }

    @Override
    public void close() {
        Tensor.closeAll(trainX, trainT, heldX);
    }
}
