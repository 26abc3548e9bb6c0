package org.ebm4j.spark;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.Mnist;

/**
 * Writes MNIST (IDX files, optionally gzipped) to Parquet with a vector column {@code features}
 * (pixels scaled to [0, 1]) and a double column {@code label}: {@code <out>/train} and, when the
 * directory has the test files, {@code <out>/test}.
 *
 * <pre>
 * java -cp ... org.ebm4j.spark.MnistToParquet MNIST_DIR|embedded OUT_DIR [PARTITIONS]
 * </pre>
 * {@code embedded} writes the 10,000 bundled training images. The master is {@code spark.master}
 * when set (spark-submit sets it), else {@code local[*]}.
 */
public final class MnistToParquet {
    private MnistToParquet() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: MnistToParquet MNIST_DIR|embedded OUT_DIR [PARTITIONS]");
            System.exit(2);
        }
        int partitions = args.length == 3 ? Integer.parseInt(args[2]) : 4;
        try (SparkSession spark = session("ebm4j MNIST to Parquet")) {
            for (String path : write(spark, args[0], args[1], partitions)) {
                System.out.println("wrote " + path);
            }
        }
    }

    /** Writes the splits and returns the paths written. */
    static java.util.List<String> write(SparkSession spark, String source, String out, int partitions)
            throws IOException {
        java.util.List<String> written = new java.util.ArrayList<>();
        boolean embedded = source.equals("embedded");
        Dataset train = embedded ? Mnist.embedded() : Mnist.load(Path.of(source), Mnist.Split.TRAIN);
        written.add(save(spark, train, out + "/train", partitions));
        if (!embedded) {
            written.add(save(spark, Mnist.load(Path.of(source), Mnist.Split.TEST), out + "/test", partitions));
        }
        return written;
    }

    private static String save(SparkSession spark, Dataset d, String path, int partitions) {
        DataFrames.of(spark, d, partitions).write().mode(SaveMode.Overwrite).parquet(path);
        return path;
    }

    /** A session on {@code spark.master} when set, else {@code local[*]}. */
    static SparkSession session(String app) {
        SparkSession.Builder b = SparkSession.builder().appName(app);
        if (System.getProperty("spark.master") == null) {
            b.master("local[*]");
        }
        return b.getOrCreate();
    }
}
