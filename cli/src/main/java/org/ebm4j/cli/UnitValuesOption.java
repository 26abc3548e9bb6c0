package org.ebm4j.cli;

import org.ebm4j.boltzmann.UnitValues;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --unit-values binary|spin}: the values of a Boltzmann machine's units, {0,1} or {-1,+1}. */
final class UnitValuesOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--unit-values", paramLabel = "binary|spin",
            description = "Unit values {0,1} or {-1,+1} (default: ${DEFAULT-VALUE}).")
    String values = "binary";

    /** The values given; a usage error naming the flag otherwise. */
    UnitValues value() {
        return FlagChecks.parse(spec, "--unit-values", () -> UnitValues.parse(values));
    }
}
