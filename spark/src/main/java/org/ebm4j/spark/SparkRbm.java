package org.ebm4j.spark;

import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.ebm4j.data.Binarization;
import org.ebm4j.io.Provenance;
import org.ebm4j.random.StreamId;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.RbmModelFile;
import org.ebm4j.rbm.RbmOptions;
import org.ebm4j.rbm.TrainingMethod;
import org.ebm4j.train.Optimizer;
import org.ebm4j.rbm.RbmParameters;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.TrainingListener;
import org.ebm4j.train.TrainingRun;

/**
 * Trains an {@link Rbm} on a Spark DataFrame in one call, data-parallel over its partitions
 * ({@link DataParallelRbmTrainer}): the counterpart of {@link Rbm#fit} for data that live in Spark.
 * The result is an ordinary ebm4j model on the driver's default backend, with its binarization, the
 * training data's means and its provenance, so it saves, loads and evaluates like any other.
 */
public final class SparkRbm {
    private SparkRbm() {
    }

    /**
     * Trains on column {@code featuresCol} of {@code data} (a Spark ML vector, {@code array<float>} or
     * {@code array<double>}; every row as long as the first) as {@code options} say, running
     * {@code updatesPerRound} minibatch updates per partition between two averagings. The data's
     * partitioning is the data-parallel split (repartition first to choose it); the same data,
     * partitioning, options and {@code updatesPerRound} give the same parameters. With one partition and
     * {@code updatesPerRound} equal to its batches per epoch, the parameters equal {@link Rbm#fit}'s bit
     * for bit on the same backend.
     *
     * <p>Refused options, each with a message saying what to do instead: {@code holdout > 0} (split the
     * DataFrame), {@code standardize} (use Spark ML's {@code StandardScaler}) and stochastic binarization
     * (its draws depend on a row's position in one tensor).
     *
     * @return the trained model on the driver's default backend; the caller closes it
     */
    public static Rbm fit(Dataset<?> data, String featuresCol, RbmOptions options, int updatesPerRound,
                          TrainingListener... listeners) {
        return fit(data, featuresCol, options, updatesPerRound, LocalRound::new, t -> { }, listeners);
    }

    /** {@link #fit} with another partition function (the retry test's seam) and an observer of every round's times. */
    static Rbm fit(Dataset<?> data, String featuresCol, RbmOptions options, int updatesPerRound,
                   DataParallelRbmTrainer.LocalRoundFactory rounds,
                   java.util.function.Consumer<DataParallelRbmTrainer.RoundTimes> roundObserver,
                   TrainingListener... listeners) {
        Objects.requireNonNull(options, "options");
        checkOptions(options, updatesPerRound);
        FeatureColumn column = new FeatureColumn(featuresCol);
        int width = column.width(data);
        String binarization = options.binarization().toString();
        JavaRDD<Shard> shards = column.read(data, width)
                .mapPartitionsWithIndex((p, rows) -> List.of(Shard.of(p, rows, width,
                        Binarization.parse(binarization, 0L))).iterator(), true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<ShardSummary> summaries = shards.map(ShardSummary::of).collect();
            long rows = 0;
            int maxBatches = 0;
            double[] sums = new double[width];
            for (ShardSummary s : summaries) {
                rows += s.rows();
                if (s.rows() > 0) {
                    int batch = Math.min(options.batchSize(), s.rows());
                    maxBatches = Math.max(maxBatches, (s.rows() + batch - 1) / batch);
                }
                for (int j = 0; j < width; j++) {
                    sums[j] += s.columnSums()[j];
                }
            }
            if (rows == 0) {
                throw new IllegalArgumentException("features column '" + featuresCol + "' has no rows to train on");
            }
            if (rows > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("the data have " + rows + " rows; at most " + Integer.MAX_VALUE
                        + " are supported");
            }
            int n = (int) rows;
            float[] means = visibleMeans(sums, n);
            Backend backend = Backends.get();
            RbmParameters initial = ExecutorBackend.run(b -> initialParameters(b, options, width, means));
            try (DataParallelRbmTrainer trainer = new DataParallelRbmTrainer(shards, options, updatesPerRound,
                    maxBatches, initial, rounds)) {
                trainer.observeRounds(roundObserver);
                TrainingRun.run(trainer, null, () -> modelFile(trainer, options, means, shards,
                        updatesPerRound, backend, featuresCol, n).toModelFile(), Checkpointing.none(), n,
                        TrainingRun.Metrics.none(), List.of(listeners));
                return Rbm.of(backend, modelFile(trainer, options, means, shards, updatesPerRound,
                        backend, featuresCol, n));
            }
        } finally {
            shards.unpersist(false);
        }
    }

