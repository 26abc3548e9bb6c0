package org.ebm4j.cli;

import picocli.CommandLine.Option;

/**
 * {@code --persistent-chains}: the free-running chains persistent training keeps across updates
 * ({@code ebm rbm train}, {@code dbn train}, {@code bm train}); {@code --chains} means sampling chains
 * everywhere, and is this flag's old spelling only here.
 */
public final class PersistentChainsOption {
    @Option(names = "--persistent-chains", paramLabel = "N", description = "Persistent (free-running) chains of PCD, independent of --batch (default: ${DEFAULT-VALUE}).")
    int chains = 100;

    /**
     * The number given, unchecked: its range is the one the options record it sets declares, refused as
     * this flag's usage error when the record is built.
     */
    public int value() {
        return chains;
    }
}
