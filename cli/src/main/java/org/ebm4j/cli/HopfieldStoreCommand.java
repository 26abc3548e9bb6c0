package org.ebm4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ebm4j.data.CsvReader;
import org.ebm4j.data.Dataset;
import org.ebm4j.hopfield.HopfieldNetwork;
import org.ebm4j.hopfield.HopfieldOptions;
import org.ebm4j.hopfield.LearningRule;
import org.ebm4j.hopfield.RecallOptions;
import org.ebm4j.hopfield.RecallStatus;
import org.ebm4j.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ebm hopfield store}: patterns from a CSV into a network file ({@link HopfieldNetwork#fit}, or
 * {@link HopfieldNetwork#add} to an existing one), with a count of the patterns that are fixed points.
 */
@Command(name = "store",
        description = "Store binary patterns (CSV rows of 0/1 or -1/+1) in a Hopfield network and write its weights "
                + "and the patterns.",
        footer = "Example: ebm hopfield store --patterns patterns.csv --rule storkey --out net.ebm")
final class HopfieldStoreCommand extends CliCommand {
    @Option(names = "--patterns", required = true, paramLabel = "FILE",
            description = "CSV of patterns, one per row, all 0/1 or all -1/+1.")
    Path patterns;

    @Mixin
    LearningRuleOption rule = new LearningRuleOption("storkey");

    @Option(names = "--add-to", paramLabel = "FILE",
            description = "Add the patterns to this existing network file (Hebb and Storkey rules; also the CSV network "
                    + "file of earlier versions) instead of an empty network.")
    Path addTo;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Network file to write (ebm4j model file).")
    Path out;

    @Mixin
    SeedOption seed;

    @Override
    public Integer call() throws Exception {
        FlagChecks.outputFile(spec, "--out", out);
        LearningRule r = rule.parse(checks);
        if (addTo != null && r == LearningRule.PSEUDO_INVERSE) {
            throw checks.fail("--add-to cannot be combined with --rule pseudo-inverse: the file keeps W without the "
                    + "projector's diagonal, so store all patterns in one call");
        }
        Dataset data = new CsvReader().read(patterns);
        int n = data.cols();
        HopfieldOptions options = HopfieldOptions.builder().rule(r).build();
        JsonOrText printer = output();
        long t0 = System.nanoTime();
        try (Backend backend = openBackend();
             HopfieldNetwork net = addTo == null ? HopfieldNetwork.fit(backend, data, options)
                     : HopfieldNetwork.load(addTo, backend)) {
            int previously = 0;
            if (addTo != null) {
                if (net.units() != n) {
                    throw checks.fail("--add-to network has " + net.units() + " units but --patterns rows have " + n);
                }
                previously = net.storedPatterns();
                net.add(data, options);
            }
            int fixed = net.recall(data, RecallOptions.builder().maxSweeps(1).seed(seed.value()).build()).result()
                    .count(RecallStatus.FIXED_POINT);
            net.save(out);
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("backend", backend.name());
            ev.put("units", n);
            ev.put("rule", r.toString());
            ev.put("patterns", data.rows());
            ev.put("total_patterns", previously + data.rows());
            ev.put("load", (double) (previously + data.rows()) / n);
            ev.put("fixed_points", fixed);
            ev.put("out", out.toString());
            ev.put("seconds", secondsSince(t0));
            printer.result("stored", ev);
        }
        return 0;
    }
}
