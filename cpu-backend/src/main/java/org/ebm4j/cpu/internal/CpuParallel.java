package org.ebm4j.cpu.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The CPU backend's fixed team of threads, sized once ({@code -Debm.threads=N}, default: the number
 * of available processors). {@link #forEach(int, IntConsumer)} runs tasks {@code 0..n-1}, the
 * caller taking a share itself, and returns when all are done. Work is split into at most
 * {@link #threads()} contiguous chunks so results do not depend on scheduling (same inputs, same
 * thread count: bit-identical outputs).
 *
 * <p>Training calls the backend tens of thousands of times per epoch with work of a few hundred
 * microseconds each, so the hand-off must cost far less than that. A thread pool with futures costs
 * 10-50 us per call (a park and an unpark each way); here the workers wait for the next job by
 * polling for a short while ({@link #SPIN_NANOS}: spin hints, then yields) before they park, and the
 * caller polls a counter while they finish, which brings a hand-off down to about a microsecond
 * while calls come back to back, and costs no CPU once the backend is idle.
 *
 * <p>A call made while another is in progress (from a task body, or from a second application
 * thread) runs its tasks one after another on the calling thread: same results, no deadlock.
 */
public final class CpuParallel implements AutoCloseable {
    public static final String THREADS_PROPERTY = "ebm.threads";

    /** How long a waiting thread polls (spinning, then yielding) before it parks, in nanoseconds. */
    static final long SPIN_NANOS = 200_000;

    private final int threads;
    private final Worker[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();

    /** The latest job; each call publishes a new one, so a late worker never mixes two jobs. */
    private volatile Job job;
    private volatile boolean closed;

    public CpuParallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be >= 1, found " + threads);
        }
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Worker(w + 1);
            workers[w].start();
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
     * runs on its own, so bodies may write disjoint outputs without synchronization. The tasks are
     * split into contiguous chunks, one per thread; the first exception thrown by a task is rethrown
     * here once every chunk has ended.
     */
    public void forEach(int tasks, IntConsumer body) {
        if (tasks <= 0) {
            return;
        }
        if (workers.length == 0 || tasks == 1 || closed || !busy.compareAndSet(false, true)) {
            for (int i = 0; i < tasks; i++) {
                body.accept(i);
            }
            return;
        }
        try {
            runShared(new Job(tasks, Math.min(threads, tasks), body));
        } finally {
            busy.set(false);
        }
    }

    private void runShared(Job j) {
        job = j; // volatile write: publishes the job
        for (int w = 0; w < j.team - 1; w++) {
            workers[w].wake();
        }
        j.run(0);
        j.await();
        Throwable t = j.failure.get();
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    /** One call of {@link #forEach}: its tasks, its team, and the count of workers still running. */
    private static final class Job {
        final int tasks;
        final int team;
        final IntConsumer body;
        final AtomicInteger pending;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread caller = Thread.currentThread();

        Job(int tasks, int team, IntConsumer body) {
            this.tasks = tasks;
            this.team = team;
            this.body = body;
            this.pending = new AtomicInteger(team - 1);
        }

        /** Runs chunk {@code c} of the tasks; a worker then counts itself done. */
        void run(int c) {
            int from = (int) ((long) tasks * c / team);
            int to = (int) ((long) tasks * (c + 1) / team);
            try {
                for (int i = from; i < to; i++) {
                    body.accept(i);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
            if (c > 0 && pending.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }

        /** Waits, then parks, until every worker has finished its chunk (an interrupt is kept for later). */
        void await() {
            boolean interrupted = false;
            Backoff backoff = new Backoff();
            while (pending.get() != 0) {
                if (backoff.keepSpinning()) {
                    continue;
                }
                LockSupport.parkNanos(this, 100_000);
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * How a thread waits for a short event: a burst of spin hints (the hand-off then costs well under a
     * microsecond), then {@link Thread#yield()} until {@link #SPIN_NANOS} have passed (so that on a
     * machine with more runnable threads than cores the thread being waited for gets the core), then
     * the caller parks.
     */
    static final class Backoff {
        private static final int SPINS = 512;
        private int spins;
        private long start;

        /** Pauses briefly and returns true while the waiting thread should keep polling; false: park now. */
        boolean keepSpinning() {
            if (++spins <= SPINS) {
                Thread.onSpinWait();
                return true;
            }
            long now = System.nanoTime();
            if (start == 0) {
                start = now;
            }
            if (now - start < SPIN_NANOS) {
                Thread.yield();
                return true;
            }
            return false;
        }

        void reset() {
            spins = 0;
            start = 0;
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

    /** Stops the worker threads; later calls run on the calling thread. */
    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) {
            w.wake();
        }
    }

    /** A worker thread: waits for a new job and runs its chunk if the job has one for it. */
    private final class Worker extends Thread {
        private final int index;
        private volatile boolean parked;

        Worker(int index) {
            super("ebm-cpu-" + index);
            this.index = index;
            setDaemon(true);
        }

        void wake() {
            if (parked) {
                LockSupport.unpark(this);
            }
        }

        @Override
        public void run() {
            Job seen = null; // no job is published before the workers exist
            while (true) {
                Job j = awaitJob(seen);
                if (j == null) {
                    return;
                }
                seen = j;
                if (index < j.team) {
                    j.run(index);
                }
            }
        }

        /** The next job after {@code seen}, or null once the team is closed. */
        private Job awaitJob(Job seen) {
            Backoff backoff = new Backoff();
            while (true) {
                Job j = job;
                if (j != seen) {
                    return j;
                }
                if (closed) {
                    return null;
                }
                if (backoff.keepSpinning()) {
                    continue;
                }
                parked = true;
                if (job == seen && !closed) {
                    LockSupport.park(CpuParallel.this);
                }
                parked = false;
                backoff.reset();
            }
        }
    }
}
