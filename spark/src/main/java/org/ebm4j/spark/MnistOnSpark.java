package org.ebm4j.spark;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The runnable example: trains an RBM data-parallel on MNIST in Parquet (written by
 * {@link MnistToParquet}), feeds its hidden probabilities to Spark ML's logistic regression and prints
 * the held-out accuracy next to logistic regression on the raw pixels.
 *
 * <pre>
 * java -cp ... org.ebm4j.spark.MnistOnSpark PARQUET_DIR [HIDDEN] [EPOCHS] [PARTITIONS]
 * </pre>
 * Holds out {@code PARQUET_DIR/test} when it exists, else the last 20% of {@code PARQUET_DIR/train}.
 */
public final class MnistOnSpark {
    private MnistOnSpark() {
    }

    public static void main(String[] args) throws java.io.IOException {
        if (args.length < 1 || args.length > 4) {
            System.err.println("usage: MnistOnSpark PARQUET_DIR [HIDDEN] [EPOCHS] [PARTITIONS]");
            System.exit(2);
        }
        int hidden = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int partitions = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        try (SparkSession spark = MnistToParquet.session("ebm4j MNIST on Spark")) {
            Dataset<Row> train = spark.read().parquet(args[0] + "/train");
            Dataset<Row> test;
            if (new java.io.File(args[0], "test").exists()) {
                test = spark.read().parquet(args[0] + "/test");
            } else {
                Dataset<Row>[] split = train.randomSplit(new double[] {0.8, 0.2}, 1L);
                train = split[0];
                test = split[1];
            }
            train = train.repartition(partitions).cache();
            long start = System.nanoTime();
            RbmEstimator rbm = new RbmEstimator().setHidden(hidden).setEpochs(epochs).setUpdatesPerRound(5)
                    .setOutputCol("rbm");
            PipelineModel model = new Pipeline().setStages(new PipelineStage[] {rbm,
                    new LogisticRegression().setFeaturesCol("rbm").setMaxIter(100)}).fit(train);
            double seconds = (System.nanoTime() - start) * 1e-9;
            MulticlassClassificationEvaluator acc = new MulticlassClassificationEvaluator().setMetricName("accuracy");
            double withRbm = acc.evaluate(model.transform(test));
            double raw = acc.evaluate(new LogisticRegression().setMaxIter(100).fit(train).transform(test));
            System.out.printf("RBM %d hidden, %d epochs, %d partitions: pipeline trained in %.1f s%n", hidden, epochs,
                    partitions, seconds);
            System.out.printf("held-out accuracy: RBM features + logistic regression %.4f, raw pixels %.4f%n",
                    withRbm, raw);
        }
    }
}
