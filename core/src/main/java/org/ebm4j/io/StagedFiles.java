package org.ebm4j.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The outputs of one run, replaced together: each file is first written completely into a
 * staging directory ({@code DIR/.staging}, same file system, so moving out of it is a rename), and
 * only when all are written does {@link #commit()} rename them over the previous ones. A run that
 * fails while writing (a full disk, an error computing the last picture) leaves the previous
 * outputs as they were and removes what it staged, so a directory never mixes two runs' files.
 * Renames cannot run out of space; a crash during the renames themselves is the one window left.
 *
 * <pre>{@code
 * try (StagedFiles staged = StagedFiles.in(out)) {
 *     model.write(staged.stage(out.resolve("model.ebm")));
 *     ImageGrid.writePng(img, staged.stage(out.resolve("samples.png")));
 *     staged.commit();
 * }
 * }</pre>
 */
public final class StagedFiles implements AutoCloseable {
    private final Path dir;
    private final Path staging;
    private final List<Path> targets = new ArrayList<>();
    private boolean committed;

    private StagedFiles(Path dir, Path staging) {
        this.dir = dir;
        this.staging = staging;
    }

    /** Starts staging outputs of {@code dir} (created if missing); a stale staging area of a killed run is removed. */
    public static StagedFiles in(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path staging = dir.resolve(".staging");
        deleteTree(staging);
        Files.createDirectories(staging);
        return new StagedFiles(dir, staging);
    }

    /** Where to write {@code target} (a file directly in the directory) for now. */
    public Path stage(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        if (!abs.getParent().equals(dir.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException(target + " is not a file directly in " + dir);
        }
        targets.add(abs);
        return staging.resolve(abs.getFileName());
    }

    /** Renames every staged file over its target, then removes the staging directory. */
    public void commit() throws IOException {
        for (Path t : targets) {
            Path s = staging.resolve(t.getFileName());
            if (!Files.isRegularFile(s)) {
                throw new IOException("staged output " + t + " was never written");
            }
        }
        for (Path t : targets) {
            Files.move(staging.resolve(t.getFileName()), t, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        }
        committed = true;
        deleteTree(staging);
    }

    /** Without a {@link #commit()}: removes what was staged, leaving the previous outputs. */
    @Override
    public void close() throws IOException {
        if (!committed) {
            deleteTree(staging);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
