package org.ebm4j.cli.rbm;

import java.io.IOException;
import org.ebm4j.cli.CliCommand;
import org.ebm4j.cli.ModelFileOption;
import org.ebm4j.cli.SampleFlags;
import org.ebm4j.cli.SeedOption;
import org.ebm4j.rbm.Rbm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ebm rbm sample}: Gibbs samples from a model as a PNG grid. */
@Command(name = "sample", sortOptions = false,
        description = "Draw samples from an RBM by block Gibbs sampling and write them as a PNG grid.")
public final class RbmSampleCommand extends CliCommand {
    @Mixin
    ModelFileOption model;

    @Mixin
    SampleFlags sampling = new SampleFlags("samples.png");

    @Mixin
    SeedOption seed;

    @Override
    public Integer call() throws IOException {
        return sampling.run(this, (backend, chains, steps, png) -> {
            try (Rbm rbm = Rbm.load(model.path(), backend)) {
                ModelPictures.writeSamples(rbm, chains, steps, seed.value(), png);
            }
        });
    }
}
