package org.ebm4j.spark;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;
import org.ebm4j.rbm.RbmOptions;
import org.ebm4j.rbm.RbmParameters;
import org.ebm4j.train.EpochTrainer;
import org.ebm4j.train.TrainingState;

/**
 * Synchronous data-parallel RBM training on Spark, on the library's trainer contract: an epoch is
 * {@link #batchesPerEpoch()} rounds; each round broadcasts the parameters and the velocity, each
 * partition runs {@code K} minibatch updates on its cached shard with its executor's backend
 * ({@link LocalRound}), and a two-level tree aggregation in partition order brings back the parameters and
 * velocities weighted by the partitions' rows, which the driver averages. With {@code K = 1} and equal shards a round is
 * one synchronous step on the union of the partitions' batches (gradient averaging); larger {@code K}
 * is local SGD (parameter averaging).
 *
 * <p>Momentum: the velocity is averaged like the parameters and broadcast with them, so every
 * partition starts a round from the same velocity. With {@code K = 1} and equal shards this is exactly
 * the single-machine momentum update on the union of the batches; with larger {@code K} it is the mean
 * of the partitions' local velocities (DL4J's "average updaters").
 *
 * <p>Persistent chains (PCD) stay per partition: each partition's chains and sampling position return
 * with the round's result and are broadcast back the next round, so a retried task, on any executor,
 * starts from the same state. This moves {@code chains x visible} floats per partition per round in
 * both directions.
 */
public final class DataParallelRbmTrainer extends EpochTrainer {
    /** The {@link #kind()} of this trainer. */
    public static final String KIND = "rbm-spark";
    /** Partition sums added per executor task before the driver adds the groups' sums. */
    static final int FAN_IN = 16;

    private final JavaSparkContext sc;
    private final JavaRDD<Shard> shards;
    private final LocalRoundFactory rounds;
    private final RbmOptions options;
    private final int updatesPerRound;
    private final int roundsPerEpoch;
    private RbmParameters parameters;
    private float[] velocityW;
    private float[] velocityVisible;
    private float[] velocityHidden;
    private Map<Integer, LocalRound.PartitionState> states = new HashMap<>();
    private int round;
    private double lastRoundSeconds;

    /** Builds the per-round partition function from the round's broadcast (a seam for the retry test). */
    interface LocalRoundFactory extends java.io.Serializable {
        LocalRound create(Broadcast<LocalRound.RoundInput> input);
    }

    DataParallelRbmTrainer(JavaRDD<Shard> shards, RbmOptions options, int updatesPerRound, int maxShardBatches,
                           RbmParameters initial, LocalRoundFactory rounds) {
        super(KIND, options.epochs());
        this.sc = JavaSparkContext.fromSparkContext(shards.context());
        this.shards = shards;
        this.rounds = rounds;
        this.options = options;
        this.updatesPerRound = updatesPerRound;
        this.roundsPerEpoch = (maxShardBatches + updatesPerRound - 1) / updatesPerRound;
        this.parameters = initial;
        this.velocityW = new float[initial.weights().length];
        this.velocityVisible = new float[initial.visible()];
        this.velocityHidden = new float[initial.hidden()];
    }

    @Override
    protected double runEpoch(int epochIndex, BatchDone done) {
        double lr = options.learningRate(epochIndex);
        for (int i = 0; i < roundsPerEpoch; i++) {
            runRound(lr);
            done.after(i + 1);
        }
        return lr;
    }

    private void runRound(double lr) {
        long start = System.nanoTime();
        RbmParameters p = parameters;
        Broadcast<LocalRound.RoundInput> input = sc.broadcast(new LocalRound.RoundInput(options.toMap(), round,
                updatesPerRound, lr, p.visibleType(), p.visible(), p.hidden(), p.weights(), p.visibleBias(),
                p.hiddenBias(), velocityW, velocityVisible, velocityHidden, states));
        try {
            RoundSum sum = aggregate(shards.mapPartitions(rounds.create(input)));
            if (sum.weights == null) {
                throw new IllegalStateException("no partition has training rows");
            }
            parameters = new RbmParameters(p.visibleType(), p.visible(), p.hidden(), RoundSum.mean(sum.weights, sum.rows),
                    RoundSum.mean(sum.visibleBias, sum.rows), RoundSum.mean(sum.hiddenBias, sum.rows));
            velocityW = RoundSum.mean(sum.velocityW, sum.rows);
            velocityVisible = RoundSum.mean(sum.velocityVisible, sum.rows);
            velocityHidden = RoundSum.mean(sum.velocityHidden, sum.rows);
            states = new HashMap<>(sum.states);
            round++;
        } finally {
            input.destroy();
        }
        lastRoundSeconds = (System.nanoTime() - start) * 1e-9;
    }

