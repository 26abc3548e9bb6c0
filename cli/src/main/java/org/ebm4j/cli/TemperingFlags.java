package org.ebm4j.cli;

import org.ebm4j.tempering.TemperatureLadder;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The parallel-tempering flags that {@code ebm rbm train --method pt} and {@code ebm rbm sample
 * --method pt} share: {@code --replicas} and {@code --betas}.
 */
public final class TemperingFlags {
    @Option(names = "--replicas", paramLabel = "N", defaultValue = "10",
            description = "Parallel tempering: temperatures per chain (default: ${DEFAULT-VALUE}).")
    int replicas;

    @Option(names = "--betas", paramLabel = "geometric:MIN|1,B1,...", defaultValue = "geometric:0.1",
            description = "Parallel tempering: inverse temperatures, geometric from 1 down to MIN or a list starting "
                    + "at 1 with --replicas entries (default: ${DEFAULT-VALUE}).")
    String betas;

    /** {@code --replicas}, checked to be at least 2. */
    public int replicas(CommandSpec spec) {
        return FlagChecks.atLeast(spec, "--replicas", replicas, 2);
    }

    /** {@code --betas}, parsed; a usage error naming the flag when malformed. */
    public TemperatureLadder ladder(CommandSpec spec) {
        return FlagChecks.parse(spec, "--betas", () -> TemperatureLadder.parse(betas));
    }

    /** The ladder checked against {@code --replicas}: a usage error when an explicit list has another length. */
    public TemperatureLadder checkedLadder(CommandSpec spec) {
        TemperatureLadder ladder = ladder(spec);
        int m = replicas(spec);
        FlagChecks.parse(spec, "--replicas", () -> ladder.betas(m));
        return ladder;
    }
}
