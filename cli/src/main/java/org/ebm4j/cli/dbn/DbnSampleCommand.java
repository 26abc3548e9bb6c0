package org.ebm4j.cli.dbn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.ebm4j.cli.CliCommand;
import org.ebm4j.cli.FlagChecks;
import org.ebm4j.cli.SampleRun;
import org.ebm4j.cli.SamplePng;
import org.ebm4j.dbn.Dbn;
import org.ebm4j.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ebm dbn sample}: {@link Dbn#load}, then {@link Dbn#sample} (Gibbs sampling in the top RBM, a
 * top-down pass) as a PNG grid.
 */
@Command(name = "sample", sortOptions = false,
        description = "Generate from a DBN: Gibbs sampling in the top RBM (many chains), then a top-down pass; "
                + "writes a PNG grid.")
public final class DbnSampleCommand extends CliCommand {
    @Option(names = "--model", paramLabel = "FILE", required = true, description = "DBN model file (model.ebm or checkpoint.ebm).")
    Path model;

    @Option(names = "--chains", paramLabel = "N", defaultValue = "64", description = "Chains = pictures (default: ${DEFAULT-VALUE}).")
    int chains;

    @Option(names = "--steps", paramLabel = "S", defaultValue = "1000",
            description = "Gibbs steps in the top RBM (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--png", paramLabel = "FILE", defaultValue = "dbn-samples.png", description = "Output picture (default: ${DEFAULT-VALUE}).")
    Path png;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws IOException {
        FlagChecks.positive(spec, "--chains", chains);
        FlagChecks.nonNegative(spec, "--steps", steps);
        String backendName = backendName();
        long start = System.nanoTime();
        try (Backend backend = open(backendName); Dbn dbn = Dbn.load(model, backend)) {
            SamplePng.write(dbn.sample(chains, steps, seed), chains, dbn.sizes()[0], null, png);
        }
        SampleRun run = new SampleRun(png, chains, steps, secondsSince(start));
        output().result(run.json(), out -> out.printf(Locale.ROOT,
                "%d samples (%d Gibbs steps in the top RBM) written to %s in %.1f s%n", chains, steps, png, run.seconds()));
        return 0;
    }
}
