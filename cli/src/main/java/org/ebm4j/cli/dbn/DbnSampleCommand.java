package org.ebm4j.cli.dbn;

import java.io.IOException;
import org.ebm4j.cli.CliCommand;
import org.ebm4j.cli.ModelFileOption;
import org.ebm4j.cli.SampleFlags;
import org.ebm4j.cli.SeedOption;
import org.ebm4j.cli.SamplePng;
import org.ebm4j.dbn.Dbn;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ebm dbn sample}: {@link Dbn#load}, then {@link Dbn#sample} (Gibbs sampling in the top RBM, a
 * top-down pass) as a PNG grid.
 */
@Command(name = "sample", sortOptions = false,
        description = "Generate from a DBN: Gibbs sampling in the top RBM (many chains), then a top-down pass; "
                + "writes a PNG grid.")
public final class DbnSampleCommand extends CliCommand {
    @Mixin
    ModelFileOption model;

    @Mixin
    SampleFlags sampling = new SampleFlags("dbn-samples.png");

    @Mixin
    SeedOption seed;

    @Override
    public Integer call() throws IOException {
        return sampling.run(this, (backend, chains, steps, png) -> {
            try (Dbn dbn = Dbn.load(model.path(), backend)) {
                SamplePng.write(dbn.sample(chains, steps, seed.value()), chains, dbn.sizes()[0], null, png);
            }
        });
    }
}
