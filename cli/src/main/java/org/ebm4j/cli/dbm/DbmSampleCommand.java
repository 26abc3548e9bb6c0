package org.ebm4j.cli.dbm;

import java.io.IOException;
import java.nio.file.Path;
import org.ebm4j.cli.ModelSampleCommand;
import org.ebm4j.cli.SamplePng;
import org.ebm4j.cli.SamplingMethodFlags;
import org.ebm4j.dbm.Dbm;
import org.ebm4j.rbm.TemperedSamples;
import org.ebm4j.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ebm dbm sample}: {@link Dbm#load}, then {@link Dbm#sample} (block-Gibbs sweeps of every layer)
 * or {@link Dbm#sampleTempered} (parallel tempering) as a PNG grid.
 */
@Command(name = "sample", sortOptions = false,
        description = "Generate from a DBM: block-Gibbs sweeps (odd layers, then even layers) in many chains, or "
                + "parallel tempering over a ladder of temperatures; writes a PNG grid of p(v | h1).",
        footer = "Example: ebm dbm sample --model dbm-run/model.ebm --chains 64 --steps 1000 --out samples.png")
public final class DbmSampleCommand extends ModelSampleCommand {
    @Mixin
    SamplingMethodFlags method;

    public DbmSampleCommand() {
        super("dbm-samples.png");
    }

    @Override
    protected void draw(Backend backend, int chains, int steps, Path png) throws IOException {
        boolean pt = method.tempered(spec);
        try (Dbm dbm = Dbm.load(model.path(), backend)) {
            int sweeps = Math.max(1, steps);
            float[] pixels;
            if (pt) {
                TemperedSamples t = dbm.sampleTempered(chains, sweeps, method.ladder(spec), method.replicas(spec),
                        seed.value());
                pixels = t.samples().values();
                SamplingMethodFlags.reportSwaps(output(), t);
            } else {
                pixels = dbm.sample(chains, sweeps, seed.value()).values();
            }
            SamplePng.write(pixels, chains, dbm.sizes()[0], null, png);
        }
    }
}
