package org.ebm4j.cli.dbn;

import java.io.IOException;
import java.nio.file.Path;
import org.ebm4j.cli.ModelSampleCommand;
import org.ebm4j.cli.SamplePng;
import org.ebm4j.dbn.Dbn;
import picocli.CommandLine.Command;

/**
 * {@code ebm dbn sample}: {@link Dbn#load}, then {@link Dbn#sample} (Gibbs sampling in the top RBM, a
 * top-down pass) as a PNG grid.
 */
@Command(name = "sample", sortOptions = false,
        description = {"Generate from a DBN: Gibbs sampling in the top RBM (many chains), then a top-down pass; "
                + "writes a PNG grid."},
        footer = "Example: ebm dbn sample --model dbn-run/model.ebm --chains 100 --out dbn-samples.png")
public final class DbnSampleCommand extends ModelSampleCommand<Dbn> {
    public DbnSampleCommand() {
        super("dbn-samples.png", Dbn::load);
    }

    @Override
    protected void draw(Dbn dbn, int chains, int steps, Path png) throws IOException {
        SamplePng.write(dbn.sample(chains, steps, seed.value()), chains, dbn.sizes()[0], null, png);
    }
}
