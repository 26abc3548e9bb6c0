package org.ebm4j.cli;

import org.ebm4j.hopfield.LearningRule;
import picocli.CommandLine.Option;

/**
 * The {@code --rule} of the Hopfield commands that store patterns ({@code ebm hopfield store},
 * {@code recall --patterns}, {@code mnist}); each command chooses the default through the constructor.
 */
final class LearningRuleOption {
    /** Its initial value, which each command chooses, is the default. */
    @Option(names = "--rule", paramLabel = "hebb|storkey|pseudo-inverse",
            description = "Learning rule that stores the patterns (default: ${DEFAULT-VALUE}; pseudo-inverse copes best "
                    + "with correlated patterns such as digits, which Hebb's and Storkey's rules merge into spurious states).")
    String rule;

    /** The option whose value is {@code defaultRule} unless given. */
    LearningRuleOption(String defaultRule) {
        rule = defaultRule;
    }

    /** The rule given, or a usage error naming {@code --rule}. */
    LearningRule parse(FlagChecks checks) {
        return checks.parse("--rule", () -> LearningRule.parse(rule));
    }
}
