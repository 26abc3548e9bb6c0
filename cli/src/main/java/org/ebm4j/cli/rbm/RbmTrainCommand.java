package org.ebm4j.cli.rbm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ebm4j.cli.BinarizeOption;
import org.ebm4j.cli.CliCommand;
import org.ebm4j.cli.DataSource;
import org.ebm4j.cli.InitStdOption;
import org.ebm4j.cli.PersistentChainsOption;
import org.ebm4j.cli.RunDirOption;
import org.ebm4j.cli.SeedOption;
import org.ebm4j.cli.EpochEvents;
import org.ebm4j.cli.FlagChecks;
import org.ebm4j.cli.LearningCurve;
import org.ebm4j.cli.TrainingSafetyFlags;
import org.ebm4j.cli.ProgressBarListener;
import org.ebm4j.cli.ResumeCheckpoint;
import org.ebm4j.cli.SamplesPngFlags;
import org.ebm4j.cli.SgdFlags;
import org.ebm4j.cli.TemperingFlags;
import org.ebm4j.data.Binarization;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.HoldOut;
import org.ebm4j.data.Mnist;
import org.ebm4j.io.StagedFiles;
import org.ebm4j.rbm.LearningRateSchedule;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.RbmModelFile;
import org.ebm4j.rbm.RbmOptions;
import org.ebm4j.rbm.TrainingMethod;
import org.ebm4j.rbm.VisibleType;
import org.ebm4j.tensor.Backend;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.EpochReport;
import org.ebm4j.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ebm rbm train}: trains an RBM and writes the model, its {@code .npz} and safetensors
 * exports, a filter picture and a sample picture into {@code --out}, checkpointing as it goes.
 */
@Command(name = "train", sortOptions = false, resourceBundle = "org.ebm4j.cli.rbm.RbmTrainCommand",
        description = {"Train a restricted Boltzmann machine (CD-k, persistent CD-k or parallel tempering).",
            "With no flags: a 784x256 binary RBM, PCD-1, on the embedded 10,000 MNIST images (1,000 held out).",
            "--data: an MNIST directory, an IDX image file, a CSV file or mnist-10k (the default)."},
        footer = "Example: ebm rbm train --data data/mnist --hidden 500 --epochs 10 --out rbm-run")
public final class RbmTrainCommand extends CliCommand {
    /** The library's defaults, which are this command's: the flags' initial values read them. */
    private static final RbmOptions DEFAULTS = RbmOptions.builder().build();

    @Mixin
    DataOptions data;

    @Option(names = "--hidden", paramLabel = "N", description = "Hidden units (default: ${DEFAULT-VALUE}).")
    int hidden = DEFAULTS.hidden();

    @Option(names = "--visible", paramLabel = "bernoulli|gaussian",
            description = "Visible unit type (default: ${DEFAULT-VALUE}); gaussian standardizes the data per column.")
    String visible = DEFAULTS.visibleType().id();

    @Option(names = "--method", paramLabel = "cd|pcd|pt",
            description = "Contrastive divergence, persistent CD or parallel tempering (default: ${DEFAULT-VALUE}).")
    String method = DEFAULTS.method().id();

    @Mixin
    TemperingFlags tempering;

    @Option(names = "--centering", description = "Train in the centered form (offsets saved with the model).")
    boolean centering;

    @Mixin
    TrainingSafetyFlags safety;

    /** A String, as in {@code ebm dbn train} whose --k takes one value per layer; an RBM has one. */
    @Option(names = "--k", paramLabel = "N", description = "Gibbs steps per update (default: ${DEFAULT-VALUE}).")
    String k = String.valueOf(DEFAULTS.k());

    @Mixin
    PersistentChainsOption chains;

    @Mixin
    SgdFlags sgd = new SgdFlags(DEFAULTS);

    @Option(names = "--lr-schedule", paramLabel = "constant|linear:F|exp:G",
            description = "Learning rate per epoch: constant, linear decay to F*lr at the last epoch, or lr*G^epoch "
                    + "(default: ${DEFAULT-VALUE}).")
    String lrSchedule = DEFAULTS.schedule().toString();

    @Option(names = "--sparsity", paramLabel = "TARGET",
            description = "Target mean hidden activation in (0, 1); adds a sparsity penalty's gradient (default: none).")
    Double sparsity;

    /** Not the library's 0 (no penalty): the weight a --sparsity target gets unless this flag is given. */
    @Option(names = "--sparsity-cost", paramLabel = "C", defaultValue = "0.1",
            description = "Weight of the sparsity penalty, in [0, 1) (default: ${DEFAULT-VALUE}).")
    double sparsityCost;

    @Mixin
    SeedOption seed;

    @Mixin
    InitStdOption initStd = new InitStdOption(DEFAULTS.initWeightStd());

