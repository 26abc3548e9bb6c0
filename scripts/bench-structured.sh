#!/usr/bin/env bash
# The grammar-sequence and missing-input benchmarks of docs/structured.md.
#
#   scripts/bench-structured.sh grammar [MNIST_DIR] [SEQUENCES] [EPOCHS]
#   scripts/bench-structured.sh missing [MNIST_DIR] [ROWS] [UPDATES]
#   scripts/bench-structured.sh all     [MNIST_DIR]
#
# grammar: `ebm chain train` with each of the perceptron, hinge and NLL losses on the same sequences and
# seed (length 8, next digit = previous + 1 mod 10 with probability 0.8, else uniform; training sequences
# from the first 5,000 images of MNIST_DIR, test sequences from the next 1,000); each run prints held-out
# per-digit and whole-sequence accuracy of independent decoding and of Viterbi. Defaults: 1000 sequences,
# 5 epochs (one to two minutes per loss on a loaded 2-core machine).
#
# missing: a 25-dimensional real data set made from MNIST (the central 20x20 pixels averaged over 4x4
# blocks, columns standardized with the training rows' mean and sd; ROWS training rows from the first
# images, 500 held-out rows from the test split), an energy network trained on the complete rows and one
# trained on the same rows with 10% of the entries removed (--allow-missing); then 10% and 50% of the
# held-out entries removed (missing completely at random, seed 1) and filled by `ebm energy fill` with
# each model. Prints the mean squared error on the removed entries only (standardized units) beside two
# references: the column mean, and each row's conditional mean under one Gaussian fitted to the training
# rows. Needs python3 with numpy for the data and the error. Defaults: 2000 rows, 2000 updates.
#
# Outputs go to ./structured-bench/. Builds ebm.jar first when it is missing.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
what=${1:?usage: bench-structured.sh grammar|missing|all [MNIST_DIR] ...}
mnist=${2:-/work/shared/data/mnist}
out=structured-bench
mkdir -p "$out"
if [ ! -f "$here/cli/target/ebm.jar" ]; then
  (cd "$here" && mvn -q -B -pl cli -am package -DskipTests)
fi

grammar() {
  local sequences=${1:-1000} epochs=${2:-5}
  for loss in perceptron hinge nll; do
    "$here/ebm" chain train --data "$mnist" --limit 6000 --held-out 1000 --sequences "$sequences" \
      --test-sequences 300 --length 8 --follow 0.8 --loss "$loss" --layers 64:softplus --epochs "$epochs" \
      --seed 1 --out "$out/chain-$loss" --json -q
  done
}

missing() {
  local rows=${1:-2000} updates=${2:-2000} d="$out/missing"
  mkdir -p "$d"
  python3 - "$mnist" "$rows" "$d" <<'PY'
import gzip, sys
import numpy as np
mnist, rows, d = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def images(name, n):
    with gzip.open(f"{mnist}/{name}-images-idx3-ubyte.gz") as f:
        x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)[:n] / 255.0
    # The border is almost always blank: keep the central 20x20 and average 4x4 blocks (5x5 = 25 columns).
    return x[:, 4:24, 4:24].reshape(-1, 5, 4, 5, 4).mean(axis=(2, 4)).reshape(-1, 25)
train, test = images("train", rows), images("t10k", 500)
mean, sd = train.mean(0), train.std(0) + 1e-3
train, test = (train - mean) / sd, (test - mean) / sd
rng = np.random.default_rng(1)
def remove(x, fraction):
    mask = rng.random(x.shape) < fraction
    y = x.copy(); y[mask] = np.nan
    return y, mask
fmt = lambda x: "\n".join(",".join("" if np.isnan(v) else f"{v:.6g}" for v in r) for r in x) + "\n"
open(f"{d}/train.csv", "w").write(fmt(train))
open(f"{d}/train-10.csv", "w").write(fmt(remove(train, 0.10)[0]))
np.save(f"{d}/test.npy", test)
for p in (10, 50):
    partial, mask = remove(test, p / 100)
    open(f"{d}/test-{p}.csv", "w").write(fmt(partial)); np.save(f"{d}/mask-{p}.npy", mask)
PY
  local common=(--layers 64:softplus --iterations "$updates" --batch 50 --seed 1 --json -q)
  "$here/ebm" energy train --data "$d/train.csv" "${common[@]}" --out "$d/complete"
  "$here/ebm" energy train --data "$d/train-10.csv" --allow-missing "${common[@]}" --out "$d/missing10"
  for model in complete missing10; do
    for p in 10 50; do
      "$here/ebm" energy fill --model "$d/$model/model.ebm" --data "$d/test-$p.csv" --out "$d/filled-$model-$p.csv" --json -q
    done
  done
  python3 - "$d" <<'PY'
import sys, json
import numpy as np
d = sys.argv[1]
test = np.load(f"{d}/test.npy")
train = np.loadtxt(f"{d}/train.csv", delimiter=",")
for p in (10, 50):
    mask = np.load(f"{d}/mask-{p}.npy")
    row = {"removed_percent": p, "removed_entries": int(mask.sum()),
           "column_mean_mse": float(((np.broadcast_to(train.mean(0), test.shape) - test)[mask] ** 2).mean())}
    # A second reference: each row's conditional mean under one Gaussian fitted to the complete training rows.
    mu, cov = train.mean(0), np.cov(train, rowvar=False)
    gauss = test.copy()
    for r in range(test.shape[0]):
        m, o = mask[r], ~mask[r]
        if m.any():
            gauss[r, m] = mu[m] + cov[np.ix_(m, o)] @ np.linalg.solve(cov[np.ix_(o, o)], test[r, o] - mu[o])
    row["gaussian_conditional_mse"] = float(((gauss - test)[mask] ** 2).mean())
    for model in ("complete", "missing10"):
        filled = np.loadtxt(f"{d}/filled-{model}-{p}.csv", delimiter=",")
        row[f"{model}_mse"] = float(((filled - test)[mask] ** 2).mean())
    print(json.dumps({"event": "completion_error", **row}))
PY
}

case "$what" in
  grammar) shift 2 || shift $#; grammar "$@" ;;
  missing) shift 2 || shift $#; missing "$@" ;;
  all) grammar; missing ;;
  *) echo "bench-structured.sh: unknown benchmark '$what' (grammar, missing or all)" >&2; exit 2 ;;
esac
