package org.ebm4j.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The CPU backend's fixed thread pool, sized once ({@code -Debm.threads=N}, default: the number
 * of available processors). {@link #forEach(int, IntConsumer)} runs tasks {@code 0..n-1}, the
 * caller taking a share itself, and returns when all are done. Work is split into at most
 * {@link #threads()} contiguous chunks so results do not depend on scheduling (same inputs, same
 * thread count: bit-identical outputs).
 */
public final class CpuParallel implements AutoCloseable {
    public static final String THREADS_PROPERTY = "ebm.threads";

    private final int threads;
    private final ExecutorService pool;

    public CpuParallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be >= 1, found " + threads);
        }
        this.threads = threads;
        if (threads == 1) {
            this.pool = null;
        } else {
            AtomicInteger n = new AtomicInteger();
            ThreadFactory tf = r -> {
                Thread t = new Thread(r, "ebm-cpu-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            this.pool = Executors.newFixedThreadPool(threads - 1, tf);
        }
    }

    /** The thread count from {@code -Debm.threads}, or the number of available processors. */
    public static int configuredThreads() {
        String v = System.getProperty(THREADS_PROPERTY);
        if (v == null || v.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int t = Integer.parseInt(v.trim());
            if (t >= 1) {
                return t;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("-D" + THREADS_PROPERTY + " must be a whole number >= 1, found '" + v + "'");
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body.accept(i)} for every {@code i} in {@code [0, tasks)}. Task {@code i} always
     * runs on its own, so bodies may write disjoint outputs without synchronization.
     */
    public void forEach(int tasks, IntConsumer body) {
        if (tasks <= 0) {
            return;
        }
        if (pool == null || tasks == 1) {
            for (int i = 0; i < tasks; i++) {
                body.accept(i);
            }
            return;
        }
        int workers = Math.min(threads, tasks);
        List<Future<?>> futures = new ArrayList<>(workers - 1);
        for (int w = 1; w < workers; w++) {
            int from = (int) ((long) tasks * w / workers);
            int to = (int) ((long) tasks * (w + 1) / workers);
            futures.add(pool.submit(() -> {
                for (int i = from; i < to; i++) {
                    body.accept(i);
                }
            }));
        }
        RuntimeException failure = null;
        try {
            int to = (int) ((long) tasks / workers);
            for (int i = 0; i < to; i++) {
                body.accept(i);
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for CPU worker threads", e);
            } catch (ExecutionException e) {
                if (failure == null) {
                    Throwable c = e.getCause();
                    failure = c instanceof RuntimeException ? (RuntimeException) c : new IllegalStateException(c);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Splits {@code [0, n)} into at most {@link #threads()} ranges of at least {@code minChunk}
     * elements and runs {@code body.run(from, to)} on each.
     */
    public void forRange(int n, int minChunk, RangeBody body) {
        int chunks = Math.max(1, Math.min(threads, n / Math.max(1, minChunk)));
        if (chunks == 1) {
            body.run(0, n);
            return;
        }
        forEach(chunks, c -> body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks)));
    }

    /** A body over a half-open index range. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
