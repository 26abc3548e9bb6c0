package org.ebm4j.cli.dbn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.ebm4j.cli.CliCommand;
import org.ebm4j.cli.SeedOption;
import org.ebm4j.cli.EpochEvents;
import org.ebm4j.cli.TrainingSafetyFlags;
import org.ebm4j.cli.FlagChecks;
import org.ebm4j.cli.InitStdOption;
import org.ebm4j.cli.LearningCurve;
import org.ebm4j.cli.PersistentChainsOption;
import org.ebm4j.cli.ProgressBarListener;
import org.ebm4j.cli.RunDirOption;
import org.ebm4j.cli.ResumeCheckpoint;
import org.ebm4j.cli.SamplePng;
import org.ebm4j.cli.SamplesPngFlags;
import org.ebm4j.data.Dataset;
import org.ebm4j.io.StagedFiles;
import org.ebm4j.dbn.ClassificationResult;
import org.ebm4j.dbn.Dbn;
import org.ebm4j.dbn.DbnOptions;
import org.ebm4j.dbn.DbnPhase;
import org.ebm4j.dbn.DbnTrainingListener;
import org.ebm4j.rbm.LearningRateSchedule;
import org.ebm4j.rbm.TrainingMethod;
import org.ebm4j.rbm.VisibleType;
import org.ebm4j.tensor.Backend;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.EpochReport;
import org.ebm4j.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code ebm dbn train}: the flags as {@link DbnOptions}, then {@link Dbn#fit} (or {@link Dbn#resume}
 * with {@code --resume}) with the held-out rows for the per-epoch test error, checkpointing every
 * epoch of both phases; writes {@code model.ebm} and {@code samples.png} into {@code --out}.
 */
@Command(name = "train", resourceBundle = "org.ebm4j.cli.dbn.DbnTrainCommand", sortOptions = false,
        description = {"Train a deep belief network: greedy RBM pretraining, then backprop fine-tuning.",
            "With no flags: 784-500-500-2000-10 on the embedded 10,000 MNIST images (the last 1,000 held out as the "
                    + "test set), 2 pretraining epochs per layer and 10 fine-tuning epochs.",
            "--data: an MNIST directory, an IDX image file (labels beside it) or mnist-10k (the default)."},
        footer = "Example: ebm dbn train --data data/mnist --pretrain-epochs 10 --finetune-epochs 30 --out dbn-run")
public final class DbnTrainCommand extends CliCommand {
    /** The library's defaults, which are this command's: the flags' initial values read them. */
    private static final DbnOptions DEFAULTS = DbnOptions.builder().build();

    @Mixin
    LabelledData data;

    @Option(names = "--layers", paramLabel = "N,N,...",
            description = "Hidden layer sizes, bottom first (default: ${DEFAULT-VALUE}).")
    String layers = FlagChecks.commaSeparated(DEFAULTS.hiddenLayers());

    @Option(names = "--visible", paramLabel = "bernoulli|gaussian",
            description = "First layer's visible units (default: ${DEFAULT-VALUE}): bernoulli takes pixel intensities "
                    + "in [0, 1] as probabilities; gaussian standardizes each pixel (use a smaller --pretrain-lr for "
                    + "layer 0, e.g. 0.005,0.1,0.1).")
    String visible = DEFAULTS.visibleType().id();

    @Option(names = "--method", paramLabel = "cd|pcd",
            description = "Pretraining method of every layer (default: ${DEFAULT-VALUE}).")
    String method = DEFAULTS.method().id();

    @Option(names = "--k", paramLabel = "K[,K...]",
            description = "Gibbs steps per update, one value or one per layer (default: ${DEFAULT-VALUE}).")
    String k = everyLayer(DEFAULTS.k());

    @Mixin
    PersistentChainsOption chains;

    @Option(names = "--pretrain-epochs", paramLabel = "E[,E...]",
            description = "Pretraining epochs, one value or one per layer; 0 skips pretraining (default: ${DEFAULT-VALUE}).")
    String pretrainEpochs = everyLayer(DEFAULTS.pretrainEpochs());

    @Option(names = "--pretrain-lr", paramLabel = "RATE[,RATE...]",
            description = "Pretraining learning rate, one value or one per layer (default: ${DEFAULT-VALUE}).")
    String pretrainLr = everyLayer(DEFAULTS.pretrainLearningRate());

