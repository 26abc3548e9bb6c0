package org.ebm4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
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

    /** A rename that fails (here: onto a non-empty directory) must not leave the temporary file behind. */
    @Test
    void failedRenameRemovesTheTemporary() throws IOException {
        Path f = dir.resolve("taken");
        Files.createDirectories(f.resolve("inside"));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> out.write(1)));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertFalse(Files.exists(dir.resolve("taken.tmp")));
    }

    /**
     * A full disk, injected at the I/O layer (a test cannot mount a small file system without root),
     * for a model file and a PNG: the message names the cause and the file, the previous file survives,
     * no temporary remains.
     */
    @Test
    void aFullDiskNamesTheFileAndKeepsThePreviousOne() throws IOException {
        Path model = dir.resolve("model.ebm");
        Path png = dir.resolve("filters.png");
        ModelFile small = new ModelFile().putMetadata("model", "x").putTensor("W", 1, 3, new float[] {1, 2, 3});
        small.write(model);
        java.awt.image.BufferedImage img = new ImageGrid(2, 2, 1, 1).rows(new float[] {0, 1, 1, 0}, 1);
        ImageGrid.writePng(img, png);
        byte[] modelBefore = Files.readAllBytes(model);
        byte[] pngBefore = Files.readAllBytes(png);
        System.setProperty(AtomicFiles.FAIL_PROPERTY, "10");
        try {
            IOException m = assertThrows(IOException.class, () -> small.putMetadata("more", "y").write(model));
            assertEquals("No space left on device writing " + model, m.getMessage());
            IOException p = assertThrows(IOException.class, () -> ImageGrid.writePng(img, png));
            assertEquals("No space left on device writing " + png, p.getMessage());
        } finally {
            System.clearProperty(AtomicFiles.FAIL_PROPERTY);
        }
        assertArrayEquals(modelBefore, Files.readAllBytes(model));
        assertArrayEquals(pngBefore, Files.readAllBytes(png));
        try (var left = Files.list(dir)) {
            assertEquals(List.of(), left.filter(x -> x.toString().endsWith(".tmp")).toList());
        }
    }

    @Test
    void staleTemporaryFromAKilledWriterIsReplaced() throws IOException {
        Path f = dir.resolve("out.bin");
        Files.write(dir.resolve("out.bin.tmp"), new byte[12345]);
        AtomicFiles.write(f, out -> out.write(7));
        assertEquals(1, Files.size(f));
        assertFalse(Files.exists(dir.resolve("out.bin.tmp")));
    }

    /** A content's IOException that already names the file goes on as it is; one without a message gets its type. */
    @Test
    void failuresNameTheFileOnce() throws IOException {
        Path f = dir.resolve("named.bin");
        IOException own = new IOException("cannot encode " + f);
        assertSame(own, assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            throw own;
        })));
        IOException bare = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            throw new java.io.EOFException();
        }));
        assertEquals("EOFException writing " + f, bare.getMessage());
        assertTrue(bare.getCause() instanceof java.io.EOFException);
        IOException blank = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            throw new IOException(" ");
        }));
        assertEquals("IOException writing " + f, blank.getMessage());
        assertFalse(Files.exists(f) || Files.exists(dir.resolve("named.bin.tmp")));
    }

    /** The full-disk hook at its limit: exactly that many bytes fit, one more fails; a limit of 0 fails at once. */
    @Test
    void theFullDiskHookFailsPastItsLimitOnly() throws IOException {
        Path f = dir.resolve("limit.bin");
        System.setProperty(AtomicFiles.FAIL_PROPERTY, "5");
        try {
            AtomicFiles.write(f, out -> out.write(new byte[] {1, 2, 3, 4, 5}));
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, Files.readAllBytes(f));
            IOException e = assertThrows(IOException.class,
                    () -> AtomicFiles.write(f, out -> out.write(new byte[6])));
            assertEquals("No space left on device writing " + f, e.getMessage());
            System.setProperty(AtomicFiles.FAIL_PROPERTY, "0");
            e = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> out.write(9)));
            assertEquals("No space left on device writing " + f, e.getMessage());
        } finally {
            System.clearProperty(AtomicFiles.FAIL_PROPERTY);
        }
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, Files.readAllBytes(f), "the last complete file stays");
    }

    /**
     * The full-disk hook writes up to its limit before it fails, as a disk that fills in the middle of a
     * write does: 3 bytes, then 7 of the next 70,000 (passed straight through the buffer). The content
     * here goes on after the failure, so the file is renamed into place with what reached the disk.
     */
    @Test
    void theFullDiskHookWritesUpToItsLimitBeforeFailing() throws IOException {
        Path f = dir.resolve("partial.bin");
        byte[] more = new byte[70_000];
        Arrays.fill(more, (byte) 9);
        System.setProperty(AtomicFiles.FAIL_PROPERTY, "10");
        try {
            AtomicFiles.write(f, out -> {
                out.write(new byte[] {1, 2, 3});
                out.flush();
                IOException full = assertThrows(IOException.class, () -> out.write(more));
                assertEquals("No space left on device", full.getMessage());
            });
        } finally {
            System.clearProperty(AtomicFiles.FAIL_PROPERTY);
        }
        assertArrayEquals(new byte[] {1, 2, 3, 9, 9, 9, 9, 9, 9, 9}, Files.readAllBytes(f));
    }

    /**
     * The slow-write hook sleeps after the first write and after each write that crosses a 64 KiB
     * boundary: one byte, then 70,000 more (the buffer passes a write larger than itself straight
     * through), take at least two delays, and the file holds every byte. Only a lower bound on the
     * time is checked: a loaded machine may make it longer, never shorter.
     */
    @Test
    void theSlowWriteHookSleepsAfterTheFirstWriteAndEachChunkBoundary() throws IOException {
        Path f = dir.resolve("slow.bin");
        byte[] more = new byte[70_000];
        more[69_999] = 7;
        System.setProperty(AtomicFiles.DELAY_PROPERTY, "100");
        long start = System.nanoTime();
        try {
            AtomicFiles.write(f, out -> {
                out.write(3);
                out.flush();
                out.write(more);
            });
        } finally {
            System.clearProperty(AtomicFiles.DELAY_PROPERTY);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 200, millis + " ms");
        byte[] back = Files.readAllBytes(f);
        assertEquals(70_001, back.length);
        assertEquals(3, back[0]);
        assertEquals(7, back[70_000]);
    }
}
