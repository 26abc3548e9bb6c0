package org.ebm4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
