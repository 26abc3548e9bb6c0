#!/usr/bin/env bash
# The Spark epoch bench: epochs of a 784x500 CD-1 RBM (batch 100) on the 60,000 MNIST training images
# with the single-machine trainer, then with Spark in local-cluster mode with 1 and 2 executors (real
# executor JVMs). local-cluster mode starts executors from $SPARK_HOME/jars, so this lays out a
# SPARK_HOME from the Maven dependency jars (offline, nothing downloaded) plus ebm4j's own jars.
# Not a test: it takes minutes. Compare only figures from one run of this script.
#
#   spark/bench-spark.sh [MNIST_IDX_DIR]   env: EPOCHS (1), K (1), WORK (spark/target/bench), PARQUET
#                                          (WORK/mnist-parquet, written first when absent), JAVA_HOME
set -euo pipefail
cd "$(dirname "$0")/.."
MNIST=${1:-/work/shared/data/mnist}
EPOCHS=${EPOCHS:-1}
K=${K:-1}
WORK=${WORK:-$PWD/spark/target/bench}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
export SPARK_HOME=$WORK/spark-home
# The launcher takes the Scala version from here (else from a Spark source tree's build directories)
# and reads $SPARK_HOME/jars when a RELEASE file marks SPARK_HOME as a distribution.
export SPARK_SCALA_VERSION=2.13
PARQUET=${PARQUET:-$WORK/mnist-parquet}

# package (not install: ~/.m2 stays as it is) so the reactor's dependencies are this tree's jars.
mvn -o -q -B -pl spark -am package dependency:copy-dependencies -DskipTests -DincludeScope=compile \
    -DoutputDirectory="$SPARK_HOME/jars"
cp spark/target/ebm4j-spark-*[0-9T].jar "$SPARK_HOME/jars/"
touch "$SPARK_HOME/RELEASE"
jar cf "$SPARK_HOME/jars/ebm4j-spark-bench.jar" -C spark/target/test-classes org
# The JVM flags Spark's launcher would add (spark/pom.xml keeps the list), for the driver; Spark adds
# them to the executors itself, and the bench adds the Vector API module there.
OPENS=$(sed -n 's:.*<spark.jvm.opens>\(.*\)</spark.jvm.opens>.*:\1:p' spark/pom.xml)
if "$JAVA" -version 2>&1 | grep -qE 'version "(2[4-9]|[3-9][0-9])'; then
  OPENS="$OPENS --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED"
fi
run() {
  # shellcheck disable=SC2086
  "$JAVA" -Xmx3g $OPENS -cp "$SPARK_HOME/jars/*" "$@"
}
if [ ! -d "$PARQUET/train" ]; then
  run -Dspark.driver.host=127.0.0.1 org.ebm4j.spark.MnistToParquet "$MNIST" "$PARQUET" 8 2>"$WORK/convert.log"
fi
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cpus, $("$JAVA" -version 2>&1 | head -1)"
for mode in single "local-cluster[1,1,2048] 1" "local-cluster[2,1,2048] 2"; do
  set -- $mode
  echo "== $1 (load before: $(cat /proc/loadavg))"
  run org.ebm4j.spark.SparkEpochBench "$MNIST" "$PARQUET" "$1" "$EPOCHS" "$K" "${2:-1}" 2>"$WORK/bench-${2:-0}.log"
done