    /**
     * The partitions' sums, added in partition order in a tree of fan-in {@link #FAN_IN}: Spark's
     * {@code treeAggregate} combines partial results in the order tasks finish, and floating-point
     * addition of three or more terms depends on the order, so a run would not be reproducible. With
     * at most {@link #FAN_IN} partitions the driver adds them; with more, groups of {@link #FAN_IN}
     * consecutive partitions are added on the executors first.
     */
    private static RoundSum aggregate(JavaRDD<RoundSum> perPartition) {
        int partitions = perPartition.getNumPartitions();
        if (partitions <= FAN_IN) {
            return RoundSum.inOrder(perPartition.collect());
        }
        int groups = (partitions + FAN_IN - 1) / FAN_IN;
        return RoundSum.inOrder(perPartition.mapToPair(s -> new Tuple2<>(s.partition / FAN_IN, s))
                .groupByKey(groups).map(g -> RoundSum.inOrder(g._2())).collect());
    }

    /** Rounds per epoch: enough for the largest shard to see its data once with {@code K} updates per round. */
    @Override
    public int batchesPerEpoch() {
        return roundsPerEpoch;
    }

    /** The averaged parameters after the rounds run so far. */
    public RbmParameters parameters() {
        return parameters;
    }

    /** Rounds run so far. */
    public int rounds() {
        return round;
    }

    /** Wall-clock seconds of the last round on the driver (broadcast, partition work and aggregation). */
    public double lastRoundSeconds() {
        return lastRoundSeconds;
    }

    /** Arrays {@code velocity.*}, counter {@code rounds} and each partition's {@code partition.P.*} state. */
    @Override
    protected void saveState(TrainingState.Builder s) {
        int nv = parameters.visible();
        int nh = parameters.hidden();
        s.array("velocity.W", nv, nh, velocityW).array("velocity.vbias", 1, nv, velocityVisible)
                .array("velocity.hbias", 1, nh, velocityHidden).counter("rounds", (long) round)
                .counter("partitions", (long) shards.getNumPartitions());
        for (Map.Entry<Integer, LocalRound.PartitionState> e : states.entrySet()) {
            String key = "partition." + e.getKey();
            s.counter(key + ".sampling_draw", e.getValue().samplingDraw());
            if (e.getValue().chains() != null) {
                s.array(key + ".chains", options.chains(), nv, e.getValue().chains());
            }
        }
    }

    @Override
    protected void restoreState(TrainingState s) {
        int nv = parameters.visible();
        int nh = parameters.hidden();
        int partitions = (int) s.counter("partitions");
        if (partitions != shards.getNumPartitions()) {
            throw new IllegalArgumentException("training state has " + partitions + " partitions but the data has "
                    + shards.getNumPartitions() + "; repartition the data as it was");
        }
        velocityW = s.array("velocity.W", nv, nh);
        velocityVisible = s.array("velocity.vbias", 1, nv);
        velocityHidden = s.array("velocity.hbias", 1, nh);
        round = (int) s.counter("rounds");
        Map<Integer, LocalRound.PartitionState> restored = new HashMap<>();
        for (int p = 0; p < partitions && round > 0; p++) {
            String key = "partition." + p;
            if (s.counters().containsKey(key + ".sampling_draw")) {
                float[] chains = s.hasArray(key + ".chains") ? s.array(key + ".chains", options.chains(), nv) : null;
                restored.put(p, new LocalRound.PartitionState(s.counter(key + ".sampling_draw"), chains));
            }
        }
        states = restored;
    }

    @Override
    public void close() {
        // Nothing to free on the driver: the cached shards belong to the caller.
    }
}
