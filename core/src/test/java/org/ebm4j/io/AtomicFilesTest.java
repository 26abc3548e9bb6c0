package org.ebm4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void failedWriteKeepsTheOldFileAndRemovesTheTemporary() throws IOException {
        Path f = dir.resolve("sub/out.bin");
        AtomicFiles.write(f, out -> out.write(new byte[] {1, 2, 3}));
        assertEquals(3, Files.size(f));
        assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[100_000]);
            throw new IOException("disk full (simulated)");
        }));
        assertEquals(3, Files.size(f), "old content intact");
        assertFalse(Files.exists(dir.resolve("sub/out.bin.tmp")));
    }

    @Test
    void staleTemporaryFromAKilledWriterIsReplaced() throws IOException {
        Path f = dir.resolve("out.bin");
        Files.write(dir.resolve("out.bin.tmp"), new byte[12345]);
        AtomicFiles.write(f, out -> out.write(7));
        assertEquals(1, Files.size(f));
        assertFalse(Files.exists(dir.resolve("out.bin.tmp")));
    }
}
