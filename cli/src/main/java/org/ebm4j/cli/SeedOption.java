package org.ebm4j.cli;

import picocli.CommandLine.Option;

/**
 * {@code --seed}: the seed every random stream of a command derives from (through its
 * {@link org.ebm4j.random.StreamId}), 1 unless given. Mixed into each command that draws at random.
 */
public final class SeedOption {
    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of every random stream (default: ${DEFAULT-VALUE}).")
    long seed;

    /** The seed given, or 1. */
    public long value() {
        return seed;
    }
}
