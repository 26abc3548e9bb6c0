package org.ebm4j.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerBlockUpdated;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.BlockUpdatedInfo;
import org.ebm4j.data.Mnist;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.RbmOptions;
import org.ebm4j.rbm.TrainingMethod;
import org.ebm4j.tensor.Backends;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.EpochReport;
import org.ebm4j.train.TrainingListener;

/**
 * The Spark epoch bench, not a test (spark/bench-spark.sh runs it with Spark's jars laid out as a
 * SPARK_HOME): epochs of a 784x500 CD-1 RBM, batch 100, on the 60,000 MNIST training images, either
 * with the single-machine trainer ({@code single}) or with {@link SparkRbm#fit} on a master such as
 * {@code local-cluster[2,1,2048]}, printing each epoch's time, where each round's time went
 * ({@link DataParallelRbmTrainer.RoundTimes}) and the bytes a round moved, as Spark's listener bus
 * reports them: task results sent to the driver ({@code TaskMetrics.resultSize}), shuffle bytes, and
 * the broadcast pieces executors stored (parameters and task binaries fetched from the driver or from
 * each other).
 *
 * <pre>
 * SparkEpochBench MNIST_IDX_DIR PARQUET_DIR single|MASTER EPOCHS K PARTITIONS
 * </pre>
 */
final class SparkEpochBench {
    private SparkEpochBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: SparkEpochBench MNIST_IDX_DIR PARQUET_DIR single|MASTER EPOCHS K PARTITIONS");
            System.exit(2);
        }
        String master = args[2];
        int epochs = Integer.parseInt(args[3]);
        int k = Integer.parseInt(args[4]);
        int partitions = Integer.parseInt(args[5]);
        RbmOptions o = RbmOptions.builder().hidden(500).holdout(0).method(TrainingMethod.CD).k(1).batchSize(100)
                .epochs(epochs).learningRate(0.05).momentum(0.5).seed(1).build();
        if (master.equals("single")) {
            org.ebm4j.data.Dataset train = Mnist.load(Path.of(args[0]), Mnist.Split.TRAIN);
            Rbm.fit(Backends.get(), train, o, Checkpointing.none(), epochLine("single")).close();
            return;
        }
        SparkSession spark = SparkSession.builder().master(master).appName("ebm4j Spark epoch bench")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.executor.extraJavaOptions", "--add-modules=jdk.incubator.vector")
                .getOrCreate();
        try {
            spark.sparkContext().setLogLevel("WARN");
            Traffic traffic = new Traffic();
            spark.sparkContext().addSparkListener(traffic);
            Dataset<Row> train = spark.read().parquet(args[1] + "/train").repartition(partitions);
            RoundTotals totals = new RoundTotals(traffic);
            try (Rbm rbm = SparkRbm.fit(train, "features", o, k, LocalRound::new, totals::add,
                    epochLine(master + " P=" + partitions + " K=" + k), totals)) {
                System.out.println("backends: " + rbm.provenance().get("spark.backends"));
            }
            Thread.sleep(2000);
            totals.printTraffic();
        } finally {
            spark.stop();
        }
    }

    private static TrainingListener epochLine(String what) {
        return new TrainingListener() {
            @Override
            public void onReport(EpochReport r) {
                System.out.printf(Locale.ROOT, "%s epoch %d: %.2f s (%.0f rows/s) load %s%n", what, r.epoch(),
                        r.trainSeconds(), r.examplesPerSecond(), load());
            }
        };
    }

    static String load() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** The rounds' times of each epoch, and the traffic after the first round. */
    private static final class RoundTotals implements TrainingListener {
        private final Traffic traffic;
        private final List<DataParallelRbmTrainer.RoundTimes> epoch = new ArrayList<>();
        private long[] afterFirst;
        private int roundsAfterFirst;

        RoundTotals(Traffic traffic) {
            this.traffic = traffic;
        }

        void add(DataParallelRbmTrainer.RoundTimes t) {
            if (afterFirst == null) {
                afterFirst = traffic.snapshot();
            } else {
                roundsAfterFirst++;
            }
            epoch.add(t);
        }

        @Override
        public void onReport(EpochReport r) {
            double seconds = total(DataParallelRbmTrainer.RoundTimes::seconds);
            double broadcast = total(DataParallelRbmTrainer.RoundTimes::broadcast);
            double fetch = total(DataParallelRbmTrainer.RoundTimes::fetch);
            double compute = total(DataParallelRbmTrainer.RoundTimes::compute);
            double sum = total(DataParallelRbmTrainer.RoundTimes::sum);
            // collect holds fetch and compute (inside the tasks) plus scheduling and the results' transfer.
            double other = total(DataParallelRbmTrainer.RoundTimes::collect) - fetch - compute;
            System.out.printf(Locale.ROOT, "  %d rounds, per round %.1f ms: broadcast put %.1f ms (%.0f%%), "
                            + "broadcast fetch %.1f ms (%.0f%%), compute %.1f ms (%.0f%%), scheduling and result "
                            + "transfer %.1f ms (%.0f%%), driver sum %.1f ms (%.0f%%)%n", epoch.size(), ms(seconds),
                    ms(broadcast), 100 * broadcast / seconds, ms(fetch), 100 * fetch / seconds, ms(compute),
                    100 * compute / seconds, ms(other), 100 * other / seconds, ms(sum), 100 * sum / seconds);
            epoch.clear();
        }

        private double total(ToDoubleFunction<DataParallelRbmTrainer.RoundTimes> part) {
            return epoch.stream().mapToDouble(part).sum();
        }

        private double ms(double total) {
            return 1e3 * total / epoch.size();
        }

        void printTraffic() {
            long[] end = traffic.snapshot();
            int n = Math.max(1, roundsAfterFirst);
            System.out.printf(Locale.ROOT, "bytes per round (mean over %d rounds after the first): task results to "
                            + "the driver %.2f MB, shuffle %.2f MB, broadcast pieces stored by executors %.2f MB, "
                            + "tasks %.1f%n", roundsAfterFirst, (end[0] - afterFirst[0]) / 1e6 / n,
                    (end[1] - afterFirst[1]) / 1e6 / n, (end[2] - afterFirst[2]) / 1e6 / n,
                    (double) (end[3] - afterFirst[3]) / n);
        }
    }

    /** Bytes moved, as Spark's listener bus reports them. */
    private static final class Traffic extends SparkListener {
        private final AtomicLong results = new AtomicLong();
        private final AtomicLong shuffle = new AtomicLong();
        private final AtomicLong broadcastPieces = new AtomicLong();
        private final AtomicLong tasks = new AtomicLong();

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            TaskMetrics m = end.taskMetrics();
            tasks.incrementAndGet();
            if (m != null) {
                results.addAndGet(m.resultSize());
                shuffle.addAndGet(m.shuffleReadMetrics().totalBytesRead() + m.shuffleWriteMetrics().bytesWritten());
            }
        }

        @Override
        public void onBlockUpdated(SparkListenerBlockUpdated update) {
            BlockUpdatedInfo info = update.blockUpdatedInfo();
            // A piece stored by an executor is a piece it fetched; the driver's own pieces moved nowhere.
            if (info.blockId().isBroadcast() && info.blockId().name().contains("_piece")
                    && !info.blockManagerId().isDriver() && info.storageLevel().isValid()) {
                broadcastPieces.addAndGet(info.memSize() + info.diskSize());
            }
        }

        long[] snapshot() {
            return new long[] {results.get(), shuffle.get(), broadcastPieces.get(), tasks.get()};
        }
    }
}
