package org.ebm4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ebm4j.hopfield.CapacityExperiment;
import org.ebm4j.hopfield.LearningRule;
import org.ebm4j.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ebm hopfield capacity}: the exact-recall fraction and mean overlap against the load P/N, one
 * {@link CapacityExperiment#measure} per rule and load (each a function of the seed and P alone).
 */
@Command(name = "capacity",
        description = "Measure storage capacity: random patterns, cues with a fraction of bits flipped, the fraction "
                + "recalled exactly and the mean overlap, per learning rule and load P/N.",
        footer = "Example: ebm hopfield capacity --units 500 --rules hebb,storkey,pseudo-inverse")
final class HopfieldCapacityCommand extends CliCommand {
    @Option(names = "--units", defaultValue = "1000", paramLabel = "N", description = "Network size (default: ${DEFAULT-VALUE}).")
    int units;

    @Option(names = "--loads", defaultValue = "0.05,0.075,0.1,0.125,0.138,0.15,0.175,0.2,0.225,0.25", split = ",",
            paramLabel = "P/N", description = "Loads to measure (default: ${DEFAULT-VALUE}).")
    List<Double> loads;

    @Option(names = "--rules", defaultValue = "hebb,storkey", split = ",", paramLabel = "RULE",
            description = "Learning rules: hebb, storkey, pseudo-inverse (default: ${DEFAULT-VALUE}).")
    List<String> rules;

    @Mixin
    CueFlipOption flip = new CueFlipOption(0.1);

    @Option(names = "--trials", defaultValue = "3", paramLabel = "N",
            description = "Independent networks per load (default: ${DEFAULT-VALUE}).")
    int trials;

    @Mixin
    RecallDynamics recall;

    @Mixin
    SeedOption seed;

    @Override
    public Integer call() {
        checks.atLeast("--units", units, 2);
        double flipped = flip.value(checks);
        checks.atLeast("--trials", trials, 1);
        List<Integer> patternCounts = new ArrayList<>();
        for (Double load : loads) {
            if (load == null || !(load > 0) || load > 1) {
                throw checks.fail("--loads values must lie in (0, 1] but one was " + load);
            }
            patternCounts.add(Math.max(1, (int) Math.round(load * units)));
        }
        List<LearningRule> ruleList = new ArrayList<>();
        for (String r : rules) {
            ruleList.add(checks.parse("--rules", () -> LearningRule.parse(r)));
        }
        String dynamics = recall.validate(checks);
        CapacityExperiment.requireMemory(units, patternCounts.stream().mapToInt(Integer::intValue).max().orElse(1));
        JsonOrText printer = output();
        try (Backend backend = openBackend()) {
            Map<String, Object> setup = new LinkedHashMap<>();
            setup.put("backend", backend.name());
            setup.put("units", units);
            setup.put("flip", flipped);
            setup.put("dynamics", dynamics);
            setup.put("trials", trials);
            printer.progress("start", setup);
            CapacityExperiment exp = new CapacityExperiment(backend, units, flipped, recall.options(seed.value()));
            bar = common.showsProgress()
                    ? ProgressBarListener.bar("capacity", (long) ruleList.size() * patternCounts.size(), "loads") : null;
            for (LearningRule rule : ruleList) {
                for (int p : patternCounts) {
                    CapacityExperiment.Row row = exp.measure(rule, p, trials);
                    Map<String, Object> ev = new LinkedHashMap<>();
                    ev.put("rule", rule.toString());
                    ev.put("load", row.load());
                    ev.put("patterns", p);
                    ev.put("cues", row.cues());
                    ev.put("exact_fraction", row.exactFraction());
                    ev.put("mean_overlap", row.meanOverlap());
                    ev.put("overlap_std_err", row.overlapStdErr());
                    ev.put("mean_sweeps", row.meanIterations());
                    ev.put("settled_fraction", row.settledFraction());
                    ev.put("seconds", row.seconds());
                    printer.row("capacity", ev);
                    if (bar != null) {
                        bar.step();
                    }
                }
            }
        }
        if (bar != null) {
            bar.close();
        }
        return 0;
    }

    private me.tongfei.progressbar.ProgressBar bar;
}
