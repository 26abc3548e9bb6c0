package org.ebm4j.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The stored form of a model ({@code RbmModelFile}, {@code DbnModelFile}): a host value that is the
 * content of an ebm4j model file and writes itself as one.
 */
public interface ModelFileContent {
    /** The content as a {@link ModelFile}, ready to write or to extend (checkpoints add tensors). */
    ModelFile toModelFile();

    /** Writes {@link #toModelFile()} to {@code path} atomically. */
    default void write(Path path) throws IOException {
        toModelFile().write(path);
    }
}
