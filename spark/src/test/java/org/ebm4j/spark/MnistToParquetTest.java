package org.ebm4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ebm4j.data.Mnist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistToParquetTest {
    @Test
    void theBundledImagesRoundTripThroughParquet(@TempDir Path dir) throws Exception {
        List<String> written = MnistToParquet.write(SparkTests.session(), "embedded", dir.toString(), 1);
        assertEquals(List.of(dir + "/train"), written);
        Dataset<Row> back = SparkTests.session().read().parquet(dir + "/train");
        assertEquals(Mnist.EMBEDDED_COUNT, back.count());
        org.ebm4j.data.Dataset mnist = Mnist.embedded();
        // One partition writes one file, which keeps the rows in order.
        Row first = back.first();
        Vector v = first.getAs("features");
        assertEquals(784, v.size());
        for (int j = 0; j < 784; j++) {
            assertEquals(mnist.values()[j], (float) v.apply(j), "pixel " + j);
        }
        assertEquals(mnist.labels()[0], (int) first.getDouble(first.fieldIndex("label")));
    }
}
