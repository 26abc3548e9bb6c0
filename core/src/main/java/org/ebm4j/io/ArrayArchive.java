package org.ebm4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A file format of named float32 arrays with string metadata that other tools read without ebm4j:
 * {@link #NPZ} (NumPy, {@link NpzWriter}) or {@link #SAFETENSORS} ({@link SafetensorsWriter}). Files
 * are written atomically ({@link AtomicFiles}).
 */
@FunctionalInterface
public interface ArrayArchive {
    /** NumPy {@code .npz}, numeric arrays only, the metadata as {@value NpzWriter#METADATA_ENTRY}. */
    ArrayArchive NPZ = NpzWriter::writeTo;
    /** Hugging Face safetensors, the metadata as {@code __metadata__}. */
    ArrayArchive SAFETENSORS = SafetensorsWriter::writeTo;

    /** Writes the archive's bytes to {@code out}, which stays open. */
    void writeTo(OutputStream out, List<NamedArray> arrays, Map<String, String> metadata) throws IOException;

    /** Writes {@code arrays} and {@code metadata} to {@code path} atomically. */
    default void write(Path path, List<NamedArray> arrays, Map<String, String> metadata) throws IOException {
        AtomicFiles.write(path, out -> writeTo(out, arrays, metadata));
    }

    /**
     * Exports every tensor of {@code file} as a {@code rows x cols} array under its own name, and the
     * file's metadata as the archive's metadata.
     */
    default void write(Path path, ModelFile file) throws IOException {
        write(path, NamedArray.fromModelFile(file, Map.of()), file.metadata());
    }
}
