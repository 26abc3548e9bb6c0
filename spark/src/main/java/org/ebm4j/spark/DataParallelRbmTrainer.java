package org.ebm4j.spark;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * <p>Persistent chains (PCD) stay on their executor. Each partition's state (its sampling position and
 * its chains) is an element of a state RDD with the data's partitioning; a round zips the cached
 * shards with the previous round's states ({@code zipPartitions}), so each task reads its chains from
 * the block manager of the executor that wrote them, next to its shard, and writes the new ones there;
 * only the parameters, the velocity and a few bytes of placement cross the network. The state RDD of
 * each round is locally checkpointed (cached on its executor with the lineage cut, so the lineage
 * does not grow with the rounds) and the previous round's output is dropped once the next round has
 * read it. A retried task reads the same cached states and the same broadcast, so it recomputes the
 * same result; an executor lost with its cached states fails the run (Spark cannot rebuild a local
 * checkpoint), as the loss of a single machine's memory would.
 */
public final class DataParallelRbmTrainer extends EpochTrainer {
    /** The {@link #kind()} of this trainer. */
    public static final String KIND = "rbm-spark";
    /** Partition sums added per executor task before the driver adds the groups' sums. */
    static final int FAN_IN = 16;
    private static final Logger LOG = LoggerFactory.getLogger(DataParallelRbmTrainer.class);

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
    /** Each partition's state for the next round: zero or one element per partition, on its executor. */
    private JavaRDD<LocalRound.PartitionState> states;
    /** The last round's output, cached until the next round has read the states derived from it. */
    private JavaRDD<LocalRound.PartitionRound> lastOutput;
    /** The last round's broadcast: the states' lineage names it until the next round has checkpointed them. */
    private Broadcast<LocalRound.RoundInput> lastInput;
    private Map<Integer, String> placements = Map.of();
    private int round;
    private RoundTimes lastRound;
    private Consumer<RoundTimes> roundObserver = t -> { };

