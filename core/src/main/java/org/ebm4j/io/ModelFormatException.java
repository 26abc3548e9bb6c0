package org.ebm4j.io;

import java.io.IOException;
import org.ebm4j.data.Printable;

/**
 * A model file that cannot be read: not an ebm4j model file (bad magic), a version this build
 * does not know, a CRC mismatch, a truncated file, a shape whose element count overflows. The
 * message names the file and says what was expected and what was found.
 */
public final class ModelFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** {@code message} is kept as one printable, bounded line ({@link Printable#oneLine}). */
    public ModelFormatException(String message) {
        super(Printable.oneLine(message));
    }
}
