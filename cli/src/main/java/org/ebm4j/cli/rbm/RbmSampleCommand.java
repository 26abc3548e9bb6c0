package org.ebm4j.cli.rbm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ebm4j.cli.FlagChecks;
import org.ebm4j.cli.ModelSampleCommand;
import org.ebm4j.cli.TemperingFlags;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.TemperedSamples;
import org.ebm4j.tempering.TemperatureLadder;
import org.ebm4j.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ebm rbm sample}: Gibbs or parallel-tempering samples from a model as a PNG grid. */
@Command(name = "sample", sortOptions = false,
        description = {"Draw samples from an RBM by block Gibbs sampling or parallel tempering and write them as a "
                + "PNG grid."},
        footer = "Example: ebm rbm sample --model rbm-run/model.ebm --chains 64 --steps 1000 --out samples.png")
public final class RbmSampleCommand extends ModelSampleCommand {
    @Option(names = "--method", paramLabel = "gibbs|pt", defaultValue = "gibbs",
            description = "Block Gibbs sampling or parallel tempering, one sweep and one swap round per step "
                    + "(default: ${DEFAULT-VALUE}).")
    String method;

    @Mixin
    TemperingFlags tempering;

    public RbmSampleCommand() {
        super("samples.png");
    }

    @Override
    protected void draw(Backend backend, int chains, int steps, Path png) throws IOException {
        if (!method.equals("gibbs") && !method.equals("pt")) {
            throw FlagChecks.error(spec, "--method must be gibbs or pt, found '" + method + "'");
        }
        boolean pt = method.equals("pt");
        TemperatureLadder ladder = pt ? tempering.checkedLadder(spec) : null;
        int replicas = pt ? tempering.replicas(spec) : 0;
        try (Rbm rbm = Rbm.load(model.path(), backend)) {
            rbm.requireSampleMemory(pt ? (long) chains * replicas : chains);
            if (!pt) {
                ModelPictures.writeSamples(rbm, chains, steps, seed.value(), png);
                return;
            }
            TemperedSamples t = rbm.sampleTempered(chains, steps, ladder, replicas, seed.value());
            ModelPictures.writeSamples(t.samples(), rbm, chains, png);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("betas", t.betas());
            m.put("swap_rates", t.swapRates());
            output().progress("swap_rates", m);
        }
    }
}
