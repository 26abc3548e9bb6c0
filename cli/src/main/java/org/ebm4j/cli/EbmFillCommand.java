package org.ebm4j.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ebm4j.data.CsvReader;
import org.ebm4j.data.Dataset;
import org.ebm4j.energy.EnergyModel;
import org.ebm4j.hmc.HmcOptions;
import org.ebm4j.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ebm energy fill}: fills in the missing entries of a CSV file (empty, NA, NaN or ?) from a trained
 * energy model by their posterior mean under the model ({@link EnergyModel#fillMissing}: conditional HMC
 * chains per row, their draws averaged) and writes the completed rows as CSV.
 */
@Command(name = "fill", sortOptions = false,
        description = {"Fill in the missing entries (empty, NA, NaN, ?) of a CSV file from a trained energy model:",
                "their posterior mean, the average of --chains conditional HMC chains per row over --draws transitions."},
        footer = "Example: ebm energy fill --model energy-run/model.ebm --data partial.csv --out filled.csv")
final class EbmFillCommand extends CliCommand {
    @Mixin
    ModelFileOption model;

    /** Only a CSV file, which can mark entries as missing; no default. */
    @Mixin
    DataOption data = new DataOption(null, EnumSet.of(DataSource.Kind.CSV_FILE), List.of());

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Where the completed rows go.")
    Path out;

    /** {@link EnergyModel#fillOptions()}: 4 chains per row, 50 warm-up and 20 kept transitions. */
    @Mixin
    HmcRunFlags run = new HmcRunFlags(EnergyModel.fillOptions());

    @Mixin
    SeedOption seed;

    @Override
    public Integer call() throws IOException {
        HmcOptions options = run.options(spec, EnergyModel.fillOptions(), b -> b.seed(seed.value()), 1,
                "the fill is their average");
        if (data.data == null) {
            throw FlagChecks.error(spec, "--data is required: the CSV file of rows with missing entries");
        }
        FlagChecks.outputFile(spec, "--out", out);
        Dataset partial = new CsvReader().withMissingValues().read(data.source().path());
        int missing = 0;
        for (float v : partial.values()) {
            missing += Float.isNaN(v) ? 1 : 0;
        }
        long start = System.nanoTime();
        try (Backend backend = openBackend(); EnergyModel m = EnergyModel.load(model.path(), backend)) {
            Dataset filled = m.fillMissing(partial, options);
            write(filled);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("rows", filled.rows());
            r.put("missing", missing);
            r.put("out", out.toString());
            r.put("seconds", secondsSince(start));
            output().result("filled", r);
        }
        return 0;
    }

    private void write(Dataset d) throws IOException {
        float[] v = d.values();
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (int r = 0; r < d.rows(); r++) {
                StringBuilder line = new StringBuilder();
                for (int c = 0; c < d.cols(); c++) {
                    line.append(c == 0 ? "" : ",").append(v[r * d.cols() + c]);
                }
                w.write(line.toString());
                w.newLine();
            }
        }
    }
}
