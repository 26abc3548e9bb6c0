package org.ebm4j.cli.rbm;

import java.io.IOException;
import java.nio.file.Path;
import org.ebm4j.cli.ModelSampleCommand;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.tensor.Backend;
import picocli.CommandLine.Command;

/** {@code ebm rbm sample}: Gibbs samples from a model as a PNG grid. */
@Command(name = "sample", sortOptions = false,
        description = {"Draw samples from an RBM by block Gibbs sampling and write them as a PNG grid."},
        footer = "Example: ebm rbm sample --model rbm-run/model.ebm --chains 64 --steps 1000 --out samples.png")
public final class RbmSampleCommand extends ModelSampleCommand {
    public RbmSampleCommand() {
        super("samples.png");
    }

    @Override
    protected void draw(Backend backend, int chains, int steps, Path png) throws IOException {
        try (Rbm rbm = Rbm.load(model.path(), backend)) {
            ModelPictures.writeSamples(rbm, chains, steps, seed.value(), png);
        }
    }
}
