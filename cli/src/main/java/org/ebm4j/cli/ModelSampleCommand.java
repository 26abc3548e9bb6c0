package org.ebm4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.ebm4j.io.SavedModel;
import org.ebm4j.tensor.Backend;
import picocli.CommandLine.Mixin;

/**
 * A command that draws a picture of samples from a model file ({@code ebm rbm sample},
 * {@code ebm dbn sample}, {@code ebm dbm sample}): {@code --model}, the {@link SampleFlags},
 * {@code --seed}, the model loaded on the backend (and closed after drawing), and the family's own
 * way of drawing ({@link #draw}).
 *
 * @param <M> the model family
 */
public abstract class ModelSampleCommand<M extends SavedModel> extends ModelFileCommand {
    /** Reads a model file onto a backend: a family's static {@code load(Path, Backend)}. */
    @FunctionalInterface
    public interface Loader<M> {
        M load(Path file, Backend backend) throws IOException;
    }

    @Mixin
    protected SampleFlags sampling;

    @Mixin
    protected SeedOption seed;

    private final Loader<M> loader;

    /** A command that loads its model with {@code loader}, whose picture is {@code defaultPng} unless {@code --out} says otherwise. */
    protected ModelSampleCommand(String defaultPng, Loader<M> loader) {
        sampling = new SampleFlags(defaultPng);
        this.loader = loader;
    }

    /** Checks the family's own flags once the backend is open, before the model file is read; none by default. */
    protected void checkDrawingFlags() {
    }

    /** Draws {@code chains} samples of {@code steps} steps from {@code model} and writes {@code png}. */
    protected abstract void draw(M model, int chains, int steps, Path png) throws IOException;

    /** Adds to the {@code samples} result the files {@link #draw} wrote besides the picture; none by default. */
    protected void reportOtherFiles(Map<String, Object> result) {
    }

    @Override
    public Integer call() throws IOException {
        return sampling.run(this, (backend, chains, steps, png) -> {
            checkDrawingFlags();
            try (M loaded = loader.load(model.path(), backend)) {
                draw(loaded, chains, steps, png);
            }
        }, this::reportOtherFiles);
    }
}
