package org.ebm4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --resume} of a training command whose resumed run keeps all of the checkpoint's options:
 * which checkpoint to continue ({@link ResumeCheckpoint#existing}), with the training flags given
 * checked against the checkpoint's options ({@link ResumeCheckpoint#requireGivenFlagsAgree}).
 */
public final class ResumeOption {
    @Option(names = "--resume", description = "Continue from DIR/checkpoint.ebm with the checkpoint's options "
            + "(a training flag given must agree with them).")
    boolean resume;

    /** How a family reads the options ({@code toMap} form) a checkpoint was trained with. */
    @FunctionalInterface
    public interface SavedOptions {
        /** The options {@code checkpoint} records. */
        Map<String, String> read(Path checkpoint) throws IOException;
    }

    /** Whether {@code --resume} was given. */
    public boolean given() {
        return resume;
    }

    /**
     * Without {@code --resume}, null; with it, the checkpoint of run directory {@code out} to continue,
     * after refusing (as a usage error) a flag given whose value differs from the checkpoint's option.
     *
     * @param flags the options the command's flags give ({@code toMap} form)
     */
    public Path checkpoint(CommandSpec spec, Path out, SavedOptions saved, Map<String, String> flags)
            throws IOException {
        if (!resume) {
            return null;
        }
        Path from = ResumeCheckpoint.existing(spec, ResumeCheckpoint.in(out));
        ResumeCheckpoint.requireGivenFlagsAgree(spec, from, saved.read(from), flags);
        return from;
    }
}
