package org.ebm4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.ebm4j.tensor.Backend;
import picocli.CommandLine.Mixin;

/**
 * A command that draws a picture of samples from a model file ({@code ebm rbm sample},
 * {@code ebm dbn sample}): {@code --model}, the {@link SampleFlags}, {@code --seed}, and the
 * family's own way of drawing ({@link #draw}).
 */
public abstract class ModelSampleCommand extends ModelFileCommand {
    @Mixin
    protected SampleFlags sampling;

    @Mixin
    protected SeedOption seed;

    /** A command whose picture is {@code defaultPng} unless {@code --out} says otherwise. */
    protected ModelSampleCommand(String defaultPng) {
        sampling = new SampleFlags(defaultPng);
    }

    /** Loads the model on {@code backend}, draws {@code chains} samples of {@code steps} steps and writes {@code png}. */
    protected abstract void draw(Backend backend, int chains, int steps, Path png) throws IOException;

    @Override
    public Integer call() throws IOException {
        return sampling.run(this, this::draw);
    }
}
