package org.ebm4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ebm4j.boltzmann.BoltzmannMachine;
import org.ebm4j.boltzmann.ExactBoltzmann;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ebm bm evaluate}: exact log Z, log-likelihood and data mass of a small machine, by enumeration. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a Boltzmann machine exactly by enumerating its states (at most "
                + ExactBoltzmann.MAX_UNITS + " units): log Z, mean log-likelihood of the data, probability mass on it.")
final class BmEvaluateCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Machine file from 'ebm bm train --out'.")
    Path model;

    @Option(names = "--data", paramLabel = "bars-and-stripes|FILE",
            description = "Data to evaluate on (default: bars-and-stripes for a machine trained on it).")
    String data;

    @Override
    public Integer call() throws Exception {
        FlagChecks checks = new FlagChecks(spec);
        String backendName = common.backendName(spec);
        BmModelFile mf = BmModelFile.read(model);
        int n = mf.visible() + mf.hidden();
        if (n > ExactBoltzmann.MAX_UNITS) {
            throw new IllegalArgumentException(model + ": the machine has " + n + " units; exact evaluation enumerates "
                    + "2^n states and stops at " + ExactBoltzmann.MAX_UNITS);
        }
        String spec0 = data;
        if (spec0 == null) {
            if (mf.basSide() == 0) {
                throw checks.fail("--data is required for a machine not trained on bars-and-stripes");
            }
            spec0 = BmData.BARS_AND_STRIPES;
        }
        int side = mf.basSide() > 0 ? mf.basSide() : (int) Math.round(Math.sqrt(mf.visible()));
        BmData d = BmData.load(spec0, side, mf.units());
        if (d.cols() != mf.visible()) {
            throw checks.fail("--data rows have " + d.cols() + " values but the machine has " + mf.visible() + " visible units");
        }
        EventPrinter printer = new EventPrinter(spec.commandLine().getOut(), common.json());
        long t0 = System.nanoTime();
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("event", "evaluation");
        try (Backend backend = Backends.select(backendName).backend(); BoltzmannMachine m = mf.load(backend)) {
            ExactBoltzmann exact = m.exact();
            ev.put("units", n);
            ev.put("data", d.name());
            ev.put("rows", d.rows());
            ev.put("logPartition", exact.logPartition());
            ev.put("logLikelihood", exact.meanLogLikelihood(d.values()));
            ev.put("optimumLogLikelihood", d.optimumLogLikelihood());
            if (mf.visible() <= ExactBoltzmann.MAX_UNITS_FOR_ARRAYS) {
                ev.put(d.isBarsAndStripes() ? "exactValidMass" : "exactDataMass", d.exactDataMass(exact));
            }
        }
        ev.put("seconds", (System.nanoTime() - t0) / 1e9);
        printer.emit(ev);
        return 0;
    }
}
