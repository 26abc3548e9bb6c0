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
    private static final Map<String, List<String>> OTHER_NAMES = Map.of(
            "hidden", List.of("--hidden", "--layers"),
            "hidden_layers", List.of("--layers"),
            "model_chains", List.of("--persistent-chains"),
            "chains", List.of("--chains", "--persistent-chains", "--fantasies"),
            "draws", List.of("--draws", "--fantasy-draws"),
            "samples", List.of("--samples", "--chains"),
            "batch_size", List.of("--batch"),
            "learning_rate", List.of("--lr"),
            "binarization", List.of("--binarize"),
            "units", List.of("--units", "--patterns", "--model"));

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
     * An options record's refusal of a value ({@code "batch size must be >= 1, found -1"}) as the usage
     * error of the flag that gave it ({@code "--batch: batch size must be ..."}). The records' checks
     * ({@code SettingChecks}) open with the setting's name, its key in words (key {@code batch_size},
     * name {@code batch size}, or the key itself with a gloss in parentheses); the words before
     * {@code must} are read back as the key. A message that names no flag of the command stays as it is.
     */
    static CommandLine.ParameterException usageError(CommandSpec spec, IllegalArgumentException e) {
        if (e instanceof SettingException s) {
            return usageError(spec.commandLine(), s);
        }
        String message = String.valueOf(e.getMessage());
        int must = message.indexOf(" must ");
        if (must > 0) {
            String key = message.substring(0, must).replaceAll("\\s*\\(.*\\)", "").trim().replace(' ', '_');
            String flag = flag(spec, key);
            if (flag.startsWith("--")) {
                return new CommandLine.ParameterException(spec.commandLine(), flag + ": " + message);
            }
        }
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** {@code e} as the usage error of the flag that sets its setting in {@code cl}'s command. */
    static CommandLine.ParameterException usageError(CommandLine cl, SettingException e) {
        return new CommandLine.ParameterException(cl, flag(cl.getCommandSpec(), e.setting()) + ": " + e.detail());
    }
}
