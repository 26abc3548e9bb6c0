package org.ebm4j.cli.rbm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ebm4j.cli.CommonOptions;
import org.ebm4j.cli.FlagChecks;
import org.ebm4j.cli.JsonOrText;
import org.ebm4j.cli.ResumeCheckpoint;
import org.ebm4j.cli.ProgressBarListener;
import org.ebm4j.cli.StderrTerminal;
import org.ebm4j.data.Binarization;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.Mnist;
import org.ebm4j.data.Standardization;
import org.ebm4j.io.RbmModelFile;
import org.ebm4j.rbm.LearningRateSchedule;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.RbmTrainer;
import org.ebm4j.rbm.RbmOptions;
import org.ebm4j.rbm.TrainingMethod;
import org.ebm4j.rbm.VisibleType;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.io.ModelFile;
import org.ebm4j.train.CheckpointWriter;
import org.ebm4j.train.TrainingState;
import org.ebm4j.train.EpochReport;
import org.ebm4j.train.RbmEpochMetrics;
import org.ebm4j.train.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ebm rbm train}: trains an RBM and writes the model, its {@code .npz} and safetensors
 * exports, a filter picture and a sample picture into {@code --out}, checkpointing as it goes.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a restricted Boltzmann machine (CD-k or persistent CD-k).",
            "With no flags: a 784x256 binary RBM, PCD-1, on the embedded 10,000 MNIST images (1,000 held out)."})
