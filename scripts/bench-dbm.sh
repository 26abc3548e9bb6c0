#!/usr/bin/env bash
# The MNIST DBM benchmark of docs/dbm.md: a 784-500-1000 DBM on the 60,000 training images within
# one hour, and its estimated test log-likelihood (AIS log Z with the odd layers summed out, and the
# variational bound on the 10,000 test images) at several points of the run.
#
#   scripts/bench-dbm.sh MNIST_DIR [OUT] [all|train|eval|classify]
#
# MNIST_DIR holds the standard MNIST files (scripts/fetch-mnist.sh); OUT (default dbm-bench) receives
# the run directory of `ebm dbm train`, train.jsonl (its epoch events), snapshots/ and eval.jsonl.
# One training run gives the whole curve: the trainer rewrites its checkpoint atomically after every
# epoch (a rename, so each epoch's checkpoint is a new file), and this script hard-links each one into
# OUT/snapshots/N.ebm as it appears (N counts checkpoints: pretraining epochs of layer 1, then of
# layer 2, then joint epochs), with the seconds since the command started in snapshots.tsv. A
# checkpoint is a complete model file, so `ebm dbm eval` reads it. After training, the end of
# pretraining and the joint epochs in JOINT_POINTS are evaluated (AIS_RUNS x AIS_BETAS).
# LIMIT=N trains on the first N images only (a smoke test of the pipeline).
# `eval` alone re-evaluates the snapshots of an earlier `train`. `classify` (not part of `all`) fine-tunes
# the trained DBM (OUT/run/model.ebm, or MODEL=FILE) into a classifier on the 60,000 labelled training
# images with `ebm dbm classify` for CLASSIFY_EPOCHS epochs (default 20; the paper ran 100) and prints
# its error on the 10,000 test images: OUT/classifier/ and OUT/classify.jsonl. The inputs' posteriors
# q(h2 | v) use the mean field of joint training (10 sweeps or an RMS change of 0.001).
# Builds ebm.jar first when it is missing.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data=${1:?usage: bench-dbm.sh MNIST_DIR [OUT] [all|train|eval|classify]}
out=${2:-dbm-bench}
what=${3:-all}
pretrain=${PRETRAIN_EPOCHS:-20}
joint=${JOINT_EPOCHS:-40}
points=${JOINT_POINTS:-5 10 20 30 40}
ais_runs=${AIS_RUNS:-100}
ais_betas=${AIS_BETAS:-14500}
hidden_layers=2
classify_epochs=${CLASSIFY_EPOCHS:-20}
model=${MODEL:-$out/run/model.ebm}
ebm="$here/ebm"
if [ ! -f "$here/cli/target/ebm.jar" ]; then
  (cd "$here" && mvn -q -B -pl cli -am package -DskipTests)
fi
mkdir -p "$out/snapshots"

train() {
  rm -f "$out/snapshots/"*.ebm "$out/snapshots.tsv"
  start=$(date +%s.%N)
  "$ebm" dbm train --data "$data" --layers 500,1000 --pretrain-epochs "$pretrain" --pretrain-lr 0.05 \
    --epochs "$joint" --lr 0.005 --lr-schedule linear:0.1 --momentum 0.5 --weight-decay 0.0002 --batch 100 \
    --persistent-chains 100 --k 1 --mf-iterations 10 --mf-tolerance 0.001 --seed 1 --out "$out/run" \
    ${LIMIT:+--limit "$LIMIT"} --json -q > "$out/train.jsonl" &
  pid=$!
  staged="$out/run/.staging/checkpoint.ebm"
  last="" n=0
  # Polls once a second: the shortest epoch (pretraining the top RBM) takes over ten seconds.
  while kill -0 "$pid" 2>/dev/null; do
    inode=$(stat -c %i "$staged" 2>/dev/null || true)
    if [ -n "$inode" ] && [ "$inode" != "$last" ] && ln "$staged" "$out/snapshots/$((n + 1)).ebm" 2>/dev/null; then
      last=$inode
      n=$((n + 1))
      printf '%d\t%.1f\n' "$n" "$(echo "$(date +%s.%N) - $start" | bc)" >> "$out/snapshots.tsv"
    fi
    sleep 1
  done
  wait "$pid"
  echo "{\"event\":\"trained\",\"checkpoints\":$n,\"expected\":$((hidden_layers * pretrain + joint)),\"seconds\":$(echo "$(date +%s.%N) - $start" | bc)}"
}

evaluate() {
  for j in 0 $points; do
    n=$((hidden_layers * pretrain + j))
    seconds=$(awk -v n="$n" '$1 == n { print $2 }' "$out/snapshots.tsv")
    printf '{"event":"point","joint_epoch":%d,"checkpoint":%d,"train_seconds":%s}\n' "$j" "$n" "${seconds:-null}" \
      | tee -a "$out/eval.jsonl"
    "$ebm" dbm eval --model "$out/snapshots/$n.ebm" --data "$data" --split test --logz ais \
      --ais-runs "$ais_runs" --ais-betas "$ais_betas" --seed 1 --json -q | tee -a "$out/eval.jsonl"
  done
}

classify() {
  # The defaults of ebm dbm classify, written out: the momentum, weight decay and batch of ebm dbn train's
  # fine-tuning, a tenth of its learning rate.
  "$ebm" dbm classify --model "$model" --data "$data" --epochs "$classify_epochs" --lr 0.01 --momentum 0.9 \
    --weight-decay 0.00001 --batch 100 --mf-iterations 10 --mf-tolerance 0.001 --seed 1 --out "$out/classifier" \
    --json -q | tee "$out/classify.jsonl"
}

case "$what" in
  all) train; evaluate ;;
  train) train ;;
  eval) evaluate ;;
  classify) classify ;;
  *) echo "bench-dbm.sh: the third argument must be all, train, eval or classify, found '$what'" >&2; exit 2 ;;
esac
