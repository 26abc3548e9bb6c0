package org.ebm4j.cli;

import java.nio.file.Path;
import org.ebm4j.train.MemoryEstimate;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The picture of samples that {@code ebm rbm train} and {@code ebm dbn train} write into their
 * output directory after training: {@code --samples} and {@code --sample-steps}.
 */
public final class SamplesPngFlags {
    @Option(names = "--samples", paramLabel = "N", defaultValue = "64", description = "Samples in samples.png (default: ${DEFAULT-VALUE}).")
    int samples;

    /** Its initial value, which each command chooses, is the default. */
    @Option(names = "--sample-steps", paramLabel = "N",
            description = "Gibbs steps per sample for samples.png (default: ${DEFAULT-VALUE}).")
    int steps;

    /** Flags whose {@code --sample-steps} is {@code defaultSteps} unless given. */
    public SamplesPngFlags(int defaultSteps) {
        steps = defaultSteps;
    }

    /** Usage errors unless {@code --samples} is positive and {@code --sample-steps} not negative. */
    public void check(CommandSpec spec) {
        FlagChecks.positive(spec, "--samples", samples);
        FlagChecks.nonNegative(spec, "--sample-steps", steps);
    }

    /**
     * A usage error, before any work, unless the samples' Gibbs states and picture (4 arrays of
     * {@code units} values a sample, all layers' units for a deep model) fit in the heap.
     */
    public void checkMemory(CommandSpec spec, long units) {
        FlagChecks.fitsInMemory(spec, "--samples", MemoryEstimate.floats(4, samples, units),
                "the " + samples + " samples of samples.png");
    }

    public int samples() {
        return samples;
    }

    public int steps() {
        return steps;
    }

    /** Where the picture goes: {@code samples.png} in the run's output directory. */
    public static Path in(Path out) {
        return out.resolve("samples.png");
    }
}
