package org.ebm4j.bench;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The JMH parameters every CPU benchmark takes: the kernel set and the thread count.
 * {@link BenchMain} sets both for each run (one run per kernel set, so each fork gets the matching
 * {@code -Debm.cpu.kernels}). JMH takes {@code @Param} fields only in a {@code @State} class, hence the
 * annotation here as well as on each benchmark.
 */
@State(Scope.Benchmark)
public abstract class CpuBenchParams {
    /** {@code "scalar"} or {@code "vector"}. */
    @Param({"scalar", "vector"})
    public String kernels;

    /** Threads in the CPU pool (the calling thread included). */
    @Param({"1", "2"})
    public int threads;
}
