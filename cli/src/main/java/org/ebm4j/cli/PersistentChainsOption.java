package org.ebm4j.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --persistent-chains}: the free-running chains persistent training keeps across updates
 * ({@code ebm rbm train}, {@code dbn train}, {@code bm train}); {@code --chains} means sampling chains
 * everywhere, and is this flag's old spelling only here.
 */
public final class PersistentChainsOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--persistent-chains", paramLabel = "N", description = "Persistent (free-running) chains of PCD, independent of --batch (default: ${DEFAULT-VALUE}).")
    int chains = 100;

    /** The number given, checked positive (a usage error otherwise). */
    public int value() {
        return FlagChecks.positive(spec, "--persistent-chains", chains);
    }
}
