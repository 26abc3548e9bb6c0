#!/usr/bin/env bash
# Downloads the full MNIST set (60,000 training + 10,000 test images, with labels) into a
# directory that `ebm rbm train --data DIR` and `ebm rbm eval --data DIR` read.
#
#   scripts/fetch-mnist.sh [DIR]        (default: data/mnist)
#   MNIST_MIRROR=https://host/path/ scripts/fetch-mnist.sh   (a mirror of the four .gz files)
#
# Every file is checked against the SHA-256 of its decompressed IDX content (the original .gz
# files differ between mirrors in their gzip headers, their content does not). A file that is
# already present and correct is not downloaded again. Needs curl or wget, gzip and sha256sum.
#
# MNIST is by Yann LeCun, Corinna Cortes and Christopher J.C. Burges, licensed under
# CC BY-SA 3.0 (https://creativecommons.org/licenses/by-sa/3.0/).
set -euo pipefail
dir=${1:-data/mnist}
mirrors=(${MNIST_MIRROR:-} "https://ossci-datasets.s3.amazonaws.com/mnist/" "https://storage.googleapis.com/cvdf-datasets/mnist/")

# name  sha256 of the decompressed file
files=(
  "train-images-idx3-ubyte ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"
  "train-labels-idx1-ubyte 65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"
  "t10k-images-idx3-ubyte 0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"
  "t10k-labels-idx1-ubyte ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"
)

download() { # url, out
  if command -v curl >/dev/null; then curl -fsSL --retry 3 -o "$2" "$1"
  elif command -v wget >/dev/null; then wget -q -O "$2" "$1"
  else echo "fetch-mnist: neither curl nor wget is installed" >&2; return 1; fi
}
content_sha() { gzip -dc "$1" 2>/dev/null | sha256sum | cut -d' ' -f1; }

mkdir -p "$dir"
for entry in "${files[@]}"; do
  read -r name want <<<"$entry"
  gz="$dir/$name.gz"
  if [ -f "$gz" ] && [ "$(content_sha "$gz")" = "$want" ]; then
    echo "ok       $gz (already present)"
    continue
  fi
  got=""
  for m in "${mirrors[@]}"; do
    [ -n "$m" ] || continue
    if download "${m%/}/$name.gz" "$gz.part" && [ "$(content_sha "$gz.part")" = "$want" ]; then
      mv "$gz.part" "$gz"; got=$m; break
    fi
    echo "fetch-mnist: $name.gz from $m failed or did not match sha256 $want" >&2
  done
  rm -f "$gz.part"
  if [ -z "$got" ]; then
    echo "fetch-mnist: could not get a verified $name.gz; set MNIST_MIRROR to a mirror of the MNIST files" >&2
    exit 1
  fi
  echo "fetched  $gz (sha256 of content verified)"
done
echo "MNIST is in $dir: use --data $dir"
