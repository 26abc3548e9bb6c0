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
    private final List<Path> kept = new ArrayList<>();
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

    /**
     * Continues staging the outputs of {@code dir} where a run that did not finish left them (a resumed
     * run: its staged checkpoint is kept), or starts afresh when there is no staging area.
     */
    public static StagedFiles continuing(Path dir) throws IOException {
        Path staging = dir.resolve(".staging");
        Files.createDirectories(staging);
        return new StagedFiles(dir, staging);
    }

    /**
     * The copy of {@code target} (a file directly in {@code dir}) that a run which did not finish staged,
     * or null when there is none: a killed or failed run's checkpoint, which a resumed run continues.
     */
    public static Path unfinished(Path dir, Path target) {
        Path p = dir.resolve(".staging").resolve(target.getFileName());
        return Files.isRegularFile(p) ? p : null;
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

    /**
     * {@link #stage}, for a file that a run which fails keeps staged instead of removing: a training
     * checkpoint, which {@link #unfinished} finds for a resumed run; the previous outputs stay as they
     * were all the same.
     */
    public Path stageKept(Path target) {
        Path p = stage(target);
        kept.add(p);
        return p;
    }

    /**
     * Renames every staged file over its target, then removes the staging directory. A
     * {@link #stageKept} file that was not written (a resumed run with no epoch left writes no
     * checkpoint) leaves its target as it was; any other must have been written.
     */
    public void commit() throws IOException {
        List<Path> written = new ArrayList<>();
        for (Path t : targets) {
            Path s = staging.resolve(t.getFileName());
            if (Files.isRegularFile(s)) {
                written.add(t);
            } else if (!kept.contains(s)) {
                throw new IOException("staged output " + t + " was never written");
            }
        }
        for (Path t : written) {
            Files.move(staging.resolve(t.getFileName()), t, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        }
        committed = true;
        deleteTree(staging);
    }

    /**
     * Without a {@link #commit()}: removes what was staged but the {@link #stageKept} files, leaving the
     * previous outputs; the staging directory goes too when nothing is kept in it.
     */
    @Override
    public void close() throws IOException {
        if (committed) {
            return;
        }
        if (kept.stream().noneMatch(Files::exists)) {
            deleteTree(staging);
            return;
        }
        try (Stream<Path> s = Files.list(staging)) {
            for (Path p : s.toList()) {
                if (!kept.contains(p)) {
                    deleteTree(p);
                }
            }
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
