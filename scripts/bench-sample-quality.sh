#!/usr/bin/env bash
# Sample quality of a 784x500 RBM, PCD against parallel tempering (docs/rbm.md): two RBMs trained on the
# 60,000 MNIST training images with the same options, seed and epochs, one with --method pcd and one
# with --method pt; from each, CHAINS samples drawn by block Gibbs sampling (GIBBS_STEPS sweeps) and by
# parallel tempering (PT_STEPS steps of REPLICAS replicas, so the same number of sweeps when
# GIBBS_STEPS = PT_STEPS x REPLICAS). A classifier trained on the labels judges every sample set: how
# many of the 10 digits occur among its classes and the entropy of their histogram (log2 10 = 3.32
# bits when every digit is equally frequent, 0 when all samples look like one digit).
#
#   scripts/bench-sample-quality.sh MNIST_DIR [OUT]
#
# JUDGE=FILE uses that classifier (a fine-tuned DBN or `ebm dbm classify`'s model); without it a
# 784-500-500-10 DBN is trained first (JUDGE_PRETRAIN and JUDGE_FINETUNE epochs). Its test error comes
# first in OUT/quality.jsonl, then one `classes` event per sample set, each preceded by a `set` line
# naming it. Samples go to OUT/samples-<training>-<sampler>.png and .csv; the RBMs to OUT/rbm-pcd and
# OUT/rbm-pt. EPOCHS (default 5), REPLICAS (10, ladder geometric down to beta MIN_BETA, 0.1), CHAINS
# (1000), GIBBS_STEPS (1000) and PT_STEPS (100) set the sizes. Builds ebm.jar first when it is missing.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data=${1:?usage: bench-sample-quality.sh MNIST_DIR [OUT]}
out=${2:-sample-quality}
epochs=${EPOCHS:-5}
replicas=${REPLICAS:-10}
min_beta=${MIN_BETA:-0.1}
chains=${CHAINS:-1000}
gibbs_steps=${GIBBS_STEPS:-1000}
pt_steps=${PT_STEPS:-100}
ebm="$here/ebm"
if [ ! -f "$here/cli/target/ebm.jar" ]; then
  (cd "$here" && mvn -q -B -pl cli -am package -DskipTests)
fi
mkdir -p "$out"
log="$out/quality.jsonl"
: > "$log"

judge=${JUDGE:-}
if [ -z "$judge" ]; then
  "$ebm" dbn train --data "$data" --layers 500,500 --pretrain-epochs "${JUDGE_PRETRAIN:-2}" \
    --finetune-epochs "${JUDGE_FINETUNE:-10}" --seed 1 --out "$out/judge" --json -q > "$out/judge.jsonl"
  judge="$out/judge/model.ebm"
fi
"$ebm" dbn eval --model "$judge" --data "$data" --json -q | tee -a "$log"

for method in pcd pt; do
  start=$(date +%s.%N)
  "$ebm" rbm train --data "$data" --hidden 500 --method "$method" --replicas "$replicas" \
    --betas "geometric:$min_beta" --epochs "$epochs" --seed 1 --out "$out/rbm-$method" --json -q \
    > "$out/train-$method.jsonl"
  printf '{"event":"trained","method":"%s","epochs":%d,"seconds":%s}\n' "$method" "$epochs" \
    "$(echo "$(date +%s.%N) - $start" | bc)" | tee -a "$log"
  for sampler in gibbs pt; do
    steps=$gibbs_steps
    [ "$sampler" = pt ] && steps=$pt_steps
    set_name="samples-$method-$sampler"
    start=$(date +%s.%N)
    "$ebm" rbm sample --model "$out/rbm-$method/model.ebm" --method "$sampler" --replicas "$replicas" \
      --betas "geometric:$min_beta" --chains "$chains" --steps "$steps" --seed 1 --out "$out/$set_name.png" \
      --samples-csv "$out/$set_name.csv" --json -q > /dev/null
    printf '{"event":"set","training":"%s","sampler":"%s","steps":%d,"seconds":%s}\n' "$method" "$sampler" \
      "$steps" "$(echo "$(date +%s.%N) - $start" | bc)" | tee -a "$log"
    "$ebm" dbn eval --model "$judge" --data "$out/$set_name.csv" --json -q | tee -a "$log"
  done
done
