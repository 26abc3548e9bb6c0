package org.ebm4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that readers (and a restarted process) see either the old content or the
 * complete new content, never a part: the bytes go to {@code NAME.tmp} in the same directory,
 * are forced to the disk ({@code fsync}), and the temporary file is renamed over {@code NAME}
 * atomically; then the directory is forced too, so the rename itself survives a crash. A process
 * killed in the middle leaves at most a stale {@code NAME.tmp}, which the next write replaces.
 */
public final class AtomicFiles {
    /** Test hook: milliseconds to sleep after each {@link #DELAY_CHUNK} bytes, to widen the write window. */
    static final String DELAY_PROPERTY = "ebm.test.atomicWriteDelayMillis";
    static final int DELAY_CHUNK = 64 * 1024;

    private AtomicFiles() {
    }

    /** Something that writes a file's content to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes {@code target} atomically with what {@code content} produces. */
    public static void write(Path target, Content content) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream os = Channels.newOutputStream(ch);
            long delay = Long.getLong(DELAY_PROPERTY, 0L);
            OutputStream out = new java.io.BufferedOutputStream(delay > 0 ? new SlowStream(os, delay) : os, 1 << 16);
            content.writeTo(out);
            out.flush();
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        try {
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + abs + " atomically on this file system: " + e.getMessage(), e);
        }
        forceDirectory(dir);
    }

    private static void forceDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        // Linux and macOS allow opening a directory to fsync it; Windows does not, and there the
        // rename is already durable enough for NTFS: ignore that failure.
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort, see above
        }
    }

    /** Slows writing down for crash tests. */
    private static final class SlowStream extends java.io.FilterOutputStream {
        private final long delay;
        private long written;

        SlowStream(OutputStream out, long delay) {
            super(out);
            this.delay = delay;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            long before = written / DELAY_CHUNK;
            written += len;
            if (written / DELAY_CHUNK != before) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while writing");
                }
            }
        }
    }
}
