package org.ebm4j.cli;

import picocli.CommandLine.Mixin;

/** A command that reads a model file: {@code --model FILE} ({@code eval} and {@code sample} of each family). */
public abstract class ModelFileCommand extends CliCommand {
    /** {@code --model FILE}, required. */
    @Mixin
    protected ModelFileOption model;
}
