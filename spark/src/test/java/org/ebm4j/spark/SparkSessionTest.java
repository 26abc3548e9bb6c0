package org.ebm4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.sql.SparkSession;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.junit.jupiter.api.Test;

class SparkSessionTest {
    @Test
    void localSessionRunsATaskThatUsesTheLibrary() {
        SparkSession spark = SparkTests.session();
        // Each task opens the executor's default backend: in local mode the executor is this JVM, so this
        // fails without the module flags Spark's launcher would pass.
        long n = spark.range(0, 100, 1, 2).javaRDD().map(i -> {
            Backend b = Backends.get();
            return b.name();
        }).distinct().count();
        assertEquals(1, n);
    }
}
