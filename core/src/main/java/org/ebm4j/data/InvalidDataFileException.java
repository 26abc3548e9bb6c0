package org.ebm4j.data;

import java.io.IOException;

/**
 * A data file that cannot be read as what it claims to be: wrong magic number, bad dimensions,
 * a length that does not match its header, a malformed CSV row. The message names the file, what
 * was expected and what was found.
 */
public final class InvalidDataFileException extends IOException {
    private static final long serialVersionUID = 1L;

    /** {@code message} is kept as one printable, bounded line ({@link Printable#oneLine}). */
    public InvalidDataFileException(String message) {
        super(Printable.oneLine(message));
    }
}