    /**
     * Where the time of one round went, on the driver's clock and the tasks': {@code broadcast} is the
     * driver's put of the round's broadcast, {@code fetch} and {@code compute} the slowest partition's
     * wait for the broadcast value and its updates, {@code collect} the driver's wait from submitting the
     * round's job to holding every partition's result (it contains fetch, compute, scheduling and the
     * results' transfer) and {@code sum} the driver's in-order sum and averaging.
     */
    record RoundTimes(double seconds, double broadcast, double fetch, double compute, double collect, double sum) {
    }

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
        this.states = statesFrom(Map.of());
    }

    /** Called with the times of every round (for the bench). */
    void observeRounds(Consumer<RoundTimes> observer) {
        this.roundObserver = observer;
    }

    /** A state RDD with the shards' partitioning holding {@code byPartition}'s states (none: fresh chains). */
    private JavaRDD<LocalRound.PartitionState> statesFrom(Map<Integer, LocalRound.PartitionState> byPartition) {
        Map<Integer, LocalRound.PartitionState> copy = new HashMap<>(byPartition);
        JavaRDD<LocalRound.PartitionState> s = shards.mapPartitionsWithIndex((p, rows) -> copy.containsKey(p)
                ? List.of(copy.get(p)).iterator() : Collections.<LocalRound.PartitionState>emptyIterator(), true);
        s.rdd().localCheckpoint();
        return s;
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
                p.hiddenBias(), velocityW, velocityVisible, velocityHidden));
        long broadcastDone = System.nanoTime();
        JavaRDD<LocalRound.PartitionRound> output = shards.zipPartitions(states, rounds.create(input))
                .persist(StorageLevel.MEMORY_AND_DISK());
        RoundSum sum;
        try {
            sum = aggregate(output.map(LocalRound.PartitionRound::sum));
        } catch (RuntimeException e) {
            output.unpersist(false);
            input.destroy();
            throw e;
        }
        long collected = System.nanoTime();
        if (sum.weights == null) {
            throw new IllegalStateException("no partition has training rows");
        }
        parameters = new RbmParameters(p.visibleType(), p.visible(), p.hidden(), RoundSum.mean(sum.weights, sum.rows),
                RoundSum.mean(sum.visibleBias, sum.rows), RoundSum.mean(sum.hiddenBias, sum.rows));
        velocityW = RoundSum.mean(sum.velocityW, sum.rows);
        velocityVisible = RoundSum.mean(sum.velocityVisible, sum.rows);
        velocityHidden = RoundSum.mean(sum.velocityHidden, sum.rows);
        // This round's job has read the previous states, which are now checkpointed on their executors
        // with their lineage cut, so the output and the broadcast they were derived from can go.
        dropLastRound();
        lastOutput = output;
        lastInput = input;
        states = output.flatMap(r -> r.next() == null ? Collections.<LocalRound.PartitionState>emptyIterator()
                : List.of(r.next()).iterator());
        states.rdd().localCheckpoint();
        if (!sum.placements.equals(placements)) {
            LOG.info("round {}: {}", round, describe(sum.placements));
            placements = Map.copyOf(sum.placements);
        }
        round++;
        long end = System.nanoTime();
        lastRound = new RoundTimes((end - start) * 1e-9, (broadcastDone - start) * 1e-9, sum.fetchSeconds,
                sum.computeSeconds, (collected - broadcastDone) * 1e-9, (end - collected) * 1e-9);
        roundObserver.accept(lastRound);
    }

    private void dropLastRound() {
        if (lastOutput != null) {
            lastOutput.unpersist(false);
            lastInput.destroy();
            lastOutput = null;
            lastInput = null;
        }
    }

    /**
     * The placements grouped by executor and backend, e.g. {@code executor 1: cpu (partitions 0, 2);
     * executor 2: cuda (partitions 1, 3)}.
     */
    static String describe(Map<Integer, String> placements) {
        Map<String, List<Integer>> byPlace = new TreeMap<>();
        new TreeMap<>(placements).forEach((partition, place) ->
                byPlace.computeIfAbsent(place, k -> new java.util.ArrayList<>()).add(partition));
        StringBuilder b = new StringBuilder();
        byPlace.forEach((place, parts) -> b.append(b.length() == 0 ? "" : "; ").append(place)
                .append(parts.size() == 1 ? " (partition " : " (partitions ")
                .append(parts.toString(), 1, parts.toString().length() - 1).append(')'));
        return b.toString();
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

    /** Where the last round's time went (null before the first round). */
    RoundTimes lastRound() {
        return lastRound;
    }

    /**
     * Where each partition ran in the last round: partition to {@code "executor ID: BACKEND"}, the
     * backend being the one the executor's probe chose (CUDA where it succeeds, CPU otherwise).
     */
    public Map<Integer, String> placements() {
        return placements;
    }

    /** Arrays {@code velocity.*}, counter {@code rounds} and each partition's {@code partition.P.*} state. */
    @Override
    protected void saveState(TrainingState.Builder s) {
        int nv = parameters.visible();
        int nh = parameters.hidden();
        s.array("velocity.W", nv, nh, velocityW).array("velocity.vbias", 1, nv, velocityVisible)
                .array("velocity.hbias", 1, nh, velocityHidden).counter("rounds", (long) round)
                .counter("partitions", (long) shards.getNumPartitions());
        // The only time the chains travel to the driver: a snapshot for a checkpoint or a rollback.
        for (LocalRound.PartitionState state : states.collect()) {
            String key = "partition." + state.partition();
            s.counter(key + ".sampling_draw", state.samplingDraw());
            if (state.chains() != null) {
                s.array(key + ".chains", options.chains(), nv, state.chains());
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
                restored.put(p, new LocalRound.PartitionState(p, s.counter(key + ".sampling_draw"), chains));
            }
        }
        states.unpersist(false);
        states = statesFrom(restored);
    }

    /** Drops the cached states and the last round's output (the cached shards belong to the caller). */
    @Override
    public void close() {
        states.unpersist(false);
        dropLastRound();
    }
}
