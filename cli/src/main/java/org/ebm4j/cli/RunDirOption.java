package org.ebm4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.ebm4j.io.SavedModel;
import org.ebm4j.io.StagedFiles;
import picocli.CommandLine.Model.CommandSpec;
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

    /**
     * The directory, a usage error before any work unless a run can fill it
     * ({@link FlagChecks#outputDirectory}): every training command calls this first.
     */
    public Path check(CommandSpec spec) {
        return FlagChecks.outputDirectory(spec, "--out", dir);
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

    /**
     * Stages {@code model} ({@link #model}) and {@code curve} drawn under {@code title}
     * ({@link #learningCurve}) in {@code staged}, to replace the previous run's files with the run's
     * others when {@code staged} commits.
     */
    public void stageModelAndCurve(StagedFiles staged, SavedModel model, LearningCurve curve, String title)
            throws IOException {
        model.save(staged.stage(model()));
        curve.write(staged.stage(learningCurve()), title);
    }

    /** Puts where {@link #stageModelAndCurve} writes into {@code event}: {@code model} and {@code learning_curve_png}. */
    public void reportModelAndCurve(Map<String, Object> event) {
        event.put("model", model().toString());
        event.put("learning_curve_png", learningCurve().toString());
    }
}
