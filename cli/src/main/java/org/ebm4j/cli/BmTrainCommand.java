package org.ebm4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.ebm4j.boltzmann.BoltzmannMachine;
import org.ebm4j.boltzmann.BoltzmannOptions;
import org.ebm4j.boltzmann.EmpiricalDistribution;
import org.ebm4j.boltzmann.ExactBoltzmann;
import org.ebm4j.boltzmann.TemperatureSchedule;
import org.ebm4j.boltzmann.UnitValues;
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
@Command(name = "train",
        description = "Train a Boltzmann machine on bars-and-stripes or a CSV of binary rows; report the exact "
                + "log-likelihood per evaluation (<= 24 units) and the fraction of generated samples that are valid.")
final class BmTrainCommand extends CliCommand {
    @Option(names = "--data", defaultValue = "bars-and-stripes", paramLabel = "bars-and-stripes|FILE",
            description = "Training data: the built-in bars-and-stripes set or a CSV of 0/1 (or -1/+1) rows "
                    + "(default: ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--side", defaultValue = "4", paramLabel = "S",
            description = "Bars-and-stripes grid side, 2..5 (default: ${DEFAULT-VALUE}).")
    int side;

    @Option(names = "--hidden", defaultValue = "6", paramLabel = "H", description = "Hidden units (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--units", defaultValue = "binary", paramLabel = "binary|spin",
            description = "Unit values {0,1} or {-1,+1} (default: ${DEFAULT-VALUE}).")
    String units;

    @Option(names = "--lr-decay", defaultValue = "none", paramLabel = "linear|none",
            description = "none: a constant rate; linear: constant for the first half of the epochs, then down "
                    + "linearly to 0 (default: ${DEFAULT-VALUE}).")
    String lrDecay;

    @Mixin
    SgdFlags sgd = new SgdFlags(10, 2000);

    @Option(names = "--data-sweeps", paramLabel = "N", defaultValue = "3",
            description = "Gibbs sweeps of the hidden units with the visibles clamped (default: ${DEFAULT-VALUE}).")
    int dataSweeps;

    @Option(names = "--model-sweeps", paramLabel = "N", defaultValue = "3",
            description = "Gibbs sweeps of the free-running chains per update (default: ${DEFAULT-VALUE}).")
    int modelSweeps;

    @Option(names = "--chains", paramLabel = "N", defaultValue = "100", description = "Free-running (persistent) chains (default: ${DEFAULT-VALUE}).")
    int chains;

    @Option(names = "--persistent", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Keep the model chains across updates (PCD); --no-persistent restarts them from the data "
                    + "chains (contrastive divergence) (default: ${DEFAULT-VALUE}).")
    boolean persistent;

    @Option(names = "--init-stddev", paramLabel = "S", defaultValue = "0.01", description = "Initial weight standard deviation (default: ${DEFAULT-VALUE}).")
    double initStddev;

