package org.ebm4j.cli.rbm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.ebm4j.cli.BinaryRows;
import org.ebm4j.cli.FlagChecks;
import org.ebm4j.cli.TemperedSampleCommand;
import org.ebm4j.data.Dataset;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.TemperedSamples;
import org.ebm4j.tempering.TemperatureLadder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ebm rbm sample}: Gibbs or parallel-tempering samples from a model as a PNG grid and, with
 * {@code --samples-csv}, as data rows.
 */
@Command(name = "sample", sortOptions = false,
        description = {"Draw samples from an RBM by block Gibbs sampling or parallel tempering and write them as a "
                + "PNG grid (and, with --samples-csv, as CSV rows)."},
        footer = "Example: ebm rbm sample --model rbm-run/model.ebm --chains 64 --steps 1000 --out samples.png")
public final class RbmSampleCommand extends TemperedSampleCommand<Rbm> {
    @Option(names = "--samples-csv", paramLabel = "FILE", description = "Also write the samples as CSV rows, one per "
            + "chain (what ebm dbn eval --data reads to judge their classes).")
    Path csv;

    public RbmSampleCommand() {
        super("samples.png", Rbm::load);
    }

    /** The picture, and the rows when {@code --samples-csv} is given. */
    private void write(Dataset samples, Rbm rbm, int chains, Path png) throws IOException {
        ModelPictures.writeSamples(samples, rbm, chains, png);
        if (csv != null) {
            BinaryRows.write(csv, samples.values(), rbm.visible());
        }
    }

    /** The rows' file, {@code samples_csv}, when {@code --samples-csv} is given. */
    @Override
    protected void reportOtherFiles(Map<String, Object> result) {
        if (csv != null) {
            result.put("samples_csv", csv.toString());
        }
    }

    @Override
    protected void checkDrawingFlags() {
        super.checkDrawingFlags();
        FlagChecks.outputFile(spec, "--samples-csv", csv);
    }

    @Override
    protected void drawGibbs(Rbm rbm, int chains, int steps, Path png) throws IOException {
        rbm.requireSampleMemory(chains);
        write(rbm.sample(chains, steps, seed.value()), rbm, chains, png);
    }

    @Override
    protected TemperedSamples drawTempered(Rbm rbm, int chains, int steps, TemperatureLadder ladder, int replicas,
                                           Path png) throws IOException {
        rbm.requireSampleMemory((long) chains * replicas);
        TemperedSamples t = rbm.sampleTempered(chains, steps, ladder, replicas, seed.value());
        write(t.samples(), rbm, chains, png);
        return t;
    }
}
