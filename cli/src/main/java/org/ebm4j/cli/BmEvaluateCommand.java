package org.ebm4j.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ebm4j.boltzmann.BarsAndStripes;
import org.ebm4j.boltzmann.BoltzmannMachine;
import org.ebm4j.boltzmann.EmpiricalDistribution;
import org.ebm4j.boltzmann.ExactBoltzmann;
import org.ebm4j.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ebm bm evaluate}: exact log Z, log-likelihood and data mass of a small machine, by enumeration. */
@Command(name = "evaluate",
        description = "Evaluate a Boltzmann machine exactly by enumerating its states (at most "
                + ExactBoltzmann.MAX_UNITS + " units): log Z, mean log-likelihood of the data, probability mass on it.")
final class BmEvaluateCommand extends CliCommand {
    @Mixin
    BmModelOption model;

    @Option(names = "--data", paramLabel = "bars-and-stripes|FILE",
            description = "Data to evaluate on (default: bars-and-stripes for a machine trained on it).")
    String data;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("event", "evaluation");
        try (Backend backend = openBackend(); BoltzmannMachine m = model.load(backend)) {
            int n = m.size();
            if (n > ExactBoltzmann.MAX_UNITS) {
                throw new IllegalArgumentException(model.model + ": the machine has " + n + " units; exact evaluation enumerates "
                        + "2^n states and stops at " + ExactBoltzmann.MAX_UNITS);
            }
            int basSide = BmData.sideOf(m);
            String spec0 = data;
            if (spec0 == null) {
                if (basSide == 0) {
                    throw checks.fail("--data is required for a machine not trained on bars-and-stripes");
                }
                spec0 = BarsAndStripes.NAME;
            }
            int side = basSide > 0 ? basSide : (int) Math.round(Math.sqrt(m.visible()));
            BmData d = BmData.load(spec0, side, m.unitValues());
            if (d.cols() != m.visible()) {
                throw checks.fail("--data rows have " + d.cols() + " values but the machine has " + m.visible()
                        + " visible units");
            }
            ExactBoltzmann exact = m.exact();
            EmpiricalDistribution empirical = EmpiricalDistribution.of(d.data(), m.unitValues());
            ev.put("units", n);
            ev.put("data", d.name());
            ev.put("rows", d.rows());
            ev.put("logPartition", exact.logPartition());
            ev.put("logLikelihood", exact.meanLogLikelihood(d.data().values()));
            ev.put("optimumLogLikelihood", empirical.negativeEntropy());
            ev.put(d.isBarsAndStripes() ? "exactValidMass" : "exactDataMass", empirical.massUnder(exact));
        }
        ev.put("seconds", secondsSince(t0));
        output().event(ev);
        return 0;
    }
}
