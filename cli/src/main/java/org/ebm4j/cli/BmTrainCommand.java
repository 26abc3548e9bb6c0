package org.ebm4j.cli;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.ebm4j.boltzmann.BarsAndStripes;
import org.ebm4j.boltzmann.BoltzmannMachine;
import org.ebm4j.boltzmann.BoltzmannOptions;
import org.ebm4j.boltzmann.EmpiricalDistribution;
import org.ebm4j.boltzmann.ExactBoltzmann;
import org.ebm4j.boltzmann.TemperatureSchedule;
import org.ebm4j.boltzmann.UnitValues;
import org.ebm4j.io.StagedFiles;
import org.ebm4j.tensor.Backend;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.EpochReport;
import org.ebm4j.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ebm bm train}: flags to {@link BoltzmannOptions}, one {@link BoltzmannMachine#fit}, and its
 * evaluations printed: maximum-likelihood training of a general Boltzmann machine with clamped data
 * chains and free-running (persistent) model chains, reporting the exact log-likelihood when the
 * machine is small enough to enumerate.
 */
@Command(name = "train", resourceBundle = "org.ebm4j.cli.BmTrainCommand",
        description = "Train a Boltzmann machine on bars-and-stripes (--data bars-and-stripes) or a CSV of binary rows; report the exact "
                + "log-likelihood per evaluation (<= 24 units) and the fraction of generated samples that are valid.",
        footer = "Example: ebm bm train --lr-schedule linear --out bas")
final class BmTrainCommand extends CliCommand {
    /** The library's defaults, which are this command's: the flags' initial values read them. */
    private static final BoltzmannOptions DEFAULTS = BoltzmannOptions.builder().build();

    @Mixin
    DataOption data = new DataOption(BarsAndStripes.NAME, EnumSet.of(DataSource.Kind.BUILT_IN, DataSource.Kind.CSV_FILE),
            List.of(BarsAndStripes.NAME));

    @Option(names = "--side", defaultValue = "4", paramLabel = "N",
            description = "Bars-and-stripes grid side, 2..5 (default: ${DEFAULT-VALUE}).")
    int side;

    @Option(names = "--hidden", paramLabel = "N", description = "Hidden units (default: ${DEFAULT-VALUE}).")
    int hidden = DEFAULTS.hidden();

    @Mixin
    UnitValuesOption units;

    @Option(names = "--lr-schedule", paramLabel = "constant|linear",
            description = "constant: one rate; linear: constant for the first half of the epochs, then down linearly "
                    + "to 0 (default: ${DEFAULT-VALUE}).")
    String lrSchedule = "constant";

    @Mixin
    SgdFlags sgd = new SgdFlags(DEFAULTS);

    @Mixin
    TrainingSafetyFlags safety;

    @Option(names = "--data-sweeps", paramLabel = "N",
            description = "Gibbs sweeps of the hidden units with the visibles clamped (default: ${DEFAULT-VALUE}).")
    int dataSweeps = DEFAULTS.dataSweeps();

    @Option(names = "--model-sweeps", paramLabel = "N",
            description = "Gibbs sweeps of the free-running chains per update (default: ${DEFAULT-VALUE}).")
    int modelSweeps = DEFAULTS.modelSweeps();

    @Mixin
    PersistentChainsOption chains;

    @Option(names = "--persistent", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Keep the model chains across updates (PCD); --no-persistent restarts them from the data "
                    + "chains (contrastive divergence) (default: ${DEFAULT-VALUE}).")
    boolean persistent;

    @Mixin
    InitStdOption initStd = new InitStdOption(DEFAULTS.initStddev());

    @Option(names = "--metrics-every", paramLabel = "N",
            description = "Exact evaluation every N epochs and after the last; 0 = only after the last; needs <= "
                    + ExactBoltzmann.MAX_UNITS + " units (default: ${DEFAULT-VALUE}).")
    int metricsEvery = DEFAULTS.evalEvery();

    @Option(names = "--samples", paramLabel = "N",
            description = "Samples drawn (independent chains from random states) to measure the valid fraction; up to "
                    + "40 of them in samples.png (default: ${DEFAULT-VALUE}).")
    int samples = DEFAULTS.samples();

    @Option(names = "--sample-steps", paramLabel = "N", description = "Gibbs sweeps per sample (default: ${DEFAULT-VALUE}).")
    int sampleSteps = DEFAULTS.sampleSweeps();

    /** Also samples.png (bars-and-stripes, or a CSV with --image-width). */
    @Mixin
    RunDirOption run = new RunDirOption("bm-run");

    @Option(names = "--png", hidden = true, paramLabel = "FILE", description = "Old: the sample picture's file; now "
            + "DIR/samples.png.")
    void oldPng(Path file) {
        OldSpelling.warn(spec, "--png FILE", "--out DIR (which gets samples.png)");
        oldPng = file;
    }

    private Path oldPng;

    @Option(names = "--image-width", paramLabel = "N", description = "Visible units form images N pixels wide (for "
            + "samples.png with a CSV).")
    Integer imageWidth;

    @Mixin
    SeedOption seed;

    @Override
    public Integer call() throws Exception {
        UnitValues unitValues = units.value();
        checks.inRange("--side", side, 2, 5);
        // "none" is what the old spelling --lr-decay called the constant rate.
        String schedule = lrSchedule.trim().toLowerCase(Locale.ROOT).replace("none", "constant");
        if (!schedule.equals("linear") && !schedule.equals("constant")) {
            throw checks.fail("--lr-schedule must be constant or linear but was '" + lrSchedule + "'");
        }
        run.check(spec);
        if (imageWidth != null) {
            // Checked even where bars-and-stripes data bring their own width: a given value is never ignored unread.
            checks.atLeast("--image-width", imageWidth, 1);
        }
        // The ranges of the training flags are the record's, refused as the usage error of the flag that gave
        // the value before the data are read.
        BoltzmannOptions options = FlagChecks.options(spec, () -> sgd.applyTo(safety.applyTo(BoltzmannOptions.builder()))
                .hidden(hidden).units(unitValues).initStddev(initStd.value()).seed(seed.value()).epochs(sgd.epochs())
                .lrDecay(BoltzmannOptions.LearningRateDecay.parse(schedule.equals("constant") ? "none" : schedule))
                .dataSweeps(dataSweeps).modelSweeps(modelSweeps).modelChains(chains.value()).persistent(persistent)
                .evalEvery(metricsEvery).samples(samples).sampleSweeps(sampleSteps).build());
        BmData d = BmData.load(data.source(), side, unitValues);
        int n = d.cols() + hidden;
        boolean exactOk = n <= ExactBoltzmann.MAX_UNITS;
        if (metricsEvery > 0 && !exactOk && (spec.commandLine().getParseResult().hasMatchedOption("--metrics-every")
                || spec.commandLine().getParseResult().hasMatchedOption("--eval-every"))) {
            throw checks.fail("--metrics-every needs at most " + ExactBoltzmann.MAX_UNITS + " units for exact evaluation "
                    + "but the machine has " + n + " (" + d.cols() + " visible + " + hidden + " hidden); use --metrics-every 0");
        }
        int width = 0;
        if (d.isBarsAndStripes()) {
            width = side;
        } else if (imageWidth != null) {
            width = checks.divisorOf("--image-width", imageWidth, d.cols(), "visible units");
        } else if (oldPng != null) {
            throw checks.fail("--png with a CSV needs --image-width to lay the visible units out as images");
        }
        JsonOrText printer = output();
        double optimum = EmpiricalDistribution.of(d.data(), unitValues).negativeEntropy();
        long t0 = System.nanoTime();
        try (Backend backend = openBackend()) {
            Map<String, Object> start = new LinkedHashMap<>();
            start.put("backend", backend.name());
            start.put("data", d.name());
            start.put("rows", d.rows());
            start.put("visible", d.cols());
            start.put("hidden", hidden);
            start.put("unit_values", unitValues.toString());
            start.put("optimum_log_likelihood", optimum);
            start.put("exact", exactOk);
            printer.progress("start", start);
            EvaluationPrinter evaluations = new EvaluationPrinter(printer, d.isBarsAndStripes(), t0);
            TrainingListener safety = EpochEvents.safetyEvents(printer);
            TrainingListener[] listeners = common.showsProgress()
                    ? new TrainingListener[] {evaluations, safety, new ProgressBarListener(true)}
                    : new TrainingListener[] {evaluations, safety};
            // The outputs are staged once training is done and replaced together: a failure on a
            // picture leaves the previous run's model and pictures.
            try (BoltzmannMachine machine = BoltzmannMachine.fit(backend, d.data(), options, Checkpointing.none(),
                    listeners);
                 StagedFiles staged = StagedFiles.in(run.dir())) {
                double trainSeconds = secondsSince(t0);
                long outputStart = System.nanoTime();
                machine.save(staged.stage(run.model()));
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("backend", backend.name());
                result.put("epochs", sgd.epochs());
                result.put("optimum_log_likelihood", optimum);
                if (evaluations.last != null) {
                    evaluations.last.forEach((k, v) -> {
                        if (!k.equals("epoch") && !k.equals("lr") && !k.equals("seconds")) {
                            result.put(k, v);
                        }
                    });
                }
                result.put("model", run.model().toString());
                if (samples > 0 && width > 0) {
                    int show = Math.min(samples, 40);
                    float[] pictures = machine.sample(show, TemperatureSchedule.constant(1.0, sampleSteps), seed.value())
                            .values();
                    Path png = oldPng != null ? oldPng : run.file("samples.png");
                    BmData.writePng(oldPng != null ? png : staged.stage(png), pictures, show, d.cols(), width,
                            d.isBarsAndStripes(), unitValues);
                    result.put("samples_png", png.toString());
                }
                evaluations.curve.write(staged.stage(run.learningCurve()), "Boltzmann machine " + d.cols() + "+" + hidden
                        + " units on " + d.name());
                result.put("learning_curve_png", run.learningCurve().toString());
                staged.commit();
                result.put("train_seconds", trainSeconds);
                result.put("output_seconds", secondsSince(outputStart));
                result.put("seconds", secondsSince(t0));
                printer.result("done", result);
            }
        }
        return 0;
    }

    /**
     * Prints an {@code epoch} row for every evaluated epoch (those whose report has metrics), under
     * the command's names: bars-and-stripes data call the data rows "valid" images.
     */
    private static final class EvaluationPrinter implements TrainingListener {
        private final JsonOrText printer;
        private final boolean bars;
        private final long t0;
        final LearningCurve curve = new LearningCurve("epoch");
        Map<String, Object> last;

        EvaluationPrinter(JsonOrText printer, boolean bars, long t0) {
            this.printer = printer;
            this.bars = bars;
            this.t0 = t0;
        }

        @Override
        public void onPastReport(int epoch, Map<String, Double> metrics) {
            curve.onPastReport(epoch, metrics);
        }

        @Override
        public void onReport(EpochReport r) {
            Map<String, Double> m = r.metrics();
            if (m.isEmpty()) {
                return;
            }
            curve.onReport(r);
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("epoch", r.epoch());
            ev.put("lr", r.learningRate());
            if (m.containsKey("log_likelihood")) {
                ev.put("log_likelihood", m.get("log_likelihood"));
                ev.put(bars ? "exact_valid_mass" : "exact_data_mass", m.get("data_mass"));
            }
            if (m.containsKey("data_match_fraction")) {
                ev.put(bars ? "valid_fraction" : "data_match_fraction", m.get("data_match_fraction"));
                ev.put("distinct_matches", (int) Math.round(m.get("distinct_matches")));
            }
            ev.put("seconds", secondsSince(t0));
            printer.progressRow("epoch", ev);
            last = ev;
        }
    }
}