    @Option(names = "--pretrain-lr-schedule", paramLabel = "constant|linear:F|exp:G",
            description = "Pretraining learning rate per epoch of each layer (default: ${DEFAULT-VALUE}).")
    String pretrainSchedule = DEFAULTS.pretrainSchedule().toString();

    @Option(names = "--pretrain-momentum", paramLabel = "M",
            description = "Pretraining momentum in [0, 1) (default: ${DEFAULT-VALUE}).")
    double pretrainMomentum = DEFAULTS.pretrainMomentum();

    /** The library's default spelled out, as --help shows it: from DEFAULTS it would read 2.0E-4. */
    @Option(names = "--pretrain-weight-decay", paramLabel = "L2", defaultValue = "0.0002",
            description = "Pretraining L2 weight decay (default: ${DEFAULT-VALUE}).")
    double pretrainWeightDecay;

    @Option(names = "--pretrain-batch", paramLabel = "N",
            description = "Pretraining minibatch size (default: ${DEFAULT-VALUE}).")
    int pretrainBatch = DEFAULTS.pretrainBatchSize();

    @Option(names = "--sample-inputs", description = "Train each layer on samples of the previous layer's hidden "
            + "units instead of their probabilities.")
    boolean sampleInputs;

    @Option(names = "--random-init", description = "Skip pretraining: fine-tune a randomly initialized network "
            + "(the baseline that shows what pretraining adds).")
    boolean randomInit;

    @Option(names = "--finetune-epochs", paramLabel = "N",
            description = "Fine-tuning epochs; 0 for none (default: ${DEFAULT-VALUE}).")
    int finetuneEpochs = DEFAULTS.finetuneEpochs();

    @Option(names = "--finetune-lr", paramLabel = "RATE",
            description = "Fine-tuning learning rate (default: ${DEFAULT-VALUE}).")
    double finetuneLr = DEFAULTS.finetuneLearningRate();

    @Option(names = "--finetune-lr-schedule", paramLabel = "constant|linear:F|exp:G",
            description = "Fine-tuning learning rate per epoch (default: ${DEFAULT-VALUE}).")
    String finetuneSchedule = DEFAULTS.finetuneSchedule().toString();

    @Option(names = "--finetune-momentum", paramLabel = "M",
            description = "Fine-tuning momentum in [0, 1) (default: ${DEFAULT-VALUE}).")
    double finetuneMomentum = DEFAULTS.finetuneMomentum();

    /** The library's default spelled out, as --help shows it: from DEFAULTS it would read 1.0E-5. */
    @Option(names = "--finetune-weight-decay", paramLabel = "L2", defaultValue = "0.00001",
            description = "Fine-tuning L2 weight decay (default: ${DEFAULT-VALUE}).")
    double finetuneWeightDecay;

    @Option(names = "--finetune-batch", paramLabel = "N",
            description = "Fine-tuning minibatch size (default: ${DEFAULT-VALUE}).")
    int finetuneBatch = DEFAULTS.finetuneBatchSize();

    /** --random-init layers use Glorot and Bengio's sqrt(2/(fan-in + fan-out)), times 4 for sigmoid layers, instead. */
    @Mixin
    InitStdOption initStd = new InitStdOption(DEFAULTS.initWeightStd());

    @Mixin
    TrainingSafetyFlags safety;

    @Mixin
    SeedOption seed;

    /** Also samples.png and checkpoint.ebm. */
    @Mixin
    RunDirOption run = new RunDirOption("dbn-run");

    @Option(names = "--resume", description = "Continue from DIR/checkpoint.ebm (same flags as the interrupted run; "
            + "only the epochs may be raised).")
    boolean resume;

    @Mixin
    SamplesPngFlags pictures = new SamplesPngFlags(200);

