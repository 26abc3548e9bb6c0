#!/usr/bin/env bash
# Runs the RBM throughput harness or the PyDeep reference recipe from the bench module.
#
#   scripts/bench-rbm.sh epoch  [--data DIR] [--method cd|pcd] [--k K] [--hidden N] [--batch B] [--epochs E] [--warmup W]
#   scripts/bench-rbm.sh pydeep [--data DIR] [--epochs 50] [--ais-betas 14500] [--ais-runs 100]
#   scripts/bench-rbm.sh tempering [--data DIR] [--hidden 25] [--epochs 10] [--limit 60000] [--replicas 10] [--min-beta 0.1]
#
# Builds bench and what it needs (no install), then runs the main class with the Vector API.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
what=${1:?usage: bench-rbm.sh epoch|pydeep|tempering [--name value ...]}
shift
case "$what" in
  epoch) main=org.ebm4j.bench.RbmEpochBench ;;
  pydeep) main=org.ebm4j.bench.PyDeepRecipe ;;
  tempering) main=org.ebm4j.bench.TemperingCenteringBench ;;
  *) echo "bench-rbm.sh: unknown benchmark '$what' (epoch, pydeep or tempering)" >&2; exit 2 ;;
esac
mvn -q -B -o -pl bench -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/classpath.txt \
  || mvn -q -B -pl bench -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
# shellcheck disable=SC2086
exec java --add-modules jdk.incubator.vector ${EBM_JAVA_OPTS:-} -cp "$cp" "$main" "$@"
