#!/usr/bin/env bash
# The latent-segmentation benchmark of docs/structured.md: a recognizer of strings of 2 to 4 MNIST digits
# (DigitStrings.Recipe.standard()) trained end to end with each of the perceptron, LVQ2 and NLL losses,
# then its whole-string and per-digit accuracy on held-out strings composed from digits it never saw,
# found (y*, z* = argmin E) and given the true segmentation (the cost of the latent variable).
#
#   scripts/bench-segment.sh [MNIST_DIR] [STRINGS] [HELD_OUT] [EPOCHS]
#
# Without MNIST_DIR the embedded 10,000 training digits are used (8,000 compose the training strings,
# 2,000 the held-out ones). Defaults: 1000 training strings, 300 held-out, 3 epochs: a modest size for a
# loaded 2-core machine (about 0.1 s per string and epoch there). Builds ebm.jar first when it is missing.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data=${1:-mnist-10k}
strings=${2:-1000}
held=${3:-300}
epochs=${4:-3}
if [ ! -f "$here/cli/target/ebm.jar" ]; then
  (cd "$here" && mvn -q -B -pl cli -am package -DskipTests)
fi
for loss in perceptron lvq2 nll; do
  scale=1
  if [ "$loss" = lvq2 ]; then scale=4; fi
  "$here/ebm" segment train --data "$data" --loss "$loss" --loss-scale "$scale" --strings "$strings" \
    --held-out "$held" --epochs "$epochs" --window 10x8 --stride 4 --max-span 10 --layers 32:softplus \
    --encoding block --lr 0.05 --momentum 0.5 --batch 10 --seed 1 --out "segment-bench-$loss" --json -q
done
