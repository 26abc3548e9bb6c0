package org.ebm4j.cli.dbm;

import java.io.IOException;
import java.nio.file.Path;
import org.ebm4j.cli.ModelSampleCommand;
import org.ebm4j.cli.SamplePng;
import org.ebm4j.dbm.Dbm;
import org.ebm4j.tensor.Backend;
import picocli.CommandLine.Command;

/** {@code ebm dbm sample}: {@link Dbm#load}, then {@link Dbm#sample} (block-Gibbs sweeps of every layer) as a PNG grid. */
@Command(name = "sample", sortOptions = false,
        description = "Generate from a DBM: block-Gibbs sweeps (odd layers, then even layers) in many chains; "
                + "writes a PNG grid of p(v | h1).",
        footer = "Example: ebm dbm sample --model dbm-run/model.ebm --chains 64 --steps 1000 --out samples.png")
public final class DbmSampleCommand extends ModelSampleCommand {
    public DbmSampleCommand() {
        super("dbm-samples.png");
    }

    @Override
    protected void draw(Backend backend, int chains, int steps, Path png) throws IOException {
        try (Dbm dbm = Dbm.load(model.path(), backend)) {
            SamplePng.write(dbm.sample(chains, Math.max(1, steps), seed.value()).values(), chains, dbm.sizes()[0],
                    null, png);
        }
    }
}
