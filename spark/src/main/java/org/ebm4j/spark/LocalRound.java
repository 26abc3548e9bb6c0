package org.ebm4j.spark;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.function.FlatMapFunction2;
import org.apache.spark.broadcast.Broadcast;
import org.ebm4j.random.StreamId;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.RbmOptions;
import org.ebm4j.rbm.RbmParameters;
import org.ebm4j.rbm.RbmTrainer;
import org.ebm4j.rbm.TrainingMethod;
import org.ebm4j.rbm.VisibleType;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.TrainingState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work of one partition in one round, on its executor: from the broadcast parameters and
 * velocity, {@code K} minibatch updates of {@link RbmTrainer#update} on the partition's shard with the
 * executor's own backend, returning the new parameters and velocity weighted by the shard's rows.
 *
 * <p>Randomness depends only on (seed, partition, round): partition {@code p} draws from the RBM
 * trainer's own streams ({@link StreamId#RBM_SAMPLING}, {@link StreamId#RBM_SHUFFLE}) starting at
 * draw {@code p * 2^40}, so partitions never share a draw, partition 0 draws exactly what the
 * single-machine trainer draws, and a round starts at the position the previous round ended at, which
 * the driver carries. Update {@code t = round * K + i} of a partition is batch {@code t mod b} of the
 * partition's epoch {@code t / b} ({@code b} batches per epoch of the shard), whose row order is the
 * permutation at shuffle draw {@code p * 2^40 + epoch}. A retried task therefore recomputes exactly
 * the same result.
 *
 * <p>The partition's state (its stream position and, for PCD, its persistent chains) comes in as the
 * second iterator, the partition of the previous round's state RDD that lives next to the shard on
 * the same executor, and goes out with the round's result: see {@link DataParallelRbmTrainer}.
 */
class LocalRound implements FlatMapFunction2<Iterator<Shard>, Iterator<LocalRound.PartitionState>,
        LocalRound.PartitionRound> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LocalRound.class);

    /** Each partition owns {@code 2^40} draws of each RBM stream. */
    static final int PARTITION_DRAW_SHIFT = 40;

    private final Broadcast<RoundInput> input;

    LocalRound(Broadcast<RoundInput> input) {
        this.input = input;
    }

    /** The first draw of partition {@code p}'s range of every RBM stream. */
    static long firstDraw(int partition) {
        return (long) partition << PARTITION_DRAW_SHIFT;
    }

    @Override
    public Iterator<PartitionRound> call(Iterator<Shard> shards, Iterator<PartitionState> states) {
        long start = System.nanoTime();
        RoundInput in = input.value();
        double fetchSeconds = (System.nanoTime() - start) * 1e-9;
        Shard shard = only(shards);
        if (shard == null) {
            return List.<PartitionRound>of().iterator();
        }
        PartitionState before = only(states);
        if (shard.rows() == 0) {
            return List.of(new PartitionRound(RoundSum.empty(shard.partition()), null)).iterator();
        }
        PartitionRound result = ExecutorBackend.run(backend -> {
            long computeStart = System.nanoTime();
            PartitionRound r = run(backend, in, shard, before);
            r.sum().timed(fetchSeconds, (System.nanoTime() - computeStart) * 1e-9);
            return r;
        });
        return List.of(result).iterator();
    }

    /**
     * The one element of a partition's iterator, or null when it has none. Reading it to its end lets
     * Spark release the cached block's read lock when the element has been read, not at the task's end.
     */
    private static <T> T only(Iterator<T> partition) {
        T first = partition.hasNext() ? partition.next() : null;
        if (partition.hasNext()) {
            throw new IllegalStateException("a partition holds more than one shard or state");
        }
        return first;
    }

    /** Where this task runs: the executor's id and its backend's name, e.g. {@code executor 1: cpu}. */
    private static String placement(Backend backend) {
        SparkEnv env = SparkEnv.get();
        return "executor " + (env == null ? "?" : env.executorId()) + ": " + backend.name();
    }

    private static PartitionRound run(Backend backend, RoundInput in, Shard shard, PartitionState before) {
        RbmOptions o = RbmOptions.fromMap(in.options());
        if (in.round() == 0) {
            LOG.info("partition {}: {} rows on backend {}", shard.partition(), shard.rows(), backend.name());
        }
        RbmParameters p = in.parameters();
        int p0 = shard.partition();
        Tensor data = ExecutorBackend.resident(backend, shard);
        try (Rbm rbm = Rbm.of(backend, p);
             RbmTrainer trainer = new RbmTrainer(rbm, o, data)) {
            trainer.restore(startState(trainer, in, before, p0, o, p));
            int n = shard.rows();
            int batches = trainer.batchesPerEpoch();
            float lr = (float) in.learningRate();
            long first = (long) in.round() * in.updatesPerRound();
            int[] order = null;
            long orderEpoch = -1;
            for (long t = first; t < first + in.updatesPerRound(); t++) {
                long epoch = t / batches;
                if (epoch != orderEpoch) {
                    order = StreamId.RBM_SHUFFLE.open(o.seed()).at(firstDraw(p0) + epoch).permutation(n);
                    orderEpoch = epoch;
                }
                trainer.update(order, (int) (t % batches), lr);
            }
            TrainingState after = trainer.state();
            float[] chains = o.method() == TrainingMethod.PCD ? after.array("chains", o.chains(), p.visible()) : null;
            PartitionState state = new PartitionState(p0, after.counter("sampling_draw"), chains);
            RoundSum sum = RoundSum.of(p0, n, rbm.parameters(), after.array("velocity.W", p.visible(), p.hidden()),
                    after.array("velocity.vbias", 1, p.visible()), after.array("velocity.hbias", 1, p.hidden()),
                    placement(backend));
            return new PartitionRound(sum, state);
        }
    }

    /** The broadcast velocity, the partition's stream position and its chains (fresh ones in round 0). */
    private static TrainingState startState(RbmTrainer trainer, RoundInput in, PartitionState before, int partition,
                                            RbmOptions o, RbmParameters p) {
        TrainingState.Builder b = TrainingState.builder(RbmTrainer.KIND, 0)
                .counter("sampling_draw", before == null ? firstDraw(partition) : before.samplingDraw())
                .counter("shuffle_draw", 0L)
                .array("velocity.W", p.visible(), p.hidden(), in.velocityW())
                .array("velocity.vbias", 1, p.visible(), in.velocityVisible())
                .array("velocity.hbias", 1, p.hidden(), in.velocityHidden());
        if (o.method() == TrainingMethod.PCD) {
            float[] chains = before == null ? trainer.state().array("chains", o.chains(), p.visible()) : before.chains();
            b.array("chains", o.chains(), p.visible(), chains);
        }
        return b.build();
    }

    /**
     * What a partition carries from one round to the next, on its executor: where its sampling stream
     * stands and, for PCD, its persistent chains ({@code chains x visible}, row-major).
     */
    record PartitionState(int partition, long samplingDraw, float[] chains) implements Serializable {
    }

    /** One partition's output of a round: its share of the sum, and its state for the next round (null when it has no rows). */
    record PartitionRound(RoundSum sum, PartitionState next) implements Serializable {
    }

    /** What the driver broadcasts each round. */
    record RoundInput(Map<String, String> options, int round, int updatesPerRound, double learningRate,
                      VisibleType visibleType, int visible, int hidden, float[] weights, float[] visibleBias,
                      float[] hiddenBias, float[] velocityW, float[] velocityVisible, float[] velocityHidden)
            implements Serializable {
        RbmParameters parameters() {
            return new RbmParameters(visibleType, visible, hidden, weights, visibleBias, hiddenBias);
        }
    }
}
