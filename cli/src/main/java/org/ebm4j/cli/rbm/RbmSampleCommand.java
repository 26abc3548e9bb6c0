package org.ebm4j.cli.rbm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.ebm4j.cli.CliCommand;
import org.ebm4j.cli.FlagChecks;
import org.ebm4j.cli.SampleRun;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ebm rbm sample}: Gibbs samples from a model as a PNG grid. */
@Command(name = "sample", sortOptions = false,
        description = "Draw samples from an RBM by block Gibbs sampling and write them as a PNG grid.")
public final class RbmSampleCommand extends CliCommand {
    @Option(names = "--model", paramLabel = "FILE", required = true, description = "Model file.")
    Path model;

    @Option(names = "--chains", paramLabel = "N", defaultValue = "64", description = "Independent chains = pictures (default: ${DEFAULT-VALUE}).")
    int chains;

    @Option(names = "--steps", paramLabel = "S", defaultValue = "1000", description = "Gibbs steps per chain (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--png", paramLabel = "FILE", defaultValue = "samples.png", description = "Output picture (default: ${DEFAULT-VALUE}).")
    Path png;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws IOException {
        FlagChecks.positive(spec, "--chains", chains);
        FlagChecks.nonNegative(spec, "--steps", steps);
        String backendName = backendName();
        long start = System.nanoTime();
        try (Backend backend = open(backendName); Rbm rbm = Rbm.load(model, backend)) {
            ModelPictures.writeSamples(rbm, chains, steps, seed, png);
        }
        SampleRun run = new SampleRun(png, chains, steps, secondsSince(start));
        output().result(run.json(), out -> out.printf(Locale.ROOT,
                "%d samples (%d Gibbs steps each) written to %s in %.1f s%n", chains, steps, png, run.seconds()));
        return 0;
    }
}
