package org.ebm4j.cli;

import picocli.CommandLine.Option;

/** {@code --seed}: the seed of a command's random streams, 1 unless given. */
public final class SeedOption {
    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    /** The seed given, or 1. */
    public long value() {
        return seed;
    }
}
