package org.ebm4j.cli.dbn;

import java.io.IOException;
import java.nio.file.Path;
import org.ebm4j.cli.ModelSampleCommand;
import org.ebm4j.cli.SamplePng;
import org.ebm4j.dbn.Dbn;
import org.ebm4j.tensor.Backend;
import picocli.CommandLine.Command;

/**
 * {@code ebm dbn sample}: {@link Dbn#load}, then {@link Dbn#sample} (Gibbs sampling in the top RBM, a
 * top-down pass) as a PNG grid.
 */
@Command(name = "sample", sortOptions = false,
        description = {"Generate from a DBN: Gibbs sampling in the top RBM (many chains), then a top-down pass; "
                + "writes a PNG grid."},
        footer = "Example: ebm dbn sample --model dbn-run/model.ebm --chains 100 --out dbn-samples.png")
public final class DbnSampleCommand extends ModelSampleCommand {
    public DbnSampleCommand() {
        super("dbn-samples.png");
    }

    @Override
    protected void draw(Backend backend, int chains, int steps, Path png) throws IOException {
        try (Dbn dbn = Dbn.load(model.path(), backend)) {
            SamplePng.write(dbn.sample(chains, steps, seed.value()), chains, dbn.sizes()[0], null, png);
        }
    }
}
