package org.ebm4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ebm4j.boltzmann.NetworkFile;
import org.ebm4j.boltzmann.UnitValues;
import org.ebm4j.data.Dataset;
import org.ebm4j.hopfield.AsynchronousRecall;
import org.ebm4j.hopfield.HopfieldNetwork;
import org.ebm4j.hopfield.LearningRule;
import org.ebm4j.hopfield.RecallResult;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.ebm4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ebm hopfield store}: patterns from a CSV into a network file, optionally added to an existing one. */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = "Store binary patterns (CSV rows of 0/1 or -1/+1) in a Hopfield network and write its weights.")
final class HopfieldStoreCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--patterns", required = true, paramLabel = "FILE",
            description = "CSV of patterns, one per row, all 0/1 or all -1/+1.")
    Path patterns;

    @Option(names = "--rule", defaultValue = "storkey", paramLabel = "hebb|storkey|pseudo-inverse",
            description = "Learning rule (default: ${DEFAULT-VALUE}).")
    String rule;

    @Option(names = "--add-to", paramLabel = "NET",
            description = "Add the patterns to this existing network file (Hebb and Storkey rules) instead of an empty network.")
    Path addTo;

    @Option(names = "--out", required = true, paramLabel = "NET", description = "Network file to write.")
    Path out;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1", description = "Seed of the fixed-point check's unit order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        FlagChecks checks = new FlagChecks(spec);
        LearningRule r = checks.parse("--rule", () -> LearningRule.parse(rule));
        if (addTo != null && r == LearningRule.PSEUDO_INVERSE) {
            throw checks.fail("--add-to cannot be combined with --rule pseudo-inverse: the file keeps W without the "
                    + "projector's diagonal, so store all patterns in one call");
        }
        String backendName = common.backendName(spec);
        Dataset data = BinaryRows.read(patterns, UnitValues.SPIN);
        int n = data.cols();
        NetworkFile base = null;
        int previously = 0;
        if (addTo != null) {
            base = NetworkFile.read(addTo);
            if (base.units() != n) {
                throw checks.fail("--add-to network has " + base.units() + " units but --patterns rows have " + n);
            }
            previously = base.header().containsKey("patterns") ? base.intValue(addTo, "patterns") : 0;
        }
        EventPrinter printer = new EventPrinter(spec.commandLine().getOut(), common.json());
        long t0 = System.nanoTime();
        try (Backend backend = Backends.select(backendName).backend();
             HopfieldNetwork net = new HopfieldNetwork(backend, n)) {
            if (base != null) {
                base.applyTo(net.couplings());
            }
            net.store(data.values(), r);
            int fixed;
            try (Tensor s = backend.fromArray(data.values(), data.rows(), n)) {
                RecallResult res = new AsynchronousRecall(net, 1).run(s, null, new RandomStream(seed));
                fixed = res.count(org.ebm4j.hopfield.RecallStatus.FIXED_POINT);
            }
            Map<String, String> header = new LinkedHashMap<>();
            header.put("kind", "hopfield");
            header.put("values", "spin");
            header.put("rule", base == null ? r.toString() : base.header().getOrDefault("rule", "unknown") + "+" + r);
            header.put("patterns", Integer.toString(previously + data.rows()));
            NetworkFile.write(out, header, net.couplings());
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("event", "stored");
            ev.put("backend", backend.name());
            ev.put("units", n);
            ev.put("rule", r.toString());
            ev.put("patterns", data.rows());
            ev.put("totalPatterns", previously + data.rows());
            ev.put("load", (double) (previously + data.rows()) / n);
            ev.put("fixedPoints", fixed);
            ev.put("out", out.toString());
            ev.put("seconds", (System.nanoTime() - t0) / 1e9);
            printer.emit(ev);
        }
        return 0;
    }
}
