package org.ebm4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

/** The checkpoint a {@code --resume} run continues from: {@code --out DIR}'s {@code checkpoint.ebm}. */
public final class ResumeCheckpoint {
    private ResumeCheckpoint() {
    }

    /** {@code out/checkpoint.ebm}, where training writes its checkpoints. */
    public static Path in(Path out) {
        return out.resolve("checkpoint.ebm");
    }

    /** {@code checkpoint} when it exists; a usage error saying how to get one otherwise. */
    public static Path existing(CommandSpec spec, Path checkpoint) {
        if (!Files.isRegularFile(checkpoint)) {
            throw FlagChecks.error(spec, "--resume: no checkpoint at " + checkpoint + " (train without --resume "
                    + "first, or pass the --out of the run to resume)");
        }
        return checkpoint;
    }
}