    /**
     * {@code v}'s comma-separated values, one per layer, each read by {@code parse} ({@code what} names
     * what it takes in the message of a value it refuses): a single value stands for every layer.
     */
    private static <T> List<T> perLayer(CommandSpec spec, String flag, String v, int n, String what,
                                        Function<String, T> parse) {
        String[] parts = v.split(",");
        if (parts.length != 1 && parts.length != n) {
            throw FlagChecks.error(spec, flag + " needs one value or one per layer (" + n + "), found " + parts.length
                    + " in '" + v + "'");
        }
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(parsed(spec, flag, parts[parts.length == 1 ? 0 : i], what, parse));
        }
        return out;
    }

    /** {@code p} (trimmed) read by {@code parse}; a malformed value is a usage error saying it is not {@code what}. */
    private static <T> T parsed(CommandSpec spec, String flag, String p, String what, Function<String, T> parse) {
        String value = p.trim();
        try {
            return parse.apply(value);
        } catch (NumberFormatException e) {
            throw FlagChecks.error(spec, flag + ": '" + value + "' is not " + what);
        }
    }

    /** {@code v}'s whole numbers, one per layer; their range is the record's, checked when it is built. */
    static int[] parseInts(CommandSpec spec, String flag, String v, int n) {
        return perLayer(spec, flag, v, n, "an integer", Integer::parseInt).stream().mapToInt(Integer::intValue)
                .toArray();
    }

    /** {@code v}'s numbers, one per layer; their range is the record's, checked when it is built. */
    static double[] parseDoubles(CommandSpec spec, String flag, String v, int n) {
        return perLayer(spec, flag, v, n, "a number", Double::parseDouble).stream().mapToDouble(Double::doubleValue)
                .toArray();
    }

    @Override
    public Integer call() throws IOException {
        data.validate(spec);
        run.check(spec);
        DbnOptions options = options();
        Path checkpointPath = ResumeCheckpoint.in(run.dir());
        Path from = resume ? ResumeCheckpoint.existing(spec, checkpointPath) : null;
        Dataset[] split = data.load(spec);
        Dataset train = split[0];
        Dataset test = split[1];
        checkMemory(options.sizes(train.cols()), options);
        long start = System.nanoTime();
        try (Backend backend = openBackend(); StagedFiles staged = ResumeCheckpoint.staging(run.dir(), resume)) {
            int[] sizes = options.sizes(train.cols());
            announce(backend, sizes, train, test);
            Checkpointing checkpointing = Checkpointing.every(staged.stageKept(checkpointPath), 1);
            EpochPrinter printer = new EpochPrinter();
            TrainingListener[] listeners = common.showsProgress()
                    ? new TrainingListener[] {printer, new ProgressBarListener()} : new TrainingListener[] {printer};
            try (Dbn dbn = resume ? Dbn.resume(from, train, test, options, backend, checkpointing, listeners)
                    : Dbn.fit(backend, train, test, options, checkpointing, listeners)) {
                printer.endPhase();
                long outputStart = System.nanoTime();
                ClassificationResult result = dbn.isFineTuned() ? dbn.evaluate(test) : null;
                Path modelPath = run.model();
                Path png = SamplesPngFlags.in(run.dir());
                dbn.save(staged.stage(modelPath));
                SamplePng.write(dbn.sample(pictures.samples(), pictures.steps(), seed.value()), pictures.samples(),
                        sizes[0], null, staged.stage(png));
                printer.curve.write(staged.stage(run.learningCurve()), "DBN " + join(sizes).replace(',', '-') + "-"
                        + LabelledData.CLASSES + " fine-tuning on " + data.source());
                staged.commit();
                printer.phaseSeconds.put("output_seconds", secondsSince(outputStart));
                finish(png, result, printer.phaseSeconds, secondsSince(start));
            }
        }
        return 0;
    }

    /**
     * Refuses, before training, sizes whose arrays cannot fit in the heap: the training run's
     * ({@link DbnOptions#requireMemory}) and the samples of samples.png through every layer (4 arrays
     * of all units each).
     */
    private void checkMemory(int[] sizes, DbnOptions o) {
        o.requireMemory(sizes[0]);
        pictures.checkMemory(spec, Arrays.stream(sizes).asLongStream().sum());
    }

    /** The learning-rate schedule of one phase ({@code --pretrain-lr-schedule} or {@code --finetune-lr-schedule}). */
    private LearningRateSchedule phaseSchedule(String phase, String schedule) {
        return FlagChecks.parse(spec, "--" + phase + "-lr-schedule", () -> LearningRateSchedule.parse(schedule));
    }

    /**
     * The flags as library options (flag errors are usage errors naming the flag): the ranges are the ones
     * {@link DbnOptions} declares, refused as the usage error of the flag that gave the value.
     */
    private DbnOptions options() {
        int[] hidden = FlagChecks.commaSeparatedInts(spec, "--layers", layers);
        int depth = hidden.length;
        VisibleType type = FlagChecks.parse(spec, "--visible", () -> VisibleType.parse(visible));
        TrainingMethod tm = FlagChecks.parse(spec, "--method", () -> TrainingMethod.parse(method));
        int[] ks = parseInts(spec, "--k", k, depth);
        int[] epochs = parseInts(spec, "--pretrain-epochs", pretrainEpochs, depth);
        double[] lrs = parseDoubles(spec, "--pretrain-lr", pretrainLr, depth);
        LearningRateSchedule pretrainSched = phaseSchedule("pretrain", pretrainSchedule);
        LearningRateSchedule sched = phaseSchedule("finetune", finetuneSchedule);
        DbnOptions options = FlagChecks.options(spec, () -> safety.applyTo(DbnOptions.builder()).hiddenLayers(hidden)
                .visibleType(type).standardize(type == VisibleType.GAUSSIAN)
                .method(tm).k(ks).chains(chains.value()).pretrainEpochs(epochs).pretrainLearningRate(lrs)
                .pretrainSchedule(pretrainSched).pretrainMomentum(pretrainMomentum)
                .pretrainWeightDecay(pretrainWeightDecay).pretrainBatchSize(pretrainBatch).sampleInputs(sampleInputs)
                .randomInit(randomInit).initWeightStd(initStd.value()).classes(LabelledData.CLASSES)
                .finetuneEpochs(finetuneEpochs).finetuneLearningRate(finetuneLr).finetuneSchedule(sched)
                .finetuneMomentum(finetuneMomentum).finetuneWeightDecay(finetuneWeightDecay)
                .finetuneBatchSize(finetuneBatch).seed(seed.value()).build());
        pictures.check(spec);
        if (randomInit && finetuneEpochs == 0) {
            throw FlagChecks.error(spec, "--random-init with --finetune-epochs 0 trains nothing");
        }
        return options;
    }

    /**
     * The default of a per-layer flag: one value, standing for every layer, as the library's default does
     * (its options hold it once per layer of the default network).
     */
    private static String everyLayer(List<?> perLayer) {
        return String.valueOf(perLayer.get(0));
    }

    /** Layer sizes comma-separated, as {@code --layers} takes them. */
    private static String join(int[] sizes) {
        return FlagChecks.commaSeparated(Arrays.stream(sizes).boxed().toList());
    }

    private void announce(Backend backend, int[] sizes, Dataset train, Dataset test) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", backend.name());
        m.put("layers", join(sizes) + "," + LabelledData.CLASSES);
        m.put("data", data.source());
        m.put("train_rows", train.rows());
        m.put("test_rows", test.rows());
        m.put("random_init", randomInit);
        m.put("out", run.dir().toString());
        output().progress("start", m);
    }

    /** Prints each epoch's report per phase and layer, keeps the fine-tuning curve and each phase's time. */
    private final class EpochPrinter extends EpochEvents implements DbnTrainingListener {
        final LearningCurve curve = new LearningCurve("fine-tuning epoch");
        final Map<String, Object> phaseSeconds = new LinkedHashMap<>();
        private DbnPhase phase;
        private int layer;
        private long phaseStart;

        EpochPrinter() {
            super(output());
        }

        @Override
        public void onPhase(DbnPhase p, int l) {
            endPhase();
            phase = p;
            layer = l;
            phaseStart = System.nanoTime();
        }

        /** Records the time of the phase that ran last. */
        void endPhase() {
            if (phase != null) {
                phaseSeconds.put(pretraining() ? "pretrain_layer_" + layer + "_seconds" : "finetune_seconds",
                        secondsSince(phaseStart));
                phase = null;
            }
        }

        private boolean pretraining() {
            return phase == DbnPhase.PRETRAIN;
        }

        @Override
        protected void context(Map<String, Object> event) {
            event.put("phase", phase.id());
            event.put("layer", pretraining() ? layer : -1);
        }

        @Override
        protected void details(EpochReport r, Map<String, Object> event) {
            if (!pretraining()) {
                event.put("train_loss", r.metrics().getOrDefault("train_loss", Double.NaN));
                event.put("test_error", r.metrics().getOrDefault("heldout_error", Double.NaN));
                curve.onReport(r);
            }
        }

        @Override
        public void onPastReport(int epoch, Map<String, Double> metrics) {
            if (!pretraining()) {
                curve.onPastReport(epoch, metrics);
            }
        }
    }

    private void finish(Path png, ClassificationResult r, Map<String, Object> phaseSeconds, double seconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", run.model().toString());
        m.put("samples_png", png.toString());
        m.put("learning_curve_png", run.learningCurve().toString());
        if (r != null) {
            m.put("test_error", r.errorRate());
            m.put("test_errors", r.errors());
            m.put("test_rows", r.examples());
        }
        m.putAll(phaseSeconds);
        m.put("seconds", seconds);
        output().result("done", m);
    }
}