    private static void checkOptions(RbmOptions o, int updatesPerRound) {
        if (updatesPerRound < 1) {
            throw new IllegalArgumentException("updates per round must be >= 1, found " + updatesPerRound);
        }
        if (o.holdout() > 0) {
            throw new IllegalArgumentException("holdout=" + o.holdout() + ": the Spark trainer trains on every row it "
                    + "is given; split the DataFrame (randomSplit) and set holdout 0");
        }
        if (o.standardize()) {
            throw new IllegalArgumentException("standardize=true is not supported by the Spark trainer; standardize "
                    + "the column with Spark ML's StandardScaler and set standardize false");
        }
        if (o.method() == TrainingMethod.PT) {
            throw new IllegalArgumentException("method=pt is not supported by the Spark trainer (the replicas and "
                    + "their swaps would have to travel between rounds); use cd or pcd");
        }
        if (o.centering()) {
            throw new IllegalArgumentException("centering=true is not supported by the Spark trainer (the offsets "
                    + "are not averaged between partitions); set centering false");
        }
        if (o.optimizer() != Optimizer.SGD) {
            throw new IllegalArgumentException("optimizer=" + o.optimizer().id() + " is not supported by the Spark "
                    + "trainer, which averages momentum-SGD velocities; use sgd");
        }
        if (o.patience() > 0) {
            throw new IllegalArgumentException("patience=" + o.patience() + ": the Spark trainer has no held-out "
                    + "rows to stop on; set patience 0");
        }
        if (o.binarization().toString().startsWith("stochastic")) {
            throw new IllegalArgumentException("binarization=" + o.binarization() + " is not supported by the Spark "
                    + "trainer (its draws depend on a row's place in one tensor); binarize the column first or use "
                    + "fixed or none");
        }
    }

    /**
     * The per-column means as the backends compute them ({@code (float) ((1f / n) * sum)} with the sum in
     * double), so one partition gives exactly the single-machine trainer's initial visible biases.
     */
    private static float[] visibleMeans(double[] sums, int rows) {
        float alpha = 1f / rows;
        float[] m = new float[sums.length];
        for (int j = 0; j < m.length; j++) {
            m[j] = (float) (alpha * sums[j]);
        }
        return m;
    }

    /** The single-machine trainer's initialization: weights from {@link StreamId#RBM_INIT}, biases from the means. */
    private static RbmParameters initialParameters(Backend backend, RbmOptions o, int visible, float[] means) {
        try (Rbm rbm = Rbm.zeros(backend, o.visibleType(), visible, o.hidden())) {
            rbm.initialize((float) o.initWeightStd(), StreamId.RBM_INIT.open(o.seed()), means);
            return rbm.parameters();
        }
    }

    /**
     * The trained model's file; its provenance names the driver's backend ({@code backend}) and, as
     * {@code spark.backends}, the executors' backends and the partitions each ran in the last round.
     */
    private static RbmModelFile modelFile(DataParallelRbmTrainer trainer, RbmOptions o, float[] means,
                                          JavaRDD<Shard> shards, int updatesPerRound, Backend backend,
                                          String featuresCol, int rows) {
        RbmParameters p = trainer.parameters();
        Provenance provenance = Provenance.builder().model(RbmModelFile.MODEL_KIND).options(o.toMap())
                .put("data.source", "spark column " + featuresCol).put("data.rows", Integer.toString(rows))
                .put("data.cols", Integer.toString(p.visible())).seed(o.seed())
                .backend(backend.name(), backend.describe())
                .put("spark.partitions", Integer.toString(shards.getNumPartitions()))
                .put("spark.updates_per_round", Integer.toString(updatesPerRound))
                .put("spark.backends", DataParallelRbmTrainer.describe(trainer.placements())).build();
        return new RbmModelFile(p, provenance.toMetadata(), null, means, o.binarization());
    }

    /** A shard's size and column sums, for the means and the round count. */
    record ShardSummary(int rows, double[] columnSums) implements java.io.Serializable {
        static ShardSummary of(Shard s) {
            return new ShardSummary(s.rows(), s.columnSums());
        }
    }
}
