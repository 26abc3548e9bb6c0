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

    @Option(names = "--persistent-chains", paramLabel = "N", defaultValue = "100",
            description = "Persistent (free-running) chains of PCD, independent of --batch (default: ${DEFAULT-VALUE}).")
    int chains;

    @Option(names = "--chains", paramLabel = "N", hidden = true, description = "Old spelling of --persistent-chains.")
    void oldSpelling(int n) {
        OldSpelling.warn(spec, "--chains", "--persistent-chains");
        chains = n;
    }

    /** The number given, checked positive (a usage error otherwise). */
    public int value() {
        return FlagChecks.positive(spec, "--persistent-chains", chains);
    }
}
