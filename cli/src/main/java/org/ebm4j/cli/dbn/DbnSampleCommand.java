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
import org.ebm4j.data.Standardization;
import org.ebm4j.dbn.Dbn;
import org.ebm4j.dbn.DbnModelFile;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.ebm4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ebm dbn sample}: Gibbs sampling in the top RBM, a top-down pass, a PNG grid. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Generate from a DBN: Gibbs sampling in the top RBM (many chains), then a top-down pass; "
                + "writes a PNG grid.")
public final class DbnSampleCommand implements Callable<Integer> {
    /** The stream id generation draws from. */
    static final int SAMPLE_STREAM = 15;

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

    /**
     * Draws {@code chains} samples (each chain starts from the data's mean image, or 0.5 without one,
     * passed up to the top RBM) and writes their visible means as a grid, undoing {@code st} (may be null).
     */
    static void writeSamples(Dbn dbn, int chains, int steps, float[] means, Standardization st, long seed, Path png)
            throws IOException {
        int nv = dbn.sizes()[0];
        float[] start = new float[chains * nv];
        for (int i = 0; i < start.length; i++) {
            start[i] = means == null ? 0.5f : means[i % nv];
        }
        float[] v;
        try (Tensor s = dbn.backend().fromArray(start, chains, nv)) {
            v = dbn.generate(s, steps, new RandomStream(seed, SAMPLE_STREAM));
        }
        SamplePng.write(v, chains, nv, st, png);
    }

    @Override
    public Integer call() throws IOException {
        FlagChecks.positive(spec, "--chains", chains);
        FlagChecks.nonNegative(spec, "--steps", steps);
        String backendName = common.backendName(spec);
        DbnModelFile mf = DbnModelFile.read(model);
        long start = System.nanoTime();
        try (Backend backend = Backends.select(backendName).backend(); Dbn dbn = Dbn.of(backend, mf.stack())) {
            writeSamples(dbn, chains, steps, mf.visibleMeans(), mf.standardization(), seed, png);
        }
        SampleRun run = new SampleRun(png, chains, steps, (System.nanoTime() - start) * 1e-9);
        new JsonOrText(spec, common).result(run.json(), out -> out.printf(Locale.ROOT,
                "%d samples (%d Gibbs steps in the top RBM) written to %s in %.1f s%n", chains, steps, png, run.seconds()));
        return 0;
    }
}
