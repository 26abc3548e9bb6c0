package org.ebm4j.spark;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.ebm4j.data.Dataset;
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
 */
class LocalRound implements FlatMapFunction<Iterator<Shard>, RoundSum> {
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
    public Iterator<RoundSum> call(Iterator<Shard> shards) {
        RoundInput in = input.value();
        if (!shards.hasNext()) {
            return List.<RoundSum>of().iterator();
        }
        Shard shard = shards.next();
        if (shard.rows() == 0) {
            return List.of(RoundSum.empty(shard.partition())).iterator();
        }
        RoundSum sum = ExecutorBackend.run(backend -> run(backend, in, shard));
        return List.of(sum).iterator();
    }

    private static RoundSum run(Backend backend, RoundInput in, Shard shard) {
        RbmOptions o = RbmOptions.fromMap(in.options());
        if (in.round() == 0) {
            LOG.info("partition {}: {} rows on backend {}", shard.partition(), shard.rows(), backend.name());
        }
        RbmParameters p = in.parameters();
        int p0 = shard.partition();
        try (Rbm rbm = Rbm.of(backend, p);
             Tensor data = Dataset.of("partition " + p0, shard.rows(), shard.cols(), shard.values()).toTensor(backend);
             RbmTrainer trainer = new RbmTrainer(rbm, o, data)) {
            PartitionState before = in.states().get(p0);
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
            PartitionState state = new PartitionState(after.counter("sampling_draw"), chains);
            return RoundSum.of(p0, n, rbm.parameters(), after.array("velocity.W", p.visible(), p.hidden()),
                    after.array("velocity.vbias", 1, p.visible()), after.array("velocity.hbias", 1, p.hidden()),
                    Map.of(p0, state));
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
     * What a partition carries from one round to the next: where its sampling stream stands and, for
     * PCD, its persistent chains.
     */
    record PartitionState(long samplingDraw, float[] chains) implements Serializable {
    }

    /** What the driver broadcasts each round. */
    record RoundInput(Map<String, String> options, int round, int updatesPerRound, double learningRate,
                      VisibleType visibleType, int visible, int hidden, float[] weights, float[] visibleBias,
                      float[] hiddenBias, float[] velocityW, float[] velocityVisible, float[] velocityHidden,
                      Map<Integer, PartitionState> states) implements Serializable {
        RbmParameters parameters() {
            return new RbmParameters(visibleType, visible, hidden, weights, visibleBias, hiddenBias);
        }
    }
}
