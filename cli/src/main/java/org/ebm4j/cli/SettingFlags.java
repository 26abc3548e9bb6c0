package org.ebm4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ebm4j.train.SettingException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The one mapping from the library's setting keys (an options record's {@code toMap} keys, named by a
 * {@link SettingException}) to this command line's flags, so that a refusal found by the library
 * before any work reads as a usage error of the flag the user gave: {@code model_chains} is
 * {@code --persistent-chains}. A key maps to its spelled flag ({@code ais_betas} to
 * {@code --ais-betas}) unless the table lists other names; the first that the failing command has
 * (as a visible flag) is taken, so the same key can mean {@code --chains} in one command and
 * {@code --persistent-chains} in another.
 */
final class SettingFlags {
    private static final Map<String, List<String>> OTHER_NAMES = Map.ofEntries(
            Map.entry("hidden", List.of("--hidden", "--layers")),
            Map.entry("hidden_layers", List.of("--layers")),
            Map.entry("model_chains", List.of("--persistent-chains")),
            Map.entry("chains", List.of("--chains", "--persistent-chains", "--fantasies")),
            Map.entry("draws", List.of("--draws", "--fantasy-draws")),
            Map.entry("warmup", List.of("--warmup", "--fantasy-warmup")),
            Map.entry("samples", List.of("--samples", "--chains")),
            Map.entry("batch_size", List.of("--batch")),
            Map.entry("finetune_batch", List.of("--finetune-batch", "--batch")),
            Map.entry("finetune_lr", List.of("--finetune-lr", "--lr")),
            Map.entry("finetune_momentum", List.of("--finetune-momentum", "--momentum")),
            Map.entry("finetune_weight_decay", List.of("--finetune-weight-decay", "--weight-decay")),
            Map.entry("finetune_epochs", List.of("--finetune-epochs", "--epochs")),
            Map.entry("learning_rate", List.of("--lr")),
            Map.entry("binarization", List.of("--binarize")),
            Map.entry("units", List.of("--units", "--patterns", "--model")),
            Map.entry("sparsity_target", List.of("--sparsity")),
            Map.entry("init_stddev", List.of("--init-std")),
            Map.entry("eval_every", List.of("--metrics-every")),
            Map.entry("sample_sweeps", List.of("--sample-steps")),
            Map.entry("updates", List.of("--iterations")),
            Map.entry("max_gradient_norm", List.of("--clip")),
            Map.entry("step_size_jitter", List.of("--jitter")),
            Map.entry("window_height", List.of("--window")),
            Map.entry("window_width", List.of("--window")));

    private SettingFlags() {
    }

    /** The flag of {@code spec}'s command that sets {@code setting}, or the key itself when none does. */
    static String flag(CommandSpec spec, String setting) {
        List<String> candidates = new ArrayList<>(OTHER_NAMES.getOrDefault(setting, List.of()));
        candidates.add("--" + setting.replace('_', '-'));
        for (String name : candidates) {
            OptionSpec o = spec.findOption(name);
            if (o != null && !o.hidden()) {
                return name;
            }
        }
        return setting;
    }

    /**
     * An options record's refusal of a value as a usage error: a {@link SettingException} (every range and
     * combination check of the records) as the usage error of the flag that sets its key
     * ({@code "--batch: must be >= 1, found -1"}); any other refusal as it is.
     */
    static CommandLine.ParameterException usageError(CommandSpec spec, IllegalArgumentException e) {
        if (e instanceof SettingException s) {
            return usageError(spec.commandLine(), s);
        }
        return new CommandLine.ParameterException(spec.commandLine(), String.valueOf(e.getMessage()));
    }

    /** {@code e} as the usage error of the flag that sets its setting in {@code cl}'s command. */
    static CommandLine.ParameterException usageError(CommandLine cl, SettingException e) {
        return new CommandLine.ParameterException(cl, flag(cl.getCommandSpec(), e.setting()) + ": " + e.detail());
    }
}
