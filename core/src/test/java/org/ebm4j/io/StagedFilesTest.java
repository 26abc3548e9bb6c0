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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    /**
     * A run's set with its checkpoint (written first, during training, kept on failure) and a failure
     * injected at each file in turn: the previous set is intact every time, only the checkpoint of the
     * failed run stays staged (for a resume, which continues and commits the whole set), and a fresh run
     * clears it.
     */
    @ParameterizedTest(name = "failing at {0}")
    @ValueSource(strings = {"checkpoint.ebm", "model.ebm", "model.npz", "samples.png"})
    void aFailureAtAnyFileLeavesThePreviousSetWithTheCheckpointStaged(String failing) throws IOException {
        List<String> names = List.of("checkpoint.ebm", "model.ebm", "model.npz", "samples.png");
        for (String n : names) {
            Files.writeString(dir.resolve(n), "old " + n);
        }
        assertThrows(IOException.class, () -> {
            try (StagedFiles staged = StagedFiles.in(dir)) {
                writeSet(staged, names, failing);
            }
        });
        for (String n : names) {
            assertEquals("old " + n, Files.readString(dir.resolve(n)), n);
        }
        Path unfinished = StagedFiles.unfinished(dir, dir.resolve("checkpoint.ebm"));
        if (failing.equals("checkpoint.ebm")) {
            assertEquals(null, unfinished);
            assertFalse(Files.exists(dir.resolve(".staging")), "nothing staged is left");
        } else {
            assertEquals("new checkpoint.ebm", Files.readString(unfinished));
            try (Stream<Path> s = Files.list(dir.resolve(".staging"))) {
                assertEquals(List.of("checkpoint.ebm"), s.map(p -> p.getFileName().toString()).toList());
            }
        }
        try (StagedFiles staged = StagedFiles.continuing(dir)) {
            writeSet(staged, names, null);
        }
        for (String n : names) {
            assertEquals("new " + n, Files.readString(dir.resolve(n)), n);
        }
        assertEquals(names, listing(), "the set is complete and nothing staged is left");
    }

    /** Writes the set (the checkpoint kept), failing like a full disk at {@code failing}; commits when none fails. */
    private void writeSet(StagedFiles staged, List<String> names, String failing) throws IOException {
        for (String n : names) {
            Path target = n.equals("checkpoint.ebm") ? staged.stageKept(dir.resolve(n)) : staged.stage(dir.resolve(n));
            AtomicFiles.write(target, out -> {
                if (n.equals(failing)) {
                    throw new IOException("No space left on device");
                }
                out.write(("new " + n).getBytes());
            });
        }
        staged.commit();
    }

    /** A killed run's staging area is cleared by the next run that starts afresh, not carried into it. */
    @Test
    void aFreshRunClearsAStaleStagingArea() throws IOException {
        Path stale = dir.resolve(".staging/old-samples.png");
        Files.createDirectories(stale.getParent());
        Files.writeString(stale, "from a killed run");
        try (StagedFiles staged = StagedFiles.in(dir)) {
            assertFalse(Files.exists(stale));
            assertEquals(dir.resolve(".staging").resolve("model.ebm"), staged.stage(dir.resolve("model.ebm")));
        }
        assertEquals(List.of(), listing());
    }
}
