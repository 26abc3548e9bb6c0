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
    /**
     * Test hook: milliseconds to sleep after the first write and after each {@link #DELAY_CHUNK} bytes, to
     * widen the write window (a file smaller than a chunk is slowed too).
     */
    static final String DELAY_PROPERTY = "ebm.test.atomicWriteDelayMillis";
    static final int DELAY_CHUNK = 64 * 1024;
    /**
     * Test hook: every write fails with "No space left on device" once this many bytes have been
     * written, as a full disk does; for tests that cannot mount a small file system.
     */
    public static final String FAIL_PROPERTY = "ebm.test.atomicWriteFailAfterBytes";

    private AtomicFiles() {
    }

    /** Something that writes a file's content to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code target} atomically with what {@code content} produces. On any failure (the
     * content's, the disk's, the rename's, an out-of-memory) the temporary file is removed and the
     * previous {@code target}, if any, is left as it was; an I/O failure is rethrown as an
     * {@link IOException} whose message says what failed and names {@code target}, for example
     * {@code "No space left on device writing out/model.ebm"}.
     */
    public static void write(Path target, Content content) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream os = Channels.newOutputStream(ch);
                long delay = Long.getLong(DELAY_PROPERTY, 0L);
                long failAfter = Long.getLong(FAIL_PROPERTY, -1L);
                OutputStream hooked = delay > 0 || failAfter >= 0 ? new TestHooks(os, delay, failAfter) : os;
                OutputStream out = new java.io.BufferedOutputStream(hooked, 1 << 16);
                content.writeTo(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + abs + " atomically on this file system: " + e.getMessage(), e);
            }
        } catch (IOException e) {
            deleteQuietly(tmp, e);
            throw naming(e, target);
        } catch (RuntimeException | Error e) {
            deleteQuietly(tmp, e);
            throw e;
        }
        forceDirectory(dir);
    }

    /** {@code e} as an IOException that names {@code target}, unless its message already does. */
    private static IOException naming(IOException e, Path target) {
        String msg = e.getMessage();
        if (msg != null && msg.contains(target.toString())) {
            return e;
        }
        String what = msg == null || msg.isBlank() ? e.getClass().getSimpleName() : msg;
        return new IOException(what + " writing " + target, e);
    }

    private static void deleteQuietly(Path tmp, Throwable failure) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException suppressed) {
            failure.addSuppressed(suppressed);
        }
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

    /**
     * The test hooks of {@link #DELAY_PROPERTY} and {@link #FAIL_PROPERTY}: sleeps after the first write
     * and every {@link #DELAY_CHUNK} bytes (to widen the window a crash test kills in), and fails like a full
     * disk once a number of bytes are written.
     */
    private static final class TestHooks extends java.io.FilterOutputStream {
        private final long delay;
        private final long failAfter;
        private long written;

        TestHooks(OutputStream out, long delay, long failAfter) {
            super(out);
            this.delay = delay;
            this.failAfter = failAfter;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (failAfter >= 0 && written + len > failAfter) {
                out.write(b, off, (int) (failAfter - written));
                written = failAfter;
                throw new IOException("No space left on device");
            }
            out.write(b, off, len);
            long before = written / DELAY_CHUNK;
            written += len;
            if (delay > 0 && (written / DELAY_CHUNK != before || written == len)) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while writing");
                }
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }
    }
}
