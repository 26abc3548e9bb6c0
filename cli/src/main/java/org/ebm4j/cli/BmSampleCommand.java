package org.ebm4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ebm4j.boltzmann.BarsAndStripes;
import org.ebm4j.boltzmann.BoltzmannMachine;
import org.ebm4j.boltzmann.TemperatureSchedule;
import org.ebm4j.boltzmann.UnitValues;
import org.ebm4j.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ebm bm sample}: independent Gibbs chains of a trained machine, optionally annealed: one
 * {@link BoltzmannMachine#load} and one {@link BoltzmannMachine#sample}.
 */
@Command(name = "sample",
        description = "Draw samples from a trained Boltzmann machine: independent chains from random states, sequential "
                + "Gibbs sweeps at --temperature, optionally annealed down from --anneal-from.")
final class BmSampleCommand extends CliCommand {
    @Mixin
    BmModelOption model;

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

    @Mixin
    SeedOption seed;

    @Override
    public Integer call() throws Exception {
        FlagChecks.outputFile(spec, "--out", out);
        FlagChecks.outputFile(spec, "--png", png);
        checks.atLeast("--count", count, 1);
        checks.atLeast("--sweeps", sweeps, 1);
        checks.positive("--temperature", temperature);
        if (annealFrom != null) {
            checks.positive("--anneal-from", annealFrom);
        }
        TemperatureSchedule schedule = annealFrom == null ? TemperatureSchedule.constant(temperature, sweeps)
                : TemperatureSchedule.geometric(annealFrom, temperature, sweeps);
        long t0 = System.nanoTime();
        Map<String, Object> ev = new LinkedHashMap<>();
        try (Backend backend = openBackend(); BoltzmannMachine m = model.load(backend)) {
            int basSide = BmData.sideOf(m);
            int width = basSide;
            if (imageWidth != null) {
                width = checks.divisorOf("--image-width", imageWidth, m.visible(), "visible units");
            }
            if (png != null && width == 0) {
                throw checks.fail("--png needs --image-width for a machine not trained on bars-and-stripes");
            }
            float[] samples = m.sample(count, schedule, seed.value()).values();
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
                BinaryRows.write(out, samples, m.visible());
                ev.put("out", out.toString());
            }
            if (png != null) {
                BmData.writePng(png, samples, count, m.visible(), width, basSide > 0, units);
                ev.put("png", png.toString());
            }
        }
        ev.put("seconds", secondsSince(t0));
        output().event(ev);
        return 0;
    }
}
