package org.ebm4j.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --out DIR} of the training commands: the directory that receives the model
 * ({@code model.ebm}), its learning curve ({@code learning-curve.png}) and the command's other
 * files; each command chooses the default directory.
 */
public final class RunDirOption {
    /** Its initial value, which each command chooses, is the default. */
    @Option(names = "--out", paramLabel = "DIR",
            description = "Output directory for model.ebm, learning-curve.png and the other files the command lists "
                    + "(default: ${DEFAULT-VALUE}).")
    Path dir;

    /** The option with {@code defaultDir} unless given. */
    public RunDirOption(String defaultDir) {
        dir = Path.of(defaultDir);
    }

    /** The directory. */
    public Path dir() {
        return dir;
    }

    /** {@code name} inside the directory. */
    public Path file(String name) {
        return dir.resolve(name);
    }

    /** Where the model goes: {@code DIR/model.ebm}. */
    public Path model() {
        return file("model.ebm");
    }

    /** Where the learning curve goes: {@code DIR/learning-curve.png}. */
    public Path learningCurve() {
        return file("learning-curve.png");
    }
}
