package org.ebm4j.cli.rbm;

import java.io.IOException;
import java.nio.file.Path;
import org.ebm4j.cli.TemperedSampleCommand;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.TemperedSamples;
import org.ebm4j.tempering.TemperatureLadder;
import picocli.CommandLine.Command;

/** {@code ebm rbm sample}: Gibbs or parallel-tempering samples from a model as a PNG grid. */
@Command(name = "sample", sortOptions = false,
        description = {"Draw samples from an RBM by block Gibbs sampling or parallel tempering and write them as a "
                + "PNG grid."},
        footer = "Example: ebm rbm sample --model rbm-run/model.ebm --chains 64 --steps 1000 --out samples.png")
public final class RbmSampleCommand extends TemperedSampleCommand<Rbm> {
    public RbmSampleCommand() {
        super("samples.png", Rbm::load);
    }

    @Override
    protected void drawGibbs(Rbm rbm, int chains, int steps, Path png) throws IOException {
        rbm.requireSampleMemory(chains);
        ModelPictures.writeSamples(rbm, chains, steps, seed.value(), png);
    }

    @Override
    protected TemperedSamples drawTempered(Rbm rbm, int chains, int steps, TemperatureLadder ladder, int replicas,
                                           Path png) throws IOException {
        rbm.requireSampleMemory((long) chains * replicas);
        TemperedSamples t = rbm.sampleTempered(chains, steps, ladder, replicas, seed.value());
        ModelPictures.writeSamples(t.samples(), rbm, chains, png);
        return t;
    }
}
