package org.ebm4j.cli.dbn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ebm4j.cli.CommonOptions;
import org.ebm4j.cli.FlagChecks;
import org.ebm4j.cli.JsonOrText;
import org.ebm4j.cli.SampleRun;
import org.ebm4j.cli.SamplePng;
import org.ebm4j.dbn.Dbn;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ebm dbn sample}: {@link Dbn#load}, then {@link Dbn#sample} (Gibbs sampling in the top RBM, a
 * top-down pass) as a PNG grid.
 */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Generate from a DBN: Gibbs sampling in the top RBM (many chains), then a top-down pass; "
                + "writes a PNG grid.")
public final class DbnSampleCommand implements Callable<Integer> {
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

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        FlagChecks.positive(spec, "--chains", chains);
        FlagChecks.nonNegative(spec, "--steps", steps);
        String backendName = common.backendName(spec);
        long start = System.nanoTime();
        try (Backend backend = Backends.select(backendName).backend(); Dbn dbn = Dbn.load(model, backend)) {
            SamplePng.write(dbn.sample(chains, steps, seed), chains, dbn.sizes()[0], null, png);
        }
        SampleRun run = new SampleRun(png, chains, steps, (System.nanoTime() - start) * 1e-9);
        new JsonOrText(spec, common).result(run.json(), out -> out.printf(Locale.ROOT,
                "%d samples (%d Gibbs steps in the top RBM) written to %s in %.1f s%n", chains, steps, png, run.seconds()));
        return 0;
    }
}