public final class RbmTrainCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RbmTrainCommand.class);
    /** Training rows the per-epoch metrics look at. */
    static final int MONITOR_ROWS = 1000;

    @Mixin
    DataOptions data;

    @Option(names = "--hidden", paramLabel = "N", defaultValue = "256", description = "Hidden units (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--visible", paramLabel = "bernoulli|gaussian", defaultValue = "bernoulli",
            description = "Visible unit type (default: ${DEFAULT-VALUE}); gaussian standardizes the data per column.")
    String visible;

    @Option(names = "--method", paramLabel = "cd|pcd", defaultValue = "pcd",
            description = "Contrastive divergence or persistent CD (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--k", paramLabel = "K", defaultValue = "1", description = "Gibbs steps per update (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--chains", paramLabel = "N", defaultValue = "100",
            description = "Persistent chains for PCD, independent of --batch (default: ${DEFAULT-VALUE}).")
    int chains;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "0.05", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--lr-schedule", paramLabel = "constant|linear:F|exp:G", defaultValue = "linear:0.05",
            description = "Learning rate per epoch: constant, linear decay to F*lr at the last epoch, or lr*G^epoch "
                    + "(default: ${DEFAULT-VALUE}).")
    String lrSchedule;

    @Option(names = "--momentum", paramLabel = "M", defaultValue = "0.5", description = "Momentum in [0, 1) (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--weight-decay", paramLabel = "L2", defaultValue = "0", description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--sparsity", paramLabel = "TARGET",
            description = "Target mean hidden activation in (0, 1); adds a sparsity penalty's gradient (default: none).")
    Double sparsity;

    @Option(names = "--sparsity-cost", paramLabel = "C", defaultValue = "0.1",
            description = "Weight of the sparsity penalty, in [0, 1) (default: ${DEFAULT-VALUE}).")
    double sparsityCost;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "100", description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "20", description = "Passes over the data (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of every random stream (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--init-std", paramLabel = "SD", defaultValue = "0.01",
            description = "Standard deviation of the initial weights (default: ${DEFAULT-VALUE}).")
    double initStd;

    @Option(names = "--binarize", paramLabel = "none|fixed[:T]|stochastic[:SEED]",
            description = "How pixels become binary (default: fixed:0.5 for bernoulli visibles, none for gaussian).")
    String binarize;

    @Option(names = "--holdout", paramLabel = "N", defaultValue = "1000",
            description = "Held-out rows for the per-epoch metrics: the first N test images when --data has them, else "
                    + "the last N training rows, which are then not trained on; 0 for none (default: ${DEFAULT-VALUE}).")
    int holdout;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "rbm-run",
            description = "Output directory for model.ebm, model.npz, model.safetensors, filters.png, samples.png, "
                    + "checkpoint.ebm (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--resume", description = "Continue from DIR/checkpoint.ebm with its configuration.")
    boolean resume;

    @Option(names = "--checkpoint-every", paramLabel = "E", defaultValue = "1",
            description = "Write DIR/checkpoint.ebm every E epochs (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--metrics-every", paramLabel = "E", defaultValue = "1",
            description = "Evaluate the per-epoch metrics every E epochs (default: ${DEFAULT-VALUE}).")
    int metricsEvery;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "64", description = "Samples in samples.png (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--sample-steps", paramLabel = "S", defaultValue = "1000",
            description = "Gibbs steps per sample for samples.png (default: ${DEFAULT-VALUE}).")
    int sampleSteps;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    private JsonOrText output;

    /** Maps training flags to their metadata keys, for checking a resumed run. */
    private static final Map<String, String> FLAG_KEYS = Map.ofEntries(
            Map.entry("--method", "train.method"), Map.entry("--k", "train.k"), Map.entry("--chains", "train.chains"),
            Map.entry("--lr", "train.lr"), Map.entry("--lr-schedule", "train.lr_schedule"),
            Map.entry("--momentum", "train.momentum"), Map.entry("--weight-decay", "train.weight_decay"),
            Map.entry("--sparsity", "train.sparsity_target"), Map.entry("--sparsity-cost", "train.sparsity_cost"),
            Map.entry("--batch", "train.batch"), Map.entry("--epochs", "train.epochs"), Map.entry("--seed", "train.seed"),
            Map.entry("--init-std", "train.init_weight_std"), Map.entry("--hidden", "rbm.hidden"),
            Map.entry("--visible", "rbm.visible_type"), Map.entry("--binarize", "data.binarize"),
            Map.entry("--holdout", "data.holdout"), Map.entry("--data", "data.source"), Map.entry("--csv", "data.source"),
            Map.entry("--limit", "data.limit"));

    @Override
    public Integer call() throws IOException {
        output = new JsonOrText(spec, common);
        data.validate(spec);
        Path checkpointPath = ResumeCheckpoint.in(out);
        Resumed resumed = null;
        if (resume) {
            Path existing = ResumeCheckpoint.existing(spec, checkpointPath);
            CheckpointWriter.Checkpoint ck = CheckpointWriter.read(existing);
            resumed = new Resumed(RbmModelFile.from(ck.model(), existing.toString()), ck.state());
            adoptSavedDefaults(resumed.model().metadata());
        }
        VisibleType type = FlagChecks.parse(spec, "--visible", () -> VisibleType.parse(visible));
        RbmOptions cfg = FlagChecks.parse(spec, "training flags", () -> RbmOptions.builder()
                .method(FlagChecks.parse(spec, "--method", () -> TrainingMethod.parse(method)))
                .k(FlagChecks.positive(spec, "--k", k))
                .chains(FlagChecks.positive(spec, "--chains", chains))
                .learningRate(FlagChecks.positive(spec, "--lr", lr))
                .schedule(FlagChecks.parse(spec, "--lr-schedule", () -> LearningRateSchedule.parse(lrSchedule)))
                .momentum(FlagChecks.inRange(spec, "--momentum", momentum, 0, 1))
                .weightDecay(FlagChecks.inRange(spec, "--weight-decay", weightDecay, 0, Double.POSITIVE_INFINITY))
                .sparsity(sparsity == null ? Double.NaN : FlagChecks.inRange(spec, "--sparsity", sparsity, 1e-9, 1),
                        sparsity == null ? 0 : FlagChecks.inRange(spec, "--sparsity-cost", sparsityCost, 0, 1))
                .batchSize(FlagChecks.positive(spec, "--batch", batch))
                .epochs(FlagChecks.positive(spec, "--epochs", epochs))
                .seed(seed)
                .initWeightStd(FlagChecks.inRange(spec, "--init-std", initStd, 0, 10))
                .build());
        FlagChecks.positive(spec, "--hidden", hidden);
        FlagChecks.nonNegative(spec, "--holdout", holdout);
        FlagChecks.positive(spec, "--checkpoint-every", checkpointEvery);
        FlagChecks.positive(spec, "--metrics-every", metricsEvery);
        FlagChecks.positive(spec, "--samples", samples);
        FlagChecks.nonNegative(spec, "--sample-steps", sampleSteps);
        String binSpec = binarize != null ? binarize : (type == VisibleType.BERNOULLI ? "fixed:0.5" : "none");
        Binarization bin = FlagChecks.parse(spec, "--binarize", () -> Binarization.parse(binSpec, seed));
        String backendName = common.backendName(spec);

        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("data.source", data.source());
        meta.put("data.binarize", bin.toString());
        meta.put("data.holdout", Integer.toString(holdout));
        meta.put("data.limit", data.limit == null ? "none" : Integer.toString(data.limit));
        meta.put("rbm.visible_type", type.id());
        meta.put("rbm.hidden", Integer.toString(hidden));
        meta.putAll(cfg.toMetadata());
        if (resumed != null) {
            checkResumable(resumed, meta);
            cfg = RbmOptions.fromMetadata(resumed.model().metadata());
        }
        meta.keySet().removeIf(key -> key.startsWith("rbm.") || key.startsWith("train."));

        Dataset[] split = loadSplit();
        Dataset train = split[0];
        Dataset heldOut = split[1];
        Standardization st = null;
        if (type == VisibleType.GAUSSIAN) {
            st = resumed != null && resumed.model().standardization() != null ? resumed.model().standardization()
                    : Standardization.fit(train);
            train = st.apply(train);
            heldOut = heldOut == null ? null : st.apply(heldOut);
        }
        meta.put("data.rows", Integer.toString(train.rows()));

        Backends.Selection sel = Backends.select(backendName);
        try (Backend backend = sel.backend();
             Tensor trainT = train.toTensor(backend);
             Tensor heldT = heldOut == null ? null : heldOut.toTensor(backend)) {
            bin.apply(trainT);
            if (heldT != null) {
                bin.apply(heldT);
            }
            float[] means = Rbm.columnMeans(trainT);
            try (Rbm rbm = resumed != null ? Rbm.of(backend, resumed.model().parameters())
                    : Rbm.zeros(backend, type, train.cols(), hidden);
                 RbmTrainer trainer = new RbmTrainer(rbm, cfg, trainT);
                 Tensor monitor = backend.allocate(Math.min(MONITOR_ROWS, train.rows()), train.cols());
                 RbmEpochMetrics metrics = new RbmEpochMetrics(rbm, monitor, heldT, train.rows(), metricsEvery,
                         this::report)) {
                if (resumed != null) {
                    trainer.restore(resumed.state());
                } else {
                    RbmTrainer.initialize(rbm, cfg, trainT);
                }
                int[] firstRows = new int[monitor.rows()];
                for (int i = 0; i < firstRows.length; i++) {
                    firstRows[i] = i;
                }
                backend.gatherRows(trainT, firstRows, 0, monitor);
                announce(backend, rbm, cfg, train, heldOut, bin, trainer);
                Files.createDirectories(out);
                List<TrainingListener> listeners = new ArrayList<>();
                if (!common.quiet() && StderrTerminal.isTerminal()) {
                    listeners.add(new ProgressBarListener(train.rows(), Math.min(cfg.batchSize(), train.rows())));
                }
                listeners.add(metrics);
                Standardization stFinal = st;
                RbmOptions cfgFinal = cfg;
                listeners.add(new CheckpointWriter(trainer, () -> checkpointModel(rbm, cfgFinal, meta, stFinal, means),
                        checkpointPath, checkpointEvery,
                        p -> LOG.debug("checkpoint written: {}", p)));
                long start = System.nanoTime();
                trainer.train(listeners);
                double seconds = (System.nanoTime() - start) * 1e-9;
                finish(rbm, cfg, meta, st, means, heldT, monitor, metrics.pseudoLikelihoodRows(), seconds);
            }
        }
        return 0;
    }

    /** Train and held-out data per the {@code --holdout} rule. */
    private Dataset[] loadSplit() throws IOException {
        Dataset train = data.load(spec, Mnist.Split.TRAIN);
        Dataset held = null;
        if (holdout > 0) {
            if (data.isMnistDirectory() && data.hasTestSplit()) {
                Dataset test = Mnist.load(data.dataDir, Mnist.Split.TEST);
                held = test.slice(0, Math.min(holdout, test.rows()));
            } else {
                if (train.rows() <= holdout) {
                    throw FlagChecks.error(spec, "--holdout " + holdout + " leaves no training rows: the data has "
                            + train.rows() + " (lower --holdout, or 0)");
                }
                held = train.slice(train.rows() - holdout, train.rows());
                train = train.slice(0, train.rows() - holdout);
            }
        }
        return new Dataset[] {train, held};
    }

    /**
     * A resumed run keeps the model shape, binarization and hold-out of its checkpoint unless the
     * flags are given (and then they must agree, see {@link #checkResumable}).
     */
    private void adoptSavedDefaults(Map<String, String> saved) {
        var pr = spec.commandLine().getParseResult();
        if (!pr.hasMatchedOption("--visible") && saved.containsKey("rbm.visible_type")) {
            visible = saved.get("rbm.visible_type");
        }
        if (!pr.hasMatchedOption("--hidden") && saved.containsKey("rbm.hidden")) {
            hidden = Integer.parseInt(saved.get("rbm.hidden"));
        }
        if (!pr.hasMatchedOption("--binarize") && saved.containsKey("data.binarize")) {
            binarize = saved.get("data.binarize");
        }
        if (!pr.hasMatchedOption("--holdout") && saved.containsKey("data.holdout")) {
            holdout = Integer.parseInt(saved.get("data.holdout"));
        }
    }

    private void checkResumable(Resumed ck, Map<String, String> current) {
        Map<String, String> saved = ck.model().metadata();
        for (Map.Entry<String, String> e : FLAG_KEYS.entrySet()) {
            String flag = e.getKey();
            String key = e.getValue();
            boolean given = spec.commandLine().getParseResult().hasMatchedOption(flag);
            boolean dataKey = key.startsWith("data.");
            // Data flags must always agree (the defaults included); training flags only when given.
            if ((given || dataKey) && saved.containsKey(key) && !saved.get(key).equals(current.get(key))) {
                throw FlagChecks.error(spec, "--resume: " + flag + " gives " + key + "=" + current.get(key)
                        + " but the checkpoint was trained with " + saved.get(key) + "; a resumed run keeps its "
                        + "configuration and data");
            }
        }
    }

    private void announce(Backend backend, Rbm rbm, RbmOptions cfg, Dataset train, Dataset heldOut,
                          Binarization bin, RbmTrainer trainer) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", "start");
        m.put("backend", backend.name());
        m.put("model", rbm.visibleType().id() + " " + rbm.visible() + "x" + rbm.hidden());
        m.put("config", cfg.summary());
        m.put("data", data.source());
        m.put("train_rows", train.rows());
        m.put("heldout_rows", heldOut == null ? 0 : heldOut.rows());
        m.put("binarize", bin.toString());
        m.put("first_epoch", trainer.epochsDone() + 1);
        m.put("out", out.toString());
        output.progress(m, text -> {
            text.printf(Locale.ROOT, "Training %s RBM %dx%d on %s (%d rows, %d held out, binarize %s), backend %s%n",
                    rbm.visibleType().id(), rbm.visible(), rbm.hidden(), data.source(), train.rows(),
                    heldOut == null ? 0 : heldOut.rows(), bin, backend.name());
            text.println("  " + cfg.summary() + (trainer.epochsDone() > 0 ? ", resuming after epoch "
                    + trainer.epochsDone() : ""));
        });
    }

    private void report(EpochReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", "epoch");
        m.put("epoch", r.epoch());
        m.put("epochs", r.epochs());
        m.put("lr", r.learningRate());
        m.put("train_seconds", r.trainSeconds());
        m.put("examples_per_second", r.examplesPerSecond());
        r.metrics().forEach((key, v) -> m.put(key, finiteOrNull(v)));
        output.progress(m, text -> text.println(epochLine(r)));
    }

    private static String epochLine(EpochReport r) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %3d/%d  lr %.4g  %6.2f s  %,8.0f img/s",
                r.epoch(), r.epochs(), r.learningRate(), r.trainSeconds(), r.examplesPerSecond()));
        Double re = r.metrics().get("recon_error");
        if (re != null) {
            sb.append(String.format(Locale.ROOT, "  recon %.3f", re));
        }
        Double pl = r.metrics().get("pseudo_likelihood_heldout");
        if (pl != null) {
            sb.append(String.format(Locale.ROOT, "  held-out PL %.4f", pl));
        }
        Double gap = r.metrics().get("free_energy_gap");
        if (gap != null) {
            sb.append(String.format(Locale.ROOT, "  FE gap %.3f", gap));
        }
        return sb.toString();
    }

    private void finish(Rbm rbm, RbmOptions cfg, Map<String, String> meta, Standardization st, float[] means,
                        Tensor heldT, Tensor monitor, Tensor plRows, double seconds) throws IOException {
        Map<String, String> m = new LinkedHashMap<>(meta);
        m.putAll(cfg.toMetadata());
        RbmModelFile model = new RbmModelFile(rbm.parameters(), m, st, means);
        Path modelPath = out.resolve("model.ebm");
        Path npzPath = out.resolve("model.npz");
        Path safetensorsPath = out.resolve("model.safetensors");
        Path filtersPath = out.resolve("filters.png");
        Path samplesPath = out.resolve("samples.png");
        model.write(modelPath);
        model.exportNpz(npzPath);
        model.exportSafetensors(safetensorsPath);
        ModelPictures.writeFilters(rbm, 100, filtersPath);
        ModelPictures.writeSamples(rbm, samples, sampleSteps, means, st, cfg.seed(), samplesPath);
        Map<String, Double> finalMetrics = RbmEpochMetrics.evaluate(rbm, monitor, heldT, plRows);
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("event", "done");
        res.put("model", modelPath.toString());
        res.put("npz", npzPath.toString());
        res.put("safetensors", safetensorsPath.toString());
        res.put("filters_png", filtersPath.toString());
        res.put("samples_png", samplesPath.toString());
        res.put("checkpoint", ResumeCheckpoint.in(out).toString());
        res.put("seconds", seconds);
        finalMetrics.forEach((key, v) -> res.put(key, finiteOrNull(v)));
        output.result(res, text -> {
            text.printf(Locale.ROOT, "Done in %.1f s.%n", seconds);
            text.println("  model:      " + modelPath);
            text.println("  exports:    " + npzPath + ", " + safetensorsPath);
            text.println("  filters:    " + filtersPath);
            text.println("  samples:    " + samplesPath);
            text.println("  checkpoint: " + ResumeCheckpoint.in(out));
            text.println("Evaluate with: ebm rbm eval --model " + modelPath + (data.dataDir != null ? " --data "
                    + data.dataDir : ""));
        });
    }

    /** A checkpoint read back: its model and the trainer state. */
    private record Resumed(RbmModelFile model, TrainingState state) {
    }

    private static ModelFile checkpointModel(Rbm rbm, RbmOptions cfg, Map<String, String> meta, Standardization st,
                                             float[] means) {
        Map<String, String> m = new LinkedHashMap<>(meta);
        m.putAll(cfg.toMetadata());
        return new RbmModelFile(rbm.parameters(), m, st, means).toModelFile();
    }

    static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
