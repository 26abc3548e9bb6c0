package org.ebm4j.cli.dbm;

import java.io.IOException;
import java.nio.file.Path;
import org.ebm4j.cli.SamplePng;
import org.ebm4j.cli.TemperedSampleCommand;
import org.ebm4j.dbm.Dbm;
import org.ebm4j.rbm.TemperedSamples;
import org.ebm4j.tempering.TemperatureLadder;
import picocli.CommandLine.Command;

/**
 * {@code ebm dbm sample}: {@link Dbm#load}, then {@link Dbm#sample} (block-Gibbs sweeps of every layer)
 * or {@link Dbm#sampleTempered} (parallel tempering), as a PNG grid of {@code p(v | h1)}.
 */
@Command(name = "sample", sortOptions = false,
        description = "Generate from a DBM: block-Gibbs sweeps (odd layers, then even layers) in many chains, or "
                + "parallel tempering over a ladder of temperatures; writes a PNG grid of p(v | h1).",
        footer = "Example: ebm dbm sample --model dbm-run/model.ebm --chains 64 --steps 1000 --out samples.png")
public final class DbmSampleCommand extends TemperedSampleCommand<Dbm> {
    public DbmSampleCommand() {
        super("dbm-samples.png", Dbm::load);
    }

    @Override
    protected void drawGibbs(Dbm dbm, int chains, int steps, Path png) throws IOException {
        SamplePng.write(dbm.sample(chains, Math.max(1, steps), seed.value()).values(), chains, dbm.sizes()[0], null,
                png);
    }

    @Override
    protected TemperedSamples drawTempered(Dbm dbm, int chains, int steps, TemperatureLadder ladder, int replicas,
                                           Path png) throws IOException {
        TemperedSamples t = dbm.sampleTempered(chains, Math.max(1, steps), ladder, replicas, seed.value());
        SamplePng.write(t.samples().values(), chains, dbm.sizes()[0], null, png);
        return t;
    }
}
