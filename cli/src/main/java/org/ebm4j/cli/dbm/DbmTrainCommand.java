package org.ebm4j.cli.dbm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.ebm4j.cli.BinarizeOption;
import org.ebm4j.cli.CliCommand;
import org.ebm4j.cli.EpochEvents;
import org.ebm4j.cli.FlagChecks;
import org.ebm4j.cli.InitStdOption;
import org.ebm4j.cli.LearningCurve;
import org.ebm4j.cli.ResumeCheckpoint;
import org.ebm4j.cli.ResumeOption;
import org.ebm4j.cli.RunDirOption;
import org.ebm4j.cli.SamplePng;
import org.ebm4j.cli.SamplesPngFlags;
import org.ebm4j.cli.SeedOption;
import org.ebm4j.cli.SgdFlags;
import org.ebm4j.cli.TemperingFlags;
import org.ebm4j.cli.TrainingSafetyFlags;
import org.ebm4j.cli.rbm.DataOptions;
import org.ebm4j.data.Binarization;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.HoldOut;
import org.ebm4j.data.Mnist;
import org.ebm4j.dbm.Dbm;
import org.ebm4j.dbm.DbmOptions;
import org.ebm4j.dbm.DbmPhase;
import org.ebm4j.dbm.DbmTrainingListener;
import org.ebm4j.io.StagedFiles;
import org.ebm4j.rbm.LearningRateSchedule;
import org.ebm4j.rbm.TrainingMethod;
import org.ebm4j.tensor.Backend;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.EpochReport;
import org.ebm4j.train.MemoryEstimate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ebm dbm train}: the flags as {@link DbmOptions} (every default is the library's), then
 * {@link Dbm#fit} (or {@link Dbm#resume} with {@code --resume}), checkpointing every epoch of both
 * phases; writes {@code model.ebm}, {@code samples.png} and {@code learning-curve.png} (the
 * joint-training epochs) into {@code --out}.
 */
@Command(name = "train", sortOptions = false, resourceBundle = "org.ebm4j.cli.dbm.DbmTrainCommand",
        description = {"Train a deep Boltzmann machine: greedy RBM pretraining with doubled inputs, then joint "
                + "training (mean-field positive phase, persistent Gibbs or parallel-tempering negative phase, "
                + "optionally centered).",
            "With no flags: 784-500-1000 on the embedded 10,000 MNIST images."},
        footer = "Example: ebm dbm train --layers 200,400 --pretrain-epochs 2 --epochs 3 --out dbm-run")
public final class DbmTrainCommand extends CliCommand {
    private static final DbmOptions DEFAULTS = DbmOptions.builder().build();

    @Mixin
    DataOptions data;

    @Option(names = "--layers", paramLabel = "N,N[,N]", description = "Hidden layer sizes, bottom first, 2 or 3 "
            + "(default: ${DEFAULT-VALUE}).")
    String layers = FlagChecks.commaSeparated(DEFAULTS.hidden());

    @Mixin
    BinarizeOption binarize = new BinarizeOption(DEFAULTS.binarization());

    /** Strings, as in {@code ebm dbn train} whose flags take one value per layer; a DBM's take one. */
    @Option(names = "--pretrain-epochs", paramLabel = "N",
            description = "Pretraining epochs of each layer's RBM; 0 skips pretraining (default: ${DEFAULT-VALUE}).")
    String pretrainEpochs = String.valueOf(DEFAULTS.pretrainEpochs());

    @Option(names = "--pretrain-lr", paramLabel = "RATE", description = "Pretraining learning rate (default: ${DEFAULT-VALUE}).")
    String pretrainLr = String.valueOf(DEFAULTS.pretrainLearningRate());

    /** Its --lr and --epochs described in the bundle: they are joint training's, beside --pretrain-lr and --pretrain-epochs. */
    @Mixin
    SgdFlags sgd = new SgdFlags(DEFAULTS);

    @Option(names = "--lr-schedule", paramLabel = "constant|linear:F|exp:G",
            description = "Joint-training learning rate per epoch (default: ${DEFAULT-VALUE}).")
    String lrSchedule = DEFAULTS.schedule().toString();

    @Option(names = "--persistent-chains", paramLabel = "N", description = "Persistent Gibbs chains (default: ${DEFAULT-VALUE}).")
    int chains = DEFAULTS.chains();

    @Option(names = "--k", paramLabel = "N", description = "Gibbs sweeps of the chains per update (default: ${DEFAULT-VALUE}).")
    String k = String.valueOf(DEFAULTS.k());

    @Option(names = "--method", paramLabel = "pcd|pt",
            description = "Joint training's negative phase: persistent Gibbs chains or parallel tempering "
                    + "(default: ${DEFAULT-VALUE}).")
    String method = DEFAULTS.method().id();

    @Mixin
    TemperingFlags tempering;

    @Option(names = "--centering", description = "Joint training in the centered form (offsets saved with the model).")
    boolean centering;

    @Mixin
    MeanFieldFlags meanField = new MeanFieldFlags(DEFAULTS.meanField());

    @Option(names = "--mf-damping", paramLabel = "D", description = "Mean-field damping in [0, 1) (default: ${DEFAULT-VALUE}).")
    double mfDamping = DEFAULTS.meanField().damping();

    @Mixin
    InitStdOption initStd = new InitStdOption(DEFAULTS.initWeightStd());

    @Option(names = "--holdout", paramLabel = "N", description = "The last N training rows held out: joint "
            + "training reports their log-likelihood, which --patience watches (default: ${DEFAULT-VALUE}).")
    int holdout = DEFAULTS.holdout();

    @Mixin
    TrainingSafetyFlags safety;

    @Mixin
    SeedOption seed;

    /** Also samples.png and checkpoint.ebm (the bundle's {@code out} says so in --help). */
    @Mixin
    RunDirOption run = new RunDirOption("dbm-run");

    @Mixin
    ResumeOption resume;

    @Mixin
    SamplesPngFlags pictures = new SamplesPngFlags(1000);

    @Override
    public Integer call() throws IOException {
        data.validate(spec);
        pictures.check(spec);
        DbmOptions options = options();
        Path out = run.check(spec);
        Path from = resume.checkpoint(spec, out, checkpoint -> Dbm.readOptions(checkpoint).toMap(), options.toMap());
        Dataset train = data.load(spec, Mnist.Split.TRAIN);
        HoldOut split = FlagChecks.parse(spec, "--holdout", () -> HoldOut.split(train, null, options.holdout()));
        options.requireMemory(train.cols());
        pictures.checkMemory(spec, MemoryEstimate.units(train.cols(), options.hidden()));
        long start = System.nanoTime();
        try (Backend backend = openBackend(); StagedFiles staged = ResumeCheckpoint.staging(out, resume.given())) {
            announce(backend, options.sizes(train.cols()), split);
            Checkpointing checkpointing = Checkpointing.every(staged.stageKept(ResumeCheckpoint.in(out)), 1);
            EpochPrinter printer = new EpochPrinter();
            try (Dbm dbm = from != null ? Dbm.resume(from, train, backend, checkpointing, printer)
                    : Dbm.fit(backend, train, options, checkpointing, printer)) {
                Path modelPath = run.model();
                dbm.save(staged.stage(modelPath));
                Path png = SamplesPngFlags.in(out);
                SamplePng.write(dbm.sample(pictures.samples(), Math.max(1, pictures.steps()), seed.value()).values(),
                        pictures.samples(), dbm.sizes()[0], null, staged.stage(png));
                Path curvePng = run.learningCurve();
                printer.curve.write(staged.stage(curvePng), "DBM " + shape(dbm.sizes()) + " on " + train.name());
                staged.commit();
                finish(modelPath, png, curvePng, secondsSince(start));
            }
        }
        return 0;
    }

    /** The flags as library options; the library's checks become usage errors. */
    private DbmOptions options() {
        int[] hidden = FlagChecks.commaSeparatedInts(spec, "--layers", layers);
        Binarization bin = binarize.value(seed.value());
        LearningRateSchedule sched = FlagChecks.parse(spec, "--lr-schedule", () -> LearningRateSchedule.parse(lrSchedule));
        return FlagChecks.options(spec, () -> sgd.applyTo(safety.applyTo(DbmOptions.builder())).holdout(holdout).hidden(hidden)
                .binarization(bin)
                .pretrainEpochs(FlagChecks.parse(spec, "--pretrain-epochs", () -> Integer.parseInt(pretrainEpochs.trim())))
                .pretrainLearningRate(FlagChecks.parse(spec, "--pretrain-lr", () -> Double.parseDouble(pretrainLr.trim()))).epochs(sgd.epochs())
                .schedule(sched).chains(chains).k(FlagChecks.parse(spec, "--k", () -> Integer.parseInt(k.trim())))
                .method(FlagChecks.parse(spec, "--method", () -> TrainingMethod.parse(method)))
                .replicas(tempering.replicas(spec)).betas(tempering.checkedLadder(spec)).centering(centering)
                .meanField(meanField.meanField(spec, mfDamping)).initWeightStd(initStd.value())
                .seed(seed.value()).build());
    }

    /** Layer sizes as {@code 784-500-1000}. */
    private static String shape(int[] sizes) {
        StringBuilder shape = new StringBuilder();
        for (int s : sizes) {
            shape.append(shape.length() > 0 ? "-" : "").append(s);
        }
        return shape.toString();
    }

    /** The start event: the rows trained on and, with {@code --holdout}, the rows held out of them. */
    private void announce(Backend backend, int[] sizes, HoldOut split) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", backend.name());
        m.put("layers", shape(sizes));
        m.put("data", data.source().source());
        m.put("train_rows", split.train().rows());
        m.put("heldout_rows", split.heldOut() == null ? 0 : split.heldOut().rows());
        m.put("resume", resume.given());
        m.put("out", run.dir().toString());
        output().progress("start", m);
    }

    /**
     * Prints each epoch's report with its phase and, in joint training, the mean-field sweeps per
     * update and under PT the swap acceptance per neighbouring pair; keeps the joint-training curve (pretraining epochs restart per layer, so they would not
     * share its axis).
     */
    private final class EpochPrinter extends EpochEvents implements DbmTrainingListener {
        final LearningCurve curve = new LearningCurve("joint-training epoch");
        private DbmPhase phase;
        private int layer;

        EpochPrinter() {
            super(output());
        }

        @Override
        public void onPhase(DbmPhase p, int l) {
            phase = p;
            layer = l;
        }

        @Override
        protected void context(Map<String, Object> event) {
            event.put("phase", phase.id());
            if (phase == DbmPhase.PRETRAIN) {
                event.put("layer", layer);
            }
        }

        @Override
        protected void details(EpochReport r, Map<String, Object> event) {
            event.put("examples_per_second", r.examplesPerSecond());
            Double sweeps = r.metrics().get("mf_sweeps");
            if (sweeps != null) {
                event.put("mf_sweeps", sweeps);
            }
            java.util.List<Double> swaps = new java.util.ArrayList<>();
            for (int pair = 0; r.metrics().containsKey("swap_rate_" + pair); pair++) {
                swaps.add(r.metrics().get("swap_rate_" + pair));
            }
            if (!swaps.isEmpty()) {
                event.put("swap_rates", swaps);
            }
            Double heldOut = r.metrics().get(Dbm.HELDOUT_METRIC);
            if (heldOut != null) {
                event.put(Dbm.HELDOUT_METRIC, heldOut);
            }
            if (phase == DbmPhase.JOINT) {
                curve.onReport(r);
            }
        }

        @Override
        public void onPastReport(int epoch, Map<String, Double> metrics) {
            if (phase == DbmPhase.JOINT) {
                curve.onPastReport(epoch, metrics);
            }
        }
    }

    private void finish(Path modelPath, Path png, Path curvePng, double seconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", modelPath.toString());
        m.put("samples_png", png.toString());
        m.put("learning_curve_png", curvePng.toString());
        m.put("seconds", seconds);
        output().result("done", m);
    }
}