    @Option(names = "--eval-every", defaultValue = "100", paramLabel = "E",
            description = "Exact evaluation every E epochs and after the last; 0 = only after the last; needs <= "
                    + ExactBoltzmann.MAX_UNITS + " units (default: ${DEFAULT-VALUE}).")
    int evalEvery;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "1000",
            description = "Samples drawn (independent chains from random states) to measure the valid fraction (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--sample-sweeps", paramLabel = "N", defaultValue = "50",
            description = "Gibbs sweeps per sample (default: ${DEFAULT-VALUE}).")
    int sampleSweeps;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the trained machine (ebm4j model file).")
    Path out;

    @Option(names = "--png", paramLabel = "FILE",
            description = "Write a PNG of up to 40 generated samples (--sample-sweeps sweeps at T=1, as 'ebm bm sample' "
                    + "with the same --seed draws them; bars-and-stripes, or --image-width for a CSV).")
    Path png;

    @Option(names = "--image-width", paramLabel = "W", description = "Visible units form images W pixels wide (for --png with a CSV).")
    Integer imageWidth;

    @Mixin
    SeedOption seed;

    @Override
    public Integer call() throws Exception {
        UnitValues unitValues = checks.parse("--units", () -> UnitValues.parse(units));
        checks.inRange("--side", side, 2, 5);
        checks.atLeast("--hidden", hidden, 0);
        checks.atLeast("--epochs", sgd.epochs(), 1);
        checks.positive("--lr", sgd.learningRate());
        String decay = lrDecay.trim().toLowerCase(Locale.ROOT);
        if (!decay.equals("linear") && !decay.equals("none")) {
            throw checks.fail("--lr-decay must be linear or none but was '" + lrDecay + "'");
        }
        checks.inRange("--momentum", sgd.momentum(), 0.0, 1.0, true);
        checks.nonNegative("--weight-decay", sgd.weightDecay());
        checks.atLeast("--batch", sgd.batch(), 1);
        FlagChecks.outputFile(spec, "--out", out);
        FlagChecks.outputFile(spec, "--png", png);
        checks.atLeast("--data-sweeps", dataSweeps, 1);
        checks.atLeast("--model-sweeps", modelSweeps, 1);
        checks.atLeast("--chains", chains, 1);
        checks.nonNegative("--init-stddev", initStddev);
        checks.atLeast("--eval-every", evalEvery, 0);
        checks.atLeast("--samples", samples, 0);
        checks.atLeast("--sample-sweeps", sampleSweeps, 1);
        BmData d = BmData.load(data, side, unitValues);
        int n = d.cols() + hidden;
        boolean exactOk = n <= ExactBoltzmann.MAX_UNITS;
        if (evalEvery > 0 && !exactOk && spec.commandLine().getParseResult().hasMatchedOption("--eval-every")) {
            throw checks.fail("--eval-every needs at most " + ExactBoltzmann.MAX_UNITS + " units for exact evaluation "
                    + "but the machine has " + n + " (" + d.cols() + " visible + " + hidden + " hidden); use --eval-every 0");
        }
        int width = 0;
        if (png != null) {
            if (d.isBarsAndStripes()) {
                width = side;
            } else if (imageWidth == null) {
                throw checks.fail("--png with a CSV needs --image-width to lay the visible units out as images");
            } else {
                width = checks.divisorOf("--image-width", imageWidth, d.cols(), "visible units");
            }
        }
        BoltzmannOptions options = BoltzmannOptions.builder().hidden(hidden).units(unitValues).initStddev(initStddev)
                .seed(seed.value()).epochs(sgd.epochs()).learningRate(sgd.learningRate())
                .lrDecay(BoltzmannOptions.LearningRateDecay.parse(decay)).momentum(sgd.momentum())
                .weightDecay(sgd.weightDecay()).batchSize(sgd.batch()).dataSweeps(dataSweeps)
                .modelSweeps(modelSweeps).modelChains(chains).persistent(persistent).evalEvery(evalEvery)
                .samples(samples).sampleSweeps(sampleSweeps).build();
        JsonOrText printer = output();
        double optimum = EmpiricalDistribution.of(d.data(), unitValues).negativeEntropy();
        long t0 = System.nanoTime();
        try (Backend backend = openBackend()) {
            Map<String, Object> start = new LinkedHashMap<>();
            start.put("event", "start");
            start.put("backend", backend.name());
            start.put("data", d.name());
            start.put("rows", d.rows());
            start.put("visible", d.cols());
            start.put("hidden", hidden);
            start.put("units", unitValues.toString());
            start.put("optimumLogLikelihood", optimum);
            start.put("exact", exactOk);
            printer.event(start);
            EvaluationPrinter evaluations = new EvaluationPrinter(printer, d.isBarsAndStripes(), t0);
            try (BoltzmannMachine machine = BoltzmannMachine.fit(backend, d.data(), options, Checkpointing.none(),
                    evaluations)) {
                if (out != null) {
                    machine.save(out);
                }
                boolean pictured = png != null && samples > 0;
                if (pictured) {
                    int show = Math.min(samples, 40);
                    float[] pictures = machine.sample(show, TemperatureSchedule.constant(1.0, sampleSweeps), seed.value())
                            .values();
                    BmData.writePng(png, pictures, show, d.cols(), width, d.isBarsAndStripes(), unitValues);
                }
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("event", "result");
                result.put("backend", backend.name());
                result.put("epochs", sgd.epochs());
                result.put("optimumLogLikelihood", optimum);
                if (evaluations.last != null) {
                    for (String k : new String[] {"logLikelihood", "exactValidMass", "exactDataMass", "validFraction",
                            "dataMatchFraction", "distinctMatches"}) {
                        if (evaluations.last.containsKey(k)) {
                            result.put(k, evaluations.last.get(k));
                        }
                    }
                }
                if (out != null) {
                    result.put("out", out.toString());
                }
                if (pictured) {
                    result.put("png", png.toString());
                }
                result.put("seconds", secondsSince(t0));
                printer.event(result);
            }
        }
        return 0;
    }

    /**
     * Prints an {@code epoch} event for every evaluated epoch (those whose report has metrics), under
     * the command's names: bars-and-stripes data call the data rows "valid" images.
     */
    private static final class EvaluationPrinter implements TrainingListener {
        private final JsonOrText printer;
        private final boolean bars;
        private final long t0;
        Map<String, Object> last;

        EvaluationPrinter(JsonOrText printer, boolean bars, long t0) {
            this.printer = printer;
            this.bars = bars;
            this.t0 = t0;
        }

        @Override
        public void onReport(EpochReport r) {
            Map<String, Double> m = r.metrics();
            if (m.isEmpty()) {
                return;
            }
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("event", "epoch");
            ev.put("epoch", r.epoch());
            ev.put("learningRate", r.learningRate());
            if (m.containsKey("log_likelihood")) {
                ev.put("logLikelihood", m.get("log_likelihood"));
                ev.put(bars ? "exactValidMass" : "exactDataMass", m.get("data_mass"));
            }
            if (m.containsKey("data_match_fraction")) {
                ev.put(bars ? "validFraction" : "dataMatchFraction", m.get("data_match_fraction"));
                ev.put("distinctMatches", (int) Math.round(m.get("distinct_matches")));
            }
            ev.put("seconds", secondsSince(t0));
            printer.event(ev);
            last = ev;
        }
    }
}
