package org.ebm4j.cli;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --out FILE} and {@code --png FILE}: the optional files of the commands that print their result
 * and may also write it as CSV rows and as a picture ({@code ebm bm sample}, {@code ebm hmc sample},
 * {@code ebm hopfield recall}). What the rows and the picture show is each command's own, so a command
 * says it in the {@code out} and {@code png} entries of its resource bundle; without them the
 * descriptions stay generic.
 */
public final class CsvPngFlags {
    @Option(names = "--out", paramLabel = "FILE", descriptionKey = "out", description = "Write the result as CSV rows.")
    Path csv;

    @Option(names = "--png", paramLabel = "FILE", descriptionKey = "png", description = "Write a PNG of the result.")
    Path png;

    /** Usage errors, before any work, unless each file given can be written ({@link FlagChecks#outputFile}). */
    public void check(CommandSpec spec) {
        FlagChecks.outputFile(spec, "--out", csv);
        FlagChecks.outputFile(spec, "--png", png);
    }

    /** The CSV file, or null. */
    public Path csv() {
        return csv;
    }

    /** The picture, or null. */
    public Path png() {
        return png;
    }
}
