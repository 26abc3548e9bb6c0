package org.ebm4j.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one local SparkSession with two threads every test of the module shares: starting one costs seconds,
 * and Surefire runs all test classes in one JVM. Stopped when the JVM exits. The master
 * {@code local[2,2]} allows a task two attempts: plain {@code local[2]} never retries a failed task,
 * and the retry test needs one.
 */
final class SparkTests {
    private static SparkSession session;

    private SparkTests() {
    }

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder().master("local[2,2]").appName("ebm4j-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.driver.host", "127.0.0.1")
                    .getOrCreate();
            session.sparkContext().setLogLevel("WARN");
            SparkSession s = session;
            Runtime.getRuntime().addShutdownHook(new Thread(s::stop));
        }
        return session;
    }
}
