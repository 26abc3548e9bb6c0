package org.ebm4j.cpu.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The thread team's hand-off: every task exactly once, failures, nesting, concurrent callers, close. */
@Timeout(60)
class CpuParallelTest {

    @Test
    void everyTaskRunsExactlyOnceOverManyBackToBackCalls() {
        try (CpuParallel p = new CpuParallel(4)) {
            for (int tasks = 1; tasks <= 9; tasks++) {
                for (int call = 0; call < 300; call++) {
                    AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
                    p.forEach(tasks, runs::incrementAndGet);
                    for (int i = 0; i < tasks; i++) {
                        assertEquals(1, runs.get(i), "task " + i + " of " + tasks + " in call " + call);
                    }
                }
            }
        }
    }

    @Test
    void tasksAreSplitIntoContiguousChunksOnePerThread() {
        try (CpuParallel p = new CpuParallel(3)) {
            ConcurrentHashMap<Integer, Thread> ranOn = new ConcurrentHashMap<>();
            p.forEach(9, i -> ranOn.put(i, Thread.currentThread()));
            assertEquals(9, ranOn.size());
            for (int chunk = 0; chunk < 3; chunk++) {
                Thread t = ranOn.get(3 * chunk);
                assertSame(t, ranOn.get(3 * chunk + 1));
                assertSame(t, ranOn.get(3 * chunk + 2));
            }
            assertSame(Thread.currentThread(), ranOn.get(0), "the caller takes the first chunk");
        }
    }

    @Test
    void theFirstFailureIsRethrownAfterAllChunksEnd() {
        try (CpuParallel p = new CpuParallel(2)) {
            AtomicIntegerArray runs = new AtomicIntegerArray(4);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.forEach(4, i -> {
                runs.incrementAndGet(i);
                if (i == 3) {
                    throw new IllegalArgumentException("task 3 failed");
                }
            }));
            assertEquals("task 3 failed", e.getMessage());
            assertEquals(1, runs.get(2), "the worker's other task ran");
            assertEquals(1, runs.get(0));
            assertEquals(1, runs.get(1));
            // the team is usable afterwards
            AtomicIntegerArray again = new AtomicIntegerArray(4);
            p.forEach(4, again::incrementAndGet);
            assertEquals(4, again.get(0) + again.get(1) + again.get(2) + again.get(3));
        }
    }

    @Test
    void anErrorInAWorkerPassesThroughUnwrapped() {
        try (CpuParallel p = new CpuParallel(2)) {
            assertThrows(AssertionError.class, () -> p.forEach(2, i -> {
                if (i == 1) {
                    throw new AssertionError("boom");
                }
            }));
        }
    }

    @Test
    void nestedCallsRunOnTheCallingThreadWithoutDeadlock() {
        try (CpuParallel p = new CpuParallel(2)) {
            AtomicIntegerArray runs = new AtomicIntegerArray(16);
            p.forEach(4, outer -> p.forEach(4, inner -> runs.incrementAndGet(outer * 4 + inner)));
            for (int i = 0; i < 16; i++) {
                assertEquals(1, runs.get(i), "nested task " + i);
            }
        }
    }

    @Test
    void concurrentCallersEachGetAllTheirTasks() throws Exception {
        try (CpuParallel p = new CpuParallel(2)) {
            int callers = 4;
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            int[][] sums = new int[callers][];
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int c = 0; c < callers; c++) {
                int id = c;
                sums[id] = new int[500];
                Thread t = new Thread(() -> {
                    try {
                        start.await();
                        for (int call = 0; call < 500; call++) {
                            AtomicIntegerArray runs = new AtomicIntegerArray(6);
                            p.forEach(6, runs::incrementAndGet);
                            for (int i = 0; i < 6; i++) {
                                sums[id][call] += runs.get(i);
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                threads.add(t);
                t.start();
            }
            start.countDown();
            for (Thread t : threads) {
                t.join(60_000);
            }
            assertTrue(failures.isEmpty(), () -> "failures: " + failures);
            int[] six = new int[500];
            java.util.Arrays.fill(six, 6);
            for (int c = 0; c < callers; c++) {
                assertArrayEquals(six, sums[c], "caller " + c);
            }
        }
    }

    @Test
    void afterCloseCallsStillRunEveryTaskOnTheCaller() {
        CpuParallel p = new CpuParallel(3);
        p.close();
        AtomicIntegerArray runs = new AtomicIntegerArray(5);
        p.forEach(5, runs::incrementAndGet);
        for (int i = 0; i < 5; i++) {
            assertEquals(1, runs.get(i));
        }
        p.close(); // idempotent
    }

    @Test
    void aThreadCountBelowOneIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CpuParallel(0));
        assertTrue(e.getMessage().contains("found 0"), e.getMessage());
    }

    @Test
    void forRangeCoversTheRangeInDisjointPieces() {
        try (CpuParallel p = new CpuParallel(2)) {
            AtomicIntegerArray hits = new AtomicIntegerArray(1001);
            p.forRange(1001, 10, (from, to) -> {
                for (int i = from; i < to; i++) {
                    hits.incrementAndGet(i);
                }
            });
            for (int i = 0; i < 1001; i++) {
                assertEquals(1, hits.get(i), "index " + i);
            }
        }
    }
}
