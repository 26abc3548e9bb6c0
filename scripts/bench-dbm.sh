#!/usr/bin/env bash
# The MNIST DBM benchmark of docs/dbm.md: a 784-500-1000 DBM on the 60,000 training images, then its
# estimated test log-likelihood (AIS log Z with the odd layers summed out, and the variational bound).
#
#   scripts/bench-dbm.sh DIR [EPOCHS...]
#
# DIR holds the standard MNIST files (scripts/fetch-mnist.sh). For the curve of the estimate against
# training time, give several joint-epoch counts (default 10 30 100): each is a separate run from the
# same seed, timed, then evaluated on the 10,000 test images. Builds ebm.jar first when it is missing.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data=${1:?usage: bench-dbm.sh MNIST_DIR [JOINT_EPOCHS...]}
shift
epochs=("$@")
if [ ${#epochs[@]} -eq 0 ]; then
  epochs=(10 30 100)
fi
if [ ! -f "$here/cli/target/ebm.jar" ]; then
  (cd "$here" && mvn -q -B -pl cli -am package -DskipTests)
fi
for e in "${epochs[@]}"; do
  out="dbm-bench-$e"
  start=$(date +%s)
  "$here/ebm" dbm train --data "$data" --layers 500,1000 --pretrain-epochs 20 --pretrain-lr 0.05 \
    --epochs "$e" --lr 0.005 --lr-schedule linear:0.1 --momentum 0.5 --weight-decay 0.0002 --batch 100 \
    --persistent-chains 100 --k 1 --mf-iterations 10 --mf-tolerance 0.001 --seed 1 --out "$out" --json -q
  end=$(date +%s)
  echo "{\"joint_epochs\": $e, \"train_seconds\": $((end - start))}"
  "$here/ebm" dbm eval --model "$out/model.ebm" --data "$data" --split test --logz ais \
    --ais-runs 100 --ais-betas 14500 --json
done
