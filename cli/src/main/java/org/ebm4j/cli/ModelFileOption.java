package org.ebm4j.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The required {@code --model} of the commands that read a model written by their family's
 * {@code train} ({@code ebm rbm eval|sample}, {@code ebm dbn eval|sample}).
 */
public final class ModelFileOption {
    @Option(names = "--model", paramLabel = "FILE", required = true,
            description = "Model file to read, as written by the family's train or store command (model.ebm, checkpoint.ebm).")
    Path model;

    /** The model file given. */
    public Path path() {
        return model;
    }
}
