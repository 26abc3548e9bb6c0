package org.ebm4j.cli.dbm;

import java.io.IOException;
import org.ebm4j.cli.CliCommand;
import org.ebm4j.cli.ModelFileOption;
import org.ebm4j.cli.SampleFlags;
import org.ebm4j.cli.SamplePng;
import org.ebm4j.cli.SeedOption;
import org.ebm4j.dbm.Dbm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ebm dbm sample}: {@link Dbm#load}, then {@link Dbm#sample} (block-Gibbs sweeps of every layer) as a PNG grid. */
@Command(name = "sample", sortOptions = false,
        description = "Generate from a DBM: block-Gibbs sweeps (odd layers, then even layers) in many chains; "
                + "writes a PNG grid of p(v | h1).")
public final class DbmSampleCommand extends CliCommand {
    @Mixin
    ModelFileOption model;

    @Mixin
    SampleFlags sampling = new SampleFlags("dbm-samples.png");

    @Mixin
    SeedOption seed;

    @Override
    public Integer call() throws IOException {
        return sampling.run(this, "each", (backend, chains, steps, png) -> {
            try (Dbm dbm = Dbm.load(model.path(), backend)) {
                SamplePng.write(dbm.sample(chains, Math.max(1, steps), seed.value()).values(), chains, dbm.sizes()[0],
                        null, png);
            }
        });
    }
}
