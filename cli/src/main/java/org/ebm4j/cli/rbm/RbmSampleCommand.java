package org.ebm4j.cli.rbm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ebm4j.cli.CommonOptions;
import org.ebm4j.cli.FlagChecks;
import org.ebm4j.cli.JsonOrText;
import org.ebm4j.cli.SampleRun;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ebm rbm sample}: Gibbs samples from a model as a PNG grid. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draw samples from an RBM by block Gibbs sampling and write them as a PNG grid.")
public final class RbmSampleCommand implements Callable<Integer> {
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
        try (Backend backend = Backends.select(backendName).backend(); Rbm rbm = Rbm.load(model, backend)) {
            ModelPictures.writeSamples(rbm, chains, steps, seed, png);
        }
        SampleRun run = new SampleRun(png, chains, steps, (System.nanoTime() - start) * 1e-9);
        new JsonOrText(spec, common).result(run.json(), out -> out.printf(Locale.ROOT,
                "%d samples (%d Gibbs steps each) written to %s in %.1f s%n", chains, steps, png, run.seconds()));
        return 0;
    }
}