    /** No default: the library's follows --visible, as the bundle's {@code binarize} says. */
    @Mixin
    BinarizeOption binarize;

    @Option(names = "--holdout", paramLabel = "N",
            description = "Held-out rows for the per-epoch metrics: the first N test images when --data has them, else "
                    + "the last N training rows, which are then not trained on; 0 for none (default: ${DEFAULT-VALUE}).")
    int holdout = DEFAULTS.holdout();

    /** Also model.npz, model.safetensors, filters.png, samples.png and checkpoint.ebm. */
    @Mixin
    RunDirOption run = new RunDirOption("rbm-run");

    @Option(names = "--resume", description = "Continue from DIR/checkpoint.ebm with its options (flags given must agree).")
    boolean resume;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "1",
            description = "Write DIR/checkpoint.ebm every E epochs (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--metrics-every", paramLabel = "N",
            description = "Evaluate the per-epoch metrics every E epochs (default: ${DEFAULT-VALUE}).")
    int metricsEvery = DEFAULTS.metricsEvery();

    @Mixin
    SamplesPngFlags pictures = new SamplesPngFlags(1000);

    private final LearningCurve curve = new LearningCurve("epoch");
    /** The metrics of the last epoch that evaluated them, for the final result. */
    private Map<String, Double> lastMetrics = Map.of();

    @Override
    public Integer call() throws IOException {
        data.validate(spec);
        run.check(spec);
        FlagChecks.positive(spec, "--checkpoint-every", checkpointEvery);
        pictures.check(spec);
        Path out = run.dir();
        Path checkpoint = ResumeCheckpoint.in(out);
        Path from = resume ? ResumeCheckpoint.existing(spec, checkpoint) : null;
        RbmOptions saved = resume ? Rbm.readOptions(from) : null;
        RbmOptions options = options(saved);
        Dataset train = data.load(spec, Mnist.Split.TRAIN);
        Dataset test = options.holdout() > 0 && data.hasTestSplit()
                ? data.source().load(Mnist.Split.TEST, ',') : null;
        HoldOut split = FlagChecks.parse(spec, "--holdout", () -> HoldOut.split(train, test, options.holdout()));
        checkMemory(train.cols(), options);
        if (resume) {
            FlagChecks.parse(spec, "--resume", () -> {
                try {
                    return Rbm.checkResumable(from, train, test, options);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        try (Backend backend = openBackend(); StagedFiles staged = ResumeCheckpoint.staging(out, resume)) {
            List<TrainingListener> listeners = new ArrayList<>();
            listeners.add(new EpochEvents(output()) {
                @Override
                public void onStart(int firstEpoch, int epochs, int batchesPerEpoch) {
                    announce(backend, options, split, firstEpoch);
                }

                @Override
                public void onReport(EpochReport r) {
                    if (!r.metrics().isEmpty()) {
                        lastMetrics = r.metrics();
                    }
                    super.onReport(r);
                }

                @Override
                protected void details(EpochReport r, Map<String, Object> event) {
                    event.put("examples_per_second", r.examplesPerSecond());
                    event.putAll(r.metrics());
                }
            });
            listeners.add(curve);
            if (common.showsProgress()) {
                listeners.add(new ProgressBarListener());
            }
            Checkpointing checkpointing = Checkpointing.every(staged.stageKept(checkpoint), checkpointEvery);
            TrainingListener[] ls = listeners.toArray(TrainingListener[]::new);
            long start = System.nanoTime();
            try (Rbm rbm = resume ? Rbm.resume(from, train, test, options, backend, checkpointing, ls)
                    : Rbm.fit(backend, train, test, options, checkpointing, ls)) {
                finish(rbm, options, staged, secondsSince(start));
            }
        }
        return 0;
    }

    /**
     * Refuses, before training, sizes whose arrays cannot fit in the heap: the training run's
     * ({@link RbmOptions#requireMemory}) and the samples of samples.png with their Gibbs states and
     * image (4 arrays of visible + hidden values).
     */
    private void checkMemory(int visible, RbmOptions o) {
        o.requireMemory(visible);
        pictures.checkMemory(spec, visible + (long) o.hidden());
    }

    /**
     * The options the flags give, their ranges checked by the record (a refusal names the flag). A resumed
     * run starts from the checkpoint's options and takes only the flags given on its command line (the
     * library refuses those that contradict the checkpoint).
     */
    private RbmOptions options(RbmOptions saved) {
        var given = spec.commandLine().getParseResult();
        java.util.function.Predicate<String> use = flag -> saved == null || given.hasMatchedOption(flag);
        RbmOptions.Builder b = saved == null ? RbmOptions.builder() : saved.toBuilder();
        long effectiveSeed = use.test("--seed") ? seed.value() : saved.seed();
        if (use.test("--hidden")) {
            b.hidden(hidden);
        }
        if (use.test("--visible")) {
            b.visibleType(FlagChecks.parse(spec, "--visible", () -> VisibleType.parse(visible)));
        }
        Binarization binarization = binarize.value(effectiveSeed);
        if (binarization != null) {
            b.binarization(binarization);
        }
        if (use.test("--holdout")) {
            b.holdout(holdout);
        }
        if (use.test("--method")) {
            b.method(FlagChecks.parse(spec, "--method", () -> TrainingMethod.parse(method)));
        }
        if (use.test("--replicas")) {
            b.replicas(tempering.replicas(spec));
        }
        if (use.test("--betas")) {
            b.betas(tempering.ladder(spec));
        }
        if (use.test("--centering")) {
            b.centering(centering);
        }
        if (use.test("--optimizer")) {
            b.optimizer(safety.optimizer());
        }
        if (use.test("--patience")) {
            b.patience(safety.patience());
        }
        if (use.test("--max-rollbacks")) {
            b.maxRollbacks(safety.maxRollbacks());
        }
        if (use.test("--k")) {
            b.k(FlagChecks.parse(spec, "--k", () -> Integer.parseInt(k.trim())));
        }
        if (use.test("--persistent-chains") || use.test("--chains")) {
            b.chains(chains.value());
        }
        if (use.test("--lr")) {
            b.learningRate(sgd.learningRate());
        }
        if (use.test("--lr-schedule")) {
            b.schedule(FlagChecks.parse(spec, "--lr-schedule", () -> LearningRateSchedule.parse(lrSchedule)));
        }
        if (use.test("--momentum")) {
            b.momentum(sgd.momentum());
        }
        if (use.test("--weight-decay")) {
            b.weightDecay(sgd.weightDecay());
        }
        if (use.test("--sparsity") || use.test("--sparsity-cost")) {
            b.sparsity(sparsity == null ? Double.NaN : sparsity,
                    // A cost given without a target reaches the options, which refuse it, instead of vanishing.
                    sparsity == null && !given.hasMatchedOption("--sparsity-cost") ? 0
                            : sparsityCost);
        }
        if (use.test("--batch")) {
            b.batchSize(sgd.batch());
        }
        if (use.test("--epochs")) {
            b.epochs(sgd.epochs());
        }
        b.seed(effectiveSeed);
        if (use.test("--init-std")) {
            b.initWeightStd(initStd.value());
        }
        if (use.test("--metrics-every")) {
            b.metricsEvery(metricsEvery);
        }
        return FlagChecks.options(spec, b::build);
    }

    private void announce(Backend backend, RbmOptions o, HoldOut split, int firstEpoch) {
        int nv = split.train().cols();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", backend.name());
        m.put("model", o.visibleType().id() + " " + nv + "x" + o.hidden());
        m.put("config", o.summary());
        m.put("data", data.source().source());
        m.put("train_rows", split.train().rows());
        m.put("heldout_rows", split.heldOut() == null ? 0 : split.heldOut().rows());
        m.put("binarize", o.binarization().toString());
        m.put("first_epoch", firstEpoch);
        m.put("out", run.dir().toString());
        output().progress("start", m);
    }

    private void finish(Rbm rbm, RbmOptions o, StagedFiles staged, double seconds) throws IOException {
        long start = System.nanoTime();
        Path samplesPath = SamplesPngFlags.in(run.dir());
        RbmModelFile model = rbm.toRbmModelFile();
        // Replaced together with the checkpoint: a failure on the last picture must not leave this
        // run's model beside the previous run's pictures.
        model.write(staged.stage(run.model()));
        model.exportNpz(staged.stage(run.file("model.npz")));
        model.exportSafetensors(staged.stage(run.file("model.safetensors")));
        ModelPictures.writeFilters(rbm, 100, staged.stage(run.file("filters.png")));
        ModelPictures.writeSamples(rbm, pictures.samples(), pictures.steps(), o.seed(), staged.stage(samplesPath));
        curve.write(staged.stage(run.learningCurve()), "RBM " + rbm.visible() + "x" + rbm.hidden() + " on "
                + data.source().source());
        staged.commit();
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("model", run.model().toString());
        res.put("npz", run.file("model.npz").toString());
        res.put("safetensors", run.file("model.safetensors").toString());
        res.put("filters_png", run.file("filters.png").toString());
        res.put("samples_png", samplesPath.toString());
        res.put("learning_curve_png", run.learningCurve().toString());
        res.put("checkpoint", ResumeCheckpoint.in(run.dir()).toString());
        res.put("train_seconds", seconds);
        res.put("output_seconds", secondsSince(start));
        res.put("seconds", seconds + secondsSince(start));
        res.putAll(lastMetrics);
        res.put("next", "ebm rbm eval --model " + run.model() + (data.source().isBuiltIn(DataSource.MNIST_10K) ? ""
                : " --data " + data.source().value()));
        output().result("done", res);
    }
}
