package org.ebm4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.ebm4j.io.StagedFiles;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * The checkpoint of a training command's run directory, part of the run's set of outputs: training
 * writes it into the set's staging area ({@link StagedFiles#stageKept}), and it replaces
 * {@code DIR/checkpoint.ebm} together with the model and pictures, so a run that fails or is killed
 * leaves the previous run's set as it was. {@code --resume} continues the checkpoint such a run left
 * staged, else the last complete run's.
 */
public final class ResumeCheckpoint {
    private ResumeCheckpoint() {
    }

    /** {@code out/checkpoint.ebm}, where a complete run's checkpoint lies. */
    public static Path in(Path out) {
        return out.resolve("checkpoint.ebm");
    }

    /**
     * The checkpoint to resume from, for {@code checkpoint} ({@link #in}): the one an unfinished run
     * left staged, else {@code checkpoint} when it exists; a usage error saying how to get one otherwise.
     */
    public static Path existing(CommandSpec spec, Path checkpoint) {
        Path unfinished = StagedFiles.unfinished(checkpoint.toAbsolutePath().getParent(), checkpoint);
        if (unfinished != null) {
            return unfinished;
        }
        if (!Files.isRegularFile(checkpoint)) {
            throw FlagChecks.error(spec, "--resume: no checkpoint at " + checkpoint + " (train without --resume "
                    + "first, or pass the --out of the run to resume)");
        }
        return checkpoint;
    }

    /**
     * Refuses, as a usage error, a flag given with {@code --resume} whose value differs from the option
     * the checkpoint {@code from} was trained with, for a family whose resumed run keeps all of the
     * checkpoint's options: the change would otherwise be ignored without a word. Flags not given
     * (their defaults) are not compared.
     *
     * @param saved the checkpoint's options ({@code toMap} form)
     * @param flags the options the command's flags give ({@code toMap} form)
     */
    public static void requireGivenFlagsAgree(CommandSpec spec, Path from, Map<String, String> saved,
                                              Map<String, String> flags) {
        ParseResult given = spec.commandLine().getParseResult();
        for (Map.Entry<String, String> e : saved.entrySet()) {
            String here = flags.get(e.getKey());
            String flag = SettingFlags.flag(spec, e.getKey());
            if (here != null && !here.equals(e.getValue()) && given.hasMatchedOption(flag)) {
                throw FlagChecks.error(spec, "--resume: " + flag + " gives " + e.getKey() + "=" + here + " but the "
                        + "checkpoint " + from + " was trained with " + e.getKey() + "=" + e.getValue() + "; a resumed "
                        + "run keeps the checkpoint's options (leave " + flag + " out, or train afresh)");
            }
        }
    }

    /**
     * The staging of {@code out}'s set for a run, once its checks have passed: a resumed run continues
     * the staged files of the run it resumes, a fresh run clears them.
     */
    public static StagedFiles staging(Path out, boolean resume) throws IOException {
        return resume ? StagedFiles.continuing(out) : StagedFiles.in(out);
    }
}
