#!/usr/bin/env bash
# Rebuilds the embedded default data set shipped in ebm4j-core: the first 10,000 MNIST training
# images and labels as gzipped IDX files. Deterministic: gzip -n stores no name or time stamp, so
# the same input and gzip version give byte-identical output.
#
#   scripts/make-embedded-mnist.sh [MNIST_DIR]     (default: ../shared/data/mnist)
#
# MNIST is by Yann LeCun, Corinna Cortes and Christopher J.C. Burges, CC BY-SA 3.0; see NOTICE.
set -eu
# No pipefail: head -c closes the pipe early on purpose, and the SIGPIPE it gives the
# decompressor is expected; the sizes are checked below instead.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=${1:-"$here/../../shared/data/mnist"}
out="$here/../core/src/main/resources/org/ebm4j/data"
n=10000
mkdir -p "$out"

cat_idx() { # plain or gzipped
  if [ -f "$1" ]; then cat "$1"; elif [ -f "$1.gz" ]; then gzip -dc "$1.gz"; else
    echo "missing $1 (or $1.gz)" >&2; exit 1; fi
}
be32() { printf "\\x$(printf %02x $(($1 >> 24 & 255)))\\x$(printf %02x $(($1 >> 16 & 255)))\\x$(printf %02x $(($1 >> 8 & 255)))\\x$(printf %02x $(($1 & 255)))"; }

# Images: magic 0x00000803, count, 28, 28, then count*784 bytes (the original header is 16 bytes).
{ be32 2051; be32 $n; be32 28; be32 28; cat_idx "$src/train-images-idx3-ubyte" | tail -c +17 | head -c $((n * 784)); } \
  | gzip -9 -n > "$out/mnist-train-10k-images-idx3-ubyte.gz"
# Labels: magic 0x00000801, count, then count bytes (the original header is 8 bytes).
{ be32 2049; be32 $n; cat_idx "$src/train-labels-idx1-ubyte" | tail -c +9 | head -c $n; } \
  | gzip -9 -n > "$out/mnist-train-10k-labels-idx1-ubyte.gz"

check() { # file, expected decompressed bytes
  local got; got=$(gzip -dc "$1" | wc -c)
  [ "$got" -eq "$2" ] || { echo "$1: expected $2 bytes after decompression, found $got" >&2; exit 1; }
}
check "$out/mnist-train-10k-images-idx3-ubyte.gz" $((16 + n * 784))
check "$out/mnist-train-10k-labels-idx1-ubyte.gz" $((8 + n))
ls -l "$out"/mnist-train-10k-*
sha256sum "$out"/mnist-train-10k-*
