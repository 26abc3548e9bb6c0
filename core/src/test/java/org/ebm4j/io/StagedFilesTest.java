package org.ebm4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedFilesTest {
    @TempDir
    Path dir;

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void outputsAreReplacedTogetherOrNotAtAll() throws IOException {
        Path a = dir.resolve("model.ebm");
        Path b = dir.resolve("samples.png");
        Files.writeString(a, "old a");
        Files.writeString(b, "old b");
        // The second output fails after the first was written: neither is replaced.
        assertThrows(IOException.class, () -> {
            try (StagedFiles staged = StagedFiles.in(dir)) {
                AtomicFiles.write(staged.stage(a), out -> out.write("new a".getBytes()));
                AtomicFiles.write(staged.stage(b), out -> {
                    throw new IOException("No space left on device");
                });
                staged.commit();
            }
        });
        assertEquals("old a", Files.readString(a));
        assertEquals("old b", Files.readString(b));
        assertEquals(List.of("model.ebm", "samples.png"), listing(), "nothing staged is left");
        try (StagedFiles staged = StagedFiles.in(dir)) {
            AtomicFiles.write(staged.stage(a), out -> out.write("new a".getBytes()));
            AtomicFiles.write(staged.stage(b), out -> out.write("new b".getBytes()));
            staged.commit();
        }
        assertEquals("new a", Files.readString(a));
        assertEquals("new b", Files.readString(b));
        assertEquals(List.of("model.ebm", "samples.png"), listing());
    }

    @Test
    void onlyFilesOfTheDirectoryAndOnlyWrittenOnesAreCommitted() throws IOException {
        try (StagedFiles staged = StagedFiles.in(dir)) {
            assertThrows(IllegalArgumentException.class, () -> staged.stage(dir.resolve("sub/x")));
            staged.stage(dir.resolve("never-written"));
            IOException e = assertThrows(IOException.class, staged::commit);
            assertEquals("staged output " + dir.resolve("never-written").toAbsolutePath() + " was never written",
                    e.getMessage());
        }
        assertFalse(Files.exists(dir.resolve(".staging")));
    }
}
