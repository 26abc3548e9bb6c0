package org.ebm4j.spark;

import java.util.function.Function;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;

/**
 * The executor's ebm4j backend ({@link Backends#get()}: CUDA where its probe succeeds, CPU otherwise,
 * logged when chosen), used by one task at a time. A backend keeps workspaces that concurrent callers
 * would share, and it parallelizes each operation itself (the CPU backend over all cores, CUDA over
 * the device), so tasks of one executor JVM take turns: in {@code local[N]} mode and on executors
 * with several task slots, ebm4j work runs one partition at a time per JVM.
 */
final class ExecutorBackend {
    private static final Object LOCK = new Object();

    private ExecutorBackend() {
    }

    /** Runs {@code work} on the backend while no other task of this JVM uses it. */
    static <T> T run(Function<Backend, T> work) {
        synchronized (LOCK) {
            return work.apply(Backends.get());
        }
    }
}
