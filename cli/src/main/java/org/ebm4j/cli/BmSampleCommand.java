package org.ebm4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ebm4j.boltzmann.BarsAndStripes;
import org.ebm4j.boltzmann.BoltzmannMachine;
import org.ebm4j.boltzmann.TemperatureSchedule;
import org.ebm4j.boltzmann.UnitValues;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ebm bm sample}: independent Gibbs chains of a trained machine, optionally annealed: one
 * {@link BoltzmannMachine#load} and one {@link BoltzmannMachine#sample}.
 */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Draw samples from a trained Boltzmann machine: independent chains from random states, sequential "
                + "Gibbs sweeps at --temperature, optionally annealed down from --anneal-from.")
final class BmSampleCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Machine file from 'ebm bm train --out' (or the CSV network file of earlier versions).")
    Path model;

    @Option(names = "--count", paramLabel = "N", defaultValue = "100", description = "Samples (chains) (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--sweeps", paramLabel = "N", defaultValue = "100", description = "Gibbs sweeps per chain (default: ${DEFAULT-VALUE}).")
    int sweeps;

    @Option(names = "--temperature", defaultValue = "1.0", paramLabel = "T",
            description = "Sampling temperature (final temperature when annealing) (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--anneal-from", paramLabel = "T",
            description = "Anneal geometrically from this temperature down to --temperature over the sweeps.")
    Double annealFrom;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the visible samples as CSV rows.")
    Path out;

    @Option(names = "--png", paramLabel = "FILE", description = "Write a PNG of the samples (bars-and-stripes models, "
            + "or --image-width).")
    Path png;

    @Option(names = "--image-width", paramLabel = "W", description = "Visible units form images W pixels wide.")
    Integer imageWidth;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        FlagChecks checks = new FlagChecks(spec);
        String backendName = common.backendName(spec);
        checks.atLeast("--count", count, 1);
        checks.atLeast("--sweeps", sweeps, 1);
        checks.positive("--temperature", temperature);
        if (annealFrom != null) {
            checks.positive("--anneal-from", annealFrom);
        }
        TemperatureSchedule schedule = annealFrom == null ? TemperatureSchedule.constant(temperature, sweeps)
                : TemperatureSchedule.geometric(annealFrom, temperature, sweeps);
        EventPrinter printer = new EventPrinter(spec.commandLine().getOut(), common.json());
        long t0 = System.nanoTime();
        Map<String, Object> ev = new LinkedHashMap<>();
        try (Backend backend = Backends.select(backendName).backend();
             BoltzmannMachine m = BoltzmannMachine.load(model, backend)) {
            int basSide = BmData.sideOf(m);
            int width = basSide;
            if (imageWidth != null) {
                width = checks.divisorOf("--image-width", imageWidth, m.visible(), "visible units");
            }
            if (png != null && width == 0) {
                throw checks.fail("--png needs --image-width for a machine not trained on bars-and-stripes");
            }
            float[] samples = m.sample(count, schedule, seed).values();
            UnitValues units = m.unitValues();
            ev.put("event", "samples");
            ev.put("backend", backend.name());
            ev.put("count", count);
            ev.put("sweeps", sweeps);
            ev.put("schedule", schedule.toString());
            if (basSide > 0) {
                ev.put("validFraction", BarsAndStripes.validFraction(samples, basSide, units));
            }
            if (out != null) {
                HopfieldRecallCommand.writeRows(out, samples, m.visible());
                ev.put("out", out.toString());
            }
            if (png != null) {
                int v = m.visible();
                List<List<float[]>> grid = BinaryImageGrid.inRows(samples, count, v, 10);
                BinaryImageGrid.write(png, grid, v / width, width, basSide > 0 ? 8 : 3, units.low(), units.high());
                ev.put("png", png.toString());
            }
        }
        ev.put("seconds", (System.nanoTime() - t0) / 1e9);
        printer.emit(ev);
        return 0;
    }
}
