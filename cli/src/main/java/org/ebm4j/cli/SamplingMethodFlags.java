package org.ebm4j.cli;

import org.ebm4j.tempering.TemperatureLadder;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * How {@code ebm rbm sample} and {@code ebm dbm sample} draw: {@code --method gibbs|pt} with the
 * {@link TemperingFlags} of parallel tempering ({@link TemperedSampleCommand}).
 */
public final class SamplingMethodFlags {
    @Option(names = "--method", paramLabel = "gibbs|pt", defaultValue = "gibbs",
            description = "Block Gibbs sampling or parallel tempering, one sweep and one swap round per step "
                    + "(default: ${DEFAULT-VALUE}).")
    String method;

    @Mixin
    TemperingFlags tempering;

    /** Whether {@code --method pt}; a usage error for anything but {@code gibbs} or {@code pt}. */
    public boolean tempered(CommandSpec spec) {
        if (!method.equals("gibbs") && !method.equals("pt")) {
            throw FlagChecks.error(spec, "--method must be gibbs or pt, found '" + method + "'");
        }
        return method.equals("pt");
    }

    /** {@code --betas}, checked against {@code --replicas}. */
    public TemperatureLadder ladder(CommandSpec spec) {
        return tempering.checkedLadder(spec);
    }

    /** {@code --replicas}. */
    public int replicas(CommandSpec spec) {
        return tempering.replicas(spec);
    }
}
