package org.ebm4j.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Small DataFrames for the tests: rows in order, split into contiguous partitions. */
final class Frames {
    private Frames() {
    }

    /** {@code rows x cols} binary values with a little structure (two prototypes, 10% of bits flipped). */
    static float[] binary(int rows, int cols, long seed) {
        Random r = new Random(seed);
        float[] v = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            int proto = r.nextInt(2);
            for (int j = 0; j < cols; j++) {
                boolean on = (j % 2 == 0) == (proto == 0);
                v[i * cols + j] = on != (r.nextDouble() < 0.1) ? 1f : 0f;
            }
        }
        return v;
    }

    /** The rows of {@code values} as a Spark ML vector column {@code features}, with a double column {@code label}. */
    static Dataset<Row> vectors(float[] values, int cols, int[] labels, int partitions) {
        return DataFrames.of(SparkTests.session(), new org.ebm4j.data.Dataset("rows", values.length / cols, cols, values,
                labels, 0, 0), partitions);
    }

    /** The rows of {@code values} as an {@code array<float>} column {@code features}, in {@code partitions} contiguous slices. */
    static Dataset<Row> arrays(float[] values, int cols, int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < values.length / cols; i++) {
            rows.add(RowFactory.create((Object) java.util.Arrays.copyOfRange(values, i * cols, (i + 1) * cols)));
        }
        StructType schema = new StructType().add("features", DataTypes.createArrayType(DataTypes.FloatType));
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SparkTests.session().sparkContext());
        return SparkTests.session().createDataFrame(jsc.parallelize(rows, partitions), schema);
    }
}
