package org.ebm4j.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A trained model that saves itself: every model family's class implements it, and each has a
 * static {@code load(Path, Backend)} that reads what {@link #save} wrote. The file is the ebm4j
 * model file ({@link ModelFile}), written atomically, with the model's {@link Provenance}.
 */
public interface SavedModel extends AutoCloseable {

    /** The model's parameters and metadata (its provenance included) as a model file. */
    ModelFile toModelFile();

    /** Where the model came from (empty for a model built by hand). */
    Provenance provenance();

    /** Writes {@link #toModelFile()} to {@code path} atomically. */
    default void save(Path path) throws IOException {
        toModelFile().write(path);
    }

    /** Frees the model's backend memory; idempotent. */
    @Override
    void close();
}
