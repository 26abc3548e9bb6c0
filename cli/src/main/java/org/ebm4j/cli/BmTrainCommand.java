package org.ebm4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ebm4j.boltzmann.BoltzmannMachine;
import org.ebm4j.boltzmann.BoltzmannTrainer;
import org.ebm4j.boltzmann.ExactBoltzmann;
import org.ebm4j.boltzmann.GibbsSampler;
import org.ebm4j.boltzmann.NetworkFile;
import org.ebm4j.boltzmann.TemperatureSchedule;
import org.ebm4j.boltzmann.TrainingConfig;
import org.ebm4j.boltzmann.UnitValues;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.ebm4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ebm bm train}: maximum-likelihood training of a general Boltzmann machine with clamped data
 * chains and free-running (persistent) model chains, reporting the exact log-likelihood when the
 * machine is small enough to enumerate.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a Boltzmann machine on bars-and-stripes or a CSV of binary rows; report the exact "
                + "log-likelihood per evaluation (<= 24 units) and the fraction of generated samples that are valid.")
final class BmTrainCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

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

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "2000", description = "Passes over the data (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "0.05", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--lr-decay", defaultValue = "linear", paramLabel = "linear|none",
            description = "linear: constant for the first half of the epochs, then down linearly to 0 (default: "
                    + "${DEFAULT-VALUE}).")
    String lrDecay;

    @Option(names = "--momentum", paramLabel = "M", defaultValue = "0.5", description = "Momentum in [0, 1) (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--weight-decay", paramLabel = "L2", defaultValue = "0", description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "10", description = "Data vectors per update (default: ${DEFAULT-VALUE}).")
    int batch;

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

    @Option(names = "--out", paramLabel = "FILE", description = "Write the trained machine (network file).")
    Path out;

    @Option(names = "--png", paramLabel = "FILE",
            description = "Write a PNG of generated samples (bars-and-stripes, or --image-width for a CSV).")
    Path png;

    @Option(names = "--image-width", paramLabel = "W", description = "Visible units form images W pixels wide (for --png with a CSV).")
    Integer imageWidth;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        FlagChecks checks = new FlagChecks(spec);
        String backendName = common.backendName(spec);
        UnitValues unitValues = checks.parse("--units", () -> UnitValues.parse(units));
        checks.inRange("--side", side, 2, 5);
        checks.atLeast("--hidden", hidden, 0);
        checks.atLeast("--epochs", epochs, 1);
        checks.positive("--lr", lr);
        String decay = lrDecay.trim().toLowerCase(Locale.ROOT);
        if (!decay.equals("linear") && !decay.equals("none")) {
            throw checks.fail("--lr-decay must be linear or none but was '" + lrDecay + "'");
        }
        checks.inRange("--momentum", momentum, 0.0, 1.0, true);
        checks.nonNegative("--weight-decay", weightDecay);
        checks.atLeast("--batch", batch, 1);
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
        TrainingConfig cfg = new TrainingConfig(lr, momentum, weightDecay, batch, dataSweeps, modelSweeps, chains, persistent);
        EventPrinter printer = new EventPrinter(spec.commandLine().getOut(), common.json());
        RandomStream rng = new RandomStream(seed);
        RandomStream sampleRng = rng.fork(7);
        double optimum = d.optimumLogLikelihood();
        long t0 = System.nanoTime();
        try (Backend backend = Backends.select(backendName).backend();
             BoltzmannMachine machine = new BoltzmannMachine(backend, d.cols(), hidden, unitValues);
             Tensor dataT = backend.fromArray(d.values(), d.rows(), d.cols());
             BoltzmannTrainer trainer = new BoltzmannTrainer(machine, cfg)) {
            machine.initializeRandom(initStddev, rng);
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
            printer.emit(start);
            GibbsSampler sampler = new GibbsSampler(machine);
            Map<String, Object> last = null;
            float[] lastSamples = null;
            for (int epoch = 1; epoch <= epochs; epoch++) {
                if (decay.equals("linear")) {
                    trainer.learningRate(lr * Math.min(1.0, 2.0 * (epochs - epoch + 1) / epochs));
                }
                trainer.epoch(dataT, rng);
                boolean evalNow = epoch == epochs || (evalEvery > 0 && epoch % evalEvery == 0);
                if (!evalNow) {
                    continue;
                }
                Map<String, Object> ev = new LinkedHashMap<>();
                ev.put("event", "epoch");
                ev.put("epoch", epoch);
                ev.put("learningRate", trainer.learningRate());
                if (exactOk) {
                    ExactBoltzmann exact = machine.exact();
                    ev.put("logLikelihood", exact.meanLogLikelihood(d.values()));
                    if (d.cols() <= ExactBoltzmann.MAX_UNITS_FOR_ARRAYS) {
                        ev.put(d.isBarsAndStripes() ? "exactValidMass" : "exactDataMass", d.exactDataMass(exact));
                    }
                }
                if (samples > 0) {
                    lastSamples = sampler.sampleVisible(samples, TemperatureSchedule.constant(1.0, sampleSweeps), sampleRng);
                    ev.put(d.isBarsAndStripes() ? "validFraction" : "dataMatchFraction", d.matchFraction(lastSamples));
                    ev.put("distinctMatches", d.distinctMatches(lastSamples));
                }
                ev.put("seconds", (System.nanoTime() - t0) / 1e9);
                printer.emit(ev);
                last = ev;
            }
            if (out != null) {
                Map<String, String> header = new LinkedHashMap<>();
                header.put("kind", "bm");
                header.put("visible", Integer.toString(d.cols()));
                header.put("hidden", Integer.toString(hidden));
                header.put("values", unitValues.toString());
                if (d.isBarsAndStripes()) {
                    header.put("data", BmData.BARS_AND_STRIPES);
                    header.put("side", Integer.toString(side));
                }
                NetworkFile.write(out, header, machine.couplings());
            }
            if (png != null && lastSamples != null) {
                int show = Math.min(lastSamples.length / d.cols(), 40);
                List<List<float[]>> grid = BinaryImageGrid.inRows(lastSamples, show, d.cols(), 10);
                BinaryImageGrid.write(png, grid, d.cols() / width, width, d.isBarsAndStripes() ? 8 : 3,
                        unitValues.low(), unitValues.high());
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("event", "result");
            result.put("backend", backend.name());
            result.put("epochs", epochs);
            result.put("optimumLogLikelihood", optimum);
            if (last != null) {
                for (String k : new String[] {"logLikelihood", "exactValidMass", "exactDataMass", "validFraction",
                        "dataMatchFraction", "distinctMatches"}) {
                    if (last.containsKey(k)) {
                        result.put(k, last.get(k));
                    }
                }
            }
            if (out != null) {
                result.put("out", out.toString());
            }
            if (png != null && lastSamples != null) {
                result.put("png", png.toString());
            }
            result.put("seconds", (System.nanoTime() - t0) / 1e9);
            printer.emit(result);
        }
        return 0;
    }
}
