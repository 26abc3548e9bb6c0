package org.ebm4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import org.ebm4j.tensor.Backend;

/**
 * The flags of the commands that draw a picture of samples from a model file ({@code ebm rbm sample},
 * {@code ebm dbn sample}), {@code --chains}, {@code --steps}, {@code --out}, and the run they share:
 * check the flags, open the backend, draw, write the PNG, print the {@code samples} result.
 */
public final class SampleFlags {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--chains", paramLabel = "N", defaultValue = "64",
            description = "Independent sampling chains = pictures (default: ${DEFAULT-VALUE}).")
    int chains;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "1000", description = "Gibbs steps per chain (default: ${DEFAULT-VALUE}).")
    int steps;

    /** Its initial value, which each command chooses, is the default. */
    @Option(names = "--out", paramLabel = "FILE", description = "Output picture, PNG (default: ${DEFAULT-VALUE}).")
    Path png;

    /** Flags whose {@code --out} is {@code defaultPng} unless given. */
    public SampleFlags(String defaultPng) {
        png = Path.of(defaultPng);
    }

    /** Draws the samples on a backend and writes them as the picture. */
    @FunctionalInterface
    public interface Picture {
        void write(Backend backend, int chains, int steps, Path png) throws IOException;
    }

    /**
     * Runs {@code command}: {@code picture} on its backend, then the {@code samples} result printed, with what
     * {@code otherFiles} adds to it (the other files the command wrote, such as {@code samples_csv}).
     */
    public int run(CliCommand command, Picture picture, Consumer<Map<String, Object>> otherFiles) throws IOException {
        FlagChecks.positive(command.spec, "--chains", chains);
        FlagChecks.nonNegative(command.spec, "--steps", steps);
        FlagChecks.outputFile(command.spec, "--out", png);
        long start = System.nanoTime();
        try (Backend backend = command.openBackend()) {
            picture.write(backend, chains, steps, png);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("out", png.toString());
        otherFiles.accept(m);
        m.put("chains", chains);
        m.put("steps", steps);
        m.put("seconds", CliCommand.secondsSince(start));
        command.output().result("samples", m);
        return 0;
    }
}
