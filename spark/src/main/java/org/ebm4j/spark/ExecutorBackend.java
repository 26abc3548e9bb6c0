package org.ebm4j.spark;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.ebm4j.data.Dataset;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.ebm4j.tensor.Tensor;

/**
 * The executor's ebm4j backend ({@link Backends#get()}: CUDA where its probe succeeds, CPU otherwise,
 * logged when chosen), used by one task at a time. A backend keeps workspaces that concurrent callers
 * would share, and it parallelizes each operation itself (the CPU backend over all cores, CUDA over
 * the device), so tasks of one executor JVM take turns: in {@code local[N]} mode and on executors
 * with several task slots, ebm4j work runs one partition at a time per JVM.
 *
 * <p>It also keeps each partition's shard as a backend tensor between rounds ({@link #resident}):
 * copying a 60,000-row shard to the backend every round would cost more than the round's updates.
 */
final class ExecutorBackend {
    private static final Object LOCK = new Object();
    /** Partition to its shard's tensor; guarded by {@link #LOCK}. */
    private static final Map<Integer, Resident> SHARDS = new HashMap<>();

    private record Resident(Shard shard, Tensor tensor) {
    }

    private ExecutorBackend() {
    }

    /** Runs {@code work} on the backend while no other task of this JVM uses it. */
    static <T> T run(Function<Backend, T> work) {
        synchronized (LOCK) {
            return work.apply(Backends.get());
        }
    }

    /**
     * {@code shard}'s rows as a tensor on {@code backend}, made on first use and kept while this
     * executor holds this very shard object in its block manager cache (a recomputed or reloaded shard
     * is a new object, and a new fit's shard for the same partition index replaces the old tensor, so
     * the last fit's tensors stay until then). Call only inside {@link #run}; the caller must not close it.
     */
    static Tensor resident(Backend backend, Shard shard) {
        Resident r = SHARDS.get(shard.partition());
        if (r != null && r.shard() == shard && r.tensor().backend() == backend) {
            return r.tensor();
        }
        if (r != null) {
            r.tensor().close();
        }
        Tensor t = Dataset.of("partition " + shard.partition(), shard.rows(), shard.cols(), shard.values())
                .toTensor(backend);
        SHARDS.put(shard.partition(), new Resident(shard, t));
        return t;
    }
}
