package org.ebm4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ebm4j.data.Mnist;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The MNIST directory of the RBM and DBN commands' {@code --data DIR} (the standard IDX files, plain
 * or {@code .gz}), or the embedded subset when it is not given.
 */
public final class MnistDir {
    private MnistDir() {
    }

    /** Usage errors unless {@code dir} (null: the embedded subset) is a directory and {@code limit} (null: none) positive. */
    public static void check(CommandSpec spec, Path dir, Integer limit) {
        if (dir != null && !Files.isDirectory(dir)) {
            throw FlagChecks.error(spec, "--data " + dir + " is not a directory");
        }
        if (limit != null) {
            FlagChecks.positive(spec, "--limit", limit);
        }
    }

    /** The data's name for metadata and messages: {@code mnist:DIR}, or {@code embedded-mnist-10k}. */
    public static String source(Path dir) {
        return dir != null ? "mnist:" + dir : "embedded-mnist-10k";
    }

    /** Whether {@code dir} (null: the embedded subset, which has none) holds the test split. */
    public static boolean hasTestSplit(Path dir) {
        if (dir == null) {
            return false;
        }
        String f = Mnist.Split.TEST.imagesFile();
        return Files.isRegularFile(dir.resolve(f)) || Files.isRegularFile(dir.resolve(f + ".gz"));
    }
}
