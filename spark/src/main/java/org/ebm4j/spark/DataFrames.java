package org.ebm4j.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ebm4j.data.Dataset;

/** ebm4j data sets as Spark DataFrames. */
public final class DataFrames {
    private DataFrames() {
    }

    /**
     * The rows of {@code data} in order as a DataFrame with a vector column {@code features} and, when
     * the data have labels, a double column {@code label}, split into {@code partitions} contiguous slices.
     */
    public static org.apache.spark.sql.Dataset<Row> of(SparkSession spark, Dataset data, int partitions) {
        int cols = data.cols();
        float[] v = data.values();
        int[] labels = data.labels();
        List<Row> rows = new ArrayList<>(data.rows());
        for (int i = 0; i < data.rows(); i++) {
            double[] d = new double[cols];
            for (int j = 0; j < cols; j++) {
                d[j] = v[i * cols + j];
            }
            rows.add(labels == null ? RowFactory.create(Vectors.dense(d))
                    : RowFactory.create(Vectors.dense(d), (double) labels[i]));
        }
        StructType schema = new StructType().add("features", new VectorUDT(), false);
        if (labels != null) {
            schema = schema.add("label", DataTypes.DoubleType, false);
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(jsc.parallelize(rows, partitions), schema);
    }
}
