package org.ebm4j.cli;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ebm4j.boltzmann.BarsAndStripes;
import org.ebm4j.boltzmann.BoltzmannMachine;
import org.ebm4j.boltzmann.EmpiricalDistribution;
import org.ebm4j.boltzmann.ExactBoltzmann;
import org.ebm4j.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ebm bm eval}: exact log Z, log-likelihood and data mass of a small machine, by enumeration. */
@Command(name = "eval",
        description = "Evaluate a Boltzmann machine exactly by enumerating its states (at most "
                + ExactBoltzmann.MAX_UNITS + " units): log Z, mean log-likelihood of the data, probability mass on it.",
        footer = "Example: ebm bm eval --model bas/model.ebm")
class BmEvalCommand extends ModelFileCommand {
    /** The default, bars-and-stripes, only for a machine trained on it. */
    @Mixin
    DataOption data = new DataOption(BarsAndStripes.NAME, EnumSet.of(DataSource.Kind.BUILT_IN, DataSource.Kind.CSV_FILE),
            List.of(BarsAndStripes.NAME));

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        Map<String, Object> ev = new LinkedHashMap<>();
        try (Backend backend = openBackend(); BoltzmannMachine m = BoltzmannMachine.load(model.path(), backend)) {
            int n = m.size();
            if (n > ExactBoltzmann.MAX_UNITS) {
                throw new IllegalArgumentException(model.path() + ": the machine has " + n + " units; exact evaluation enumerates "
                        + "2^n states and stops at " + ExactBoltzmann.MAX_UNITS);
            }
            int basSide = BmData.sideOf(m);
            if (basSide == 0 && !spec.commandLine().getParseResult().hasMatchedOption("--data")) {
                throw checks.fail("--data is required for a machine not trained on bars-and-stripes");
            }
            DataSource source = data.source();
            int side = basSide > 0 ? basSide : (int) Math.round(Math.sqrt(m.visible()));
            BmData d = BmData.load(source, side, m.unitValues());
            if (d.cols() != m.visible()) {
                throw checks.fail("--data rows have " + d.cols() + " values but the machine has " + m.visible()
                        + " visible units");
            }
            ExactBoltzmann exact = m.exact();
            EmpiricalDistribution empirical = EmpiricalDistribution.of(d.data(), m.unitValues());
            ev.put("units", n);
            ev.put("data", d.name());
            ev.put("rows", d.rows());
            ev.put("log_z", exact.logPartition());
            ev.put("log_likelihood", exact.meanLogLikelihood(d.data().values()));
            ev.put("optimum_log_likelihood", empirical.negativeEntropy());
            ev.put(d.isBarsAndStripes() ? "exact_valid_mass" : "exact_data_mass", empirical.massUnder(exact));
        }
        ev.put("seconds", secondsSince(t0));
        output().result("evaluation", ev);
        return 0;
    }
}
