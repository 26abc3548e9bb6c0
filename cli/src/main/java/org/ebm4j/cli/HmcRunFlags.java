package org.ebm4j.cli;

import java.util.function.UnaryOperator;
import org.ebm4j.hmc.HmcOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The flags of a command that runs HMC chains ({@code ebm hmc sample}, {@code ebm energy fill}):
 * {@code --chains}, {@code --warmup}, {@code --draws}, {@code --leapfrog-steps} and the step-size flags
 * of {@link HmcFlags}, each defaulting to the command's {@link HmcOptions}, whose table declares their
 * ranges.
 */
public final class HmcRunFlags {
    /** Its initial value, which each command chooses, is the default. */
    @Option(names = "--chains", paramLabel = "N", description = "Chains run in parallel (default: ${DEFAULT-VALUE}).")
    int chains;

    /** Its initial value, which each command chooses, is the default. */
    @Option(names = "--warmup", paramLabel = "N", description = "Warm-up transitions per chain, not kept (default: ${DEFAULT-VALUE}).")
    int warmup;

    /** Its initial value, which each command chooses, is the default. */
    @Option(names = "--draws", paramLabel = "N", description = "Kept transitions per chain (default: ${DEFAULT-VALUE}).")
    int draws;

    /** Its initial value, which each command chooses, is the default. */
    @Option(names = "--leapfrog-steps", paramLabel = "N", description = "Leapfrog steps per trajectory (default: ${DEFAULT-VALUE}).")
    int leapfrogSteps;

    @Mixin
    HmcFlags hmc;

    /** Flags that are {@code defaults}' chains, warm-up, draws, leapfrog steps, step size and target unless given. */
    public HmcRunFlags(HmcOptions defaults) {
        chains = defaults.chains();
        warmup = defaults.warmup();
        draws = defaults.draws();
        leapfrogSteps = defaults.leapfrogSteps();
        hmc = new HmcFlags(defaults.stepSize(), defaults.targetAccept());
    }

    /**
     * {@code defaults} with what these flags say, then {@code more} (the command's other sampler flags), built
     * and checked: a value {@link HmcOptions} refuses is the usage error of its flag, and so are fewer than
     * {@code minDraws} draws, a need of the command ({@code why} says what needs them), not of the sampler.
     */
    HmcOptions options(CommandSpec spec, HmcOptions defaults, UnaryOperator<HmcOptions.Builder> more, int minDraws,
                       String why) {
        HmcOptions options = FlagChecks.options(spec, () -> more.apply(defaults.toBuilder().chains(chains)
                .warmup(warmup).draws(draws).leapfrogSteps(leapfrogSteps).stepSize(hmc.stepSize)
                .adaptStepSize(hmc.adapt).targetAccept(hmc.targetAccept)).build());
        if (options.draws() < minDraws) {
            throw FlagChecks.error(spec, "--draws: must be >= " + minDraws + " (" + why + "), found " + options.draws());
        }
        return options;
    }
}
