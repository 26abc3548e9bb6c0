package org.ebm4j.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every {@code ebm} command that does work has: the {@link CommonOptions}, its own spec (usage
 * errors name the command), checks of its flags, the backend {@code --backend} names (opened once
 * the other flags are checked), its output on stdout as JSON lines or text, and the hidden old
 * spellings of its renamed flags ({@link OldSpelling}).
 */
@Command(modelTransformer = OldSpelling.Aliases.class)
public abstract class CliCommand implements Callable<Integer> {
    /** {@code --backend}, {@code --json}, {@code --quiet}, {@code --verbose}, {@code --help}, {@code --version}. */
    @Mixin
    protected CommonOptions common;

    /** This command, as picocli parsed it. */
    protected CommandSpec spec;

    /** Checks of this command's flag values, failing with usage errors that name the flag. */
    protected FlagChecks checks;

    @Spec
    void spec(CommandSpec parsed) {
        spec = parsed;
        checks = new FlagChecks(parsed);
    }

    /** The {@code --backend} name, checked (a usage error names the accepted ones). */
    protected final String backendName() {
        return common.backendName(spec);
    }

    /**
     * Opens the backend {@code --backend} selects ({@link Backends#select}), after a command has
     * checked its other flags; the caller closes it.
     */
    protected final Backend openBackend() {
        return Backends.select(backendName()).backend();
    }

    /** What a command does with the backend {@link #onBackend} opens for it. */
    @FunctionalInterface
    protected interface BackendWork {
        /** Does the command's work on {@code backend}; returns its exit code. */
        int run(Backend backend) throws IOException;
    }

    /**
     * Runs {@code work} on the backend {@code --backend} selects ({@link #openBackend}), closed once
     * it returns or throws; a command calls it after checking its other flags.
     */
    protected final int onBackend(BackendWork work) throws IOException {
        try (Backend backend = openBackend()) {
            return work.run(backend);
        }
    }

    private JsonOrText output;

    /**
     * Where this command's events go: JSON lines under {@code --json}, else text. One per run, so that the
     * listeners and the command print through the same one (a text table keeps one header).
     */
    protected final JsonOrText output() {
        if (output == null) {
            output = new JsonOrText(spec, common);
        }
        return output;
    }

    /** Seconds since {@code startNanos} ({@link System#nanoTime}). */
    protected static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
