package org.ebm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** The words of {@link FailureHandler} for the failures a test cannot easily cause: out of memory, file-system errors. */
class FailureHandlerTest {
    @Test
    void fileSystemErrorsNameTheFileAndTheCause() {
        assertEquals("no such file or directory: d/model.ebm", FailureHandler.describe(new NoSuchFileException("d/model.ebm")));
        assertEquals("permission denied: d/out", FailureHandler.describe(new AccessDeniedException("d/out")));
        assertEquals("No space left on device: d/model.ebm",
                FailureHandler.describe(new FileSystemException("d/model.ebm", null, "No space left on device")));
        assertEquals("No space left on device writing d/x.png", FailureHandler.describe(
                new UncheckedIOException(new IOException("No space left on device writing d/x.png"))));
    }

    /** An OutOfMemoryError escapes picocli's handlers; {@link Ebm#run} turns it into the same one line. */
    @Test
    void outOfMemoryIsOneLineSayingWhatToDo() {
        StringWriter err = new StringWriter();
        int code = FailureHandler.report(new OutOfMemoryError("Java heap space"),
                Ebm.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err, true)));
        assertEquals(1, code);
        String line = err.toString().strip();
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.startsWith("ebm: error: out of memory (this JVM may use at most "), line);
        assertTrue(line.endsWith(" MiB; use smaller sizes or raise it with -Xmx): Java heap space"), line);
    }
}
