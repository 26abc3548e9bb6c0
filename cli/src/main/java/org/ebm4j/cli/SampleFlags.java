package org.ebm4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.ebm4j.tensor.Backend;
import picocli.CommandLine.Option;

/**
 * The flags of the commands that draw a picture of samples from a model file ({@code ebm rbm sample},
 * {@code ebm dbn sample}), {@code --chains}, {@code --steps}, {@code --png}, and the run they share:
 * check the flags, open the backend, draw, write the PNG, print a {@link SampleRun}.
 */
public final class SampleFlags {
    @Option(names = "--chains", paramLabel = "N", defaultValue = "64",
            description = "Independent chains = pictures (default: ${DEFAULT-VALUE}).")
    int chains;

    @Option(names = "--steps", paramLabel = "S", defaultValue = "1000", description = "Gibbs steps per chain (default: ${DEFAULT-VALUE}).")
    int steps;

    /** Its initial value, which each command chooses, is the default. */
    @Option(names = "--png", paramLabel = "FILE", description = "Output picture (default: ${DEFAULT-VALUE}).")
    Path png;

    /** Flags whose {@code --png} is {@code defaultPng} unless given. */
    public SampleFlags(String defaultPng) {
        png = Path.of(defaultPng);
    }

    /** Draws the samples on a backend and writes them as the picture. */
    @FunctionalInterface
    public interface Picture {
        void write(Backend backend, int chains, int steps, Path png) throws IOException;
    }

    /**
     * Runs {@code command}: {@code picture} on its backend, then the {@link SampleRun} printed, as text
     * saying where the Gibbs steps ran ({@code stepsWhere}, e.g. "each").
     */
    public int run(CliCommand command, String stepsWhere, Picture picture) throws IOException {
        FlagChecks.positive(command.spec, "--chains", chains);
        FlagChecks.nonNegative(command.spec, "--steps", steps);
        FlagChecks.outputFile(command.spec, "--png", png);
        long start = System.nanoTime();
        try (Backend backend = command.openBackend()) {
            picture.write(backend, chains, steps, png);
        }
        SampleRun run = new SampleRun(png, chains, steps, CliCommand.secondsSince(start));
        command.output().result(run.json(), out -> out.printf(Locale.ROOT,
                "%d samples (%d Gibbs steps %s) written to %s in %.1f s%n", chains, steps, stepsWhere, png, run.seconds()));
        return 0;
    }
}
