package org.ebm4j.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one {@code local[2]} SparkSession every test of the module shares: starting one costs seconds,
 * and Surefire runs all test classes in one JVM. Stopped when the JVM exits.
 */
final class SparkTests {
    private static SparkSession session;

    private SparkTests() {
    }

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder().master("local[2]").appName("ebm4j-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    // A task that fails is retried up to 4 times in local mode only with this master suffix;
                    // local[2] alone never retries, so the retry test sets task.maxFailures through the master.
                    .config("spark.driver.host", "127.0.0.1")
                    .getOrCreate();
            session.sparkContext().setLogLevel("WARN");
            SparkSession s = session;
            Runtime.getRuntime().addShutdownHook(new Thread(s::stop));
        }
        return session;
    }
}
