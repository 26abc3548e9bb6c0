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
@Command(name = "sample", resourceBundle = "org.ebm4j.cli.BmSampleCommand",
        description = "Draw samples from a trained Boltzmann machine: independent chains from random states, sequential "
                + "Gibbs sweeps at --temperature, optionally annealed down from --anneal-from.",
        footer = "Example: ebm bm sample --model bas/model.ebm --chains 40 --anneal-from 3 --png samples.png")
final class BmSampleCommand extends ModelFileCommand {
    @Option(names = "--chains", paramLabel = "N", description = "Independent sampling chains = samples (default: ${DEFAULT-VALUE}).")
    int count = 100;

    @Option(names = "--steps", paramLabel = "N", description = "Gibbs sweeps per chain (default: ${DEFAULT-VALUE}).")
    int sweeps = 100;


    @Option(names = "--temperature", defaultValue = "1.0", paramLabel = "T",
            description = "Sampling temperature (final temperature when annealing) (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--anneal-from", paramLabel = "T",
            description = "Anneal geometrically from this temperature down to --temperature over the sweeps.")
    Double annealFrom;

    @Mixin
    CsvPngFlags files;

    @Option(names = "--image-width", paramLabel = "N", description = "Visible units form images N pixels wide.")
    Integer imageWidth;

    @Mixin
    SeedOption seed;

    @Override
    public Integer call() throws Exception {
        files.check(spec);
        Path out = files.csv();
        Path png = files.png();
        checks.atLeast("--chains", count, 1);
        checks.atLeast("--steps", sweeps, 1);
        checks.positive("--temperature", temperature);
        if (annealFrom != null) {
            checks.positive("--anneal-from", annealFrom);
        }
        TemperatureSchedule schedule = annealFrom == null ? TemperatureSchedule.constant(temperature, sweeps)
                : TemperatureSchedule.geometric(annealFrom, temperature, sweeps);
        long t0 = System.nanoTime();
        Map<String, Object> ev = new LinkedHashMap<>();
        try (Backend backend = openBackend(); BoltzmannMachine m = BoltzmannMachine.load(model.path(), backend)) {
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
            ev.put("backend", backend.name());
            ev.put("chains", count);
            ev.put("steps", sweeps);
            ev.put("schedule", schedule.toString());
            if (basSide > 0) {
                ev.put("valid_fraction", BarsAndStripes.validFraction(samples, basSide, units));
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
        output().result("samples", ev);
        return 0;
    }
}
