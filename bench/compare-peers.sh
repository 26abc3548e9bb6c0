#!/usr/bin/env bash
# Runs ebm4j's CPU benches and its peers side by side in one run and prints one table of ratios:
#   - SGEMM at the four RBM shapes, 2 threads: ebm4j (JMH, vector kernels) against numpy (its BLAS,
#     2 threads), if python3 has numpy;
#   - RBM epochs on MNIST, 784x500, batch 100: ebm4j CD-1, PCD-1, CD-10 (bench RbmEpochBench) against
#     PyTorch's CD-1 (bench/pytorch_cd1.py), if python3 has torch;
#   - the first epoch against a steady one, and the wall time of a whole one-epoch `ebm rbm train`
#     against PyTorch's whole-process time, if the CLI jar is built;
#   - with JAVA_B set, ebm4j's SGEMM and CD-1 epoch on that second JDK against the first (JAVA), each
#     run right after the first JDK's so that both see the same machine.
# Ratios are ebm4j's speed over the peer's (above 1: ebm4j is faster). Figures taken while other
# work runs on the machine are noise: the load average is printed before and after. Each peer's label
# names the BLAS its products ran on; on Debian's reference BLAS (no optimized one installed) the
# peer's figures are printed but its ratios are n/a, with a warning. For OpenBLAS the label also names
# the kernel it chose: a release older than the CPU picks an older core's (OpenBLAS 0.3.21 runs a Zen 5
# on its AVX2 "Haswell" kernels), and OPENBLAS_CORETYPE=SkylakeX gives such a CPU the AVX-512 ones.
#
# Usage: bench/compare-peers.sh [--quick]   (from the repository root, after mvn -q -B package -DskipTests)
#   --quick  a check that every step runs, not a measurement: short JMH runs, one timed epoch, CD-1 only
#   --help   prints this header
# Environment: JAVA (default: java), DATA (MNIST directory, default ../shared/data/mnist),
#   EPOCHS (timed epochs per configuration, default 3), PEER_THREADS (BLAS threads for numpy, default 2),
#   JAVA_B (a second JDK's java to compare with JAVA, e.g. /usr/lib/jvm/temurin-25-jdk-amd64/bin/java).
set -euo pipefail
quick=no
for arg in "$@"; do
  case "$arg" in
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
    --quick) quick=yes ;;
    *) echo "compare-peers: expected --quick or --help, found '$arg'" >&2; exit 2 ;;
  esac
done
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
java=${JAVA:-java}
java_b=${JAVA_B:-}
data=${DATA:-../shared/data/mnist}
epochs=${EPOCHS:-3}
jmh_iterations=()
configs=("cd 1" "pcd 1" "cd 10")
if [ "$quick" = yes ]; then
  epochs=1
  jmh_iterations=(-w 2 -i 2 -r 300)
  configs=("cd 1")
fi
threads=${PEER_THREADS:-2}
bench_jar=bench/target/benchmarks.jar
cli_jar=cli/target/ebm.jar
if [ ! -f "$bench_jar" ]; then
  echo "compare-peers: $bench_jar not found; build it first with: mvn -q -B package -DskipTests" >&2
  exit 1
fi
if [ ! -f "$data/train-images-idx3-ubyte.gz" ]; then
  echo "compare-peers: expected MNIST's train-images-idx3-ubyte.gz in $data (set DATA=dir), found none" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
vm=(--add-modules jdk.incubator.vector)
# Epochs and the whole run take the JVM options ./ebm gives every run (JMH's steady state does not need them).
run_vm=("${vm[@]}" "@cli/src/main/launcher/jvm.args")
rows=()
row() { rows+=("$(printf '| %s | %s | %s | %s |' "$1" "$2" "$3" "$4")"); }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2fx", a / b; else print "n/a" }'; }
# blas MODULE: which BLAS the peer's matrix products run on, read from the libraries its process has
# mapped after one product. Debian's numpy and PyTorch take whatever libblas.so.3 points to, which is
# the unoptimized reference BLAS unless an optimized one is installed: 30-70x slower, not a peer.
blas() {
  python3 - "$1" <<'PY' 2>/dev/null || echo "unknown"
import sys
if sys.argv[1] == "torch":
    import torch
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))
else:
    import numpy
    numpy.ones((64, 64), dtype=numpy.float32) @ numpy.ones((64, 64), dtype=numpy.float32)
libs = {line.split()[-1] for line in open("/proc/self/maps") if ".so" in line}
def kind(paths):
    for key, name in (("openblas", "OpenBLAS"), ("mkl", "MKL"), ("blis", "BLIS")):
        if any(key in p.lower() for p in paths):
            return name
    return None
# The generic libblas.so.3 (Debian's alternatives) decides when it is loaded; a LAPACK beside it may
# come from another package. Otherwise a bundled library names itself.
generic = [p for p in libs if p.rsplit("/", 1)[-1].startswith(("libblas.so", "libcblas.so"))]
if generic:
    name = kind(generic) or ("reference BLAS" if any("/blas/" in p for p in generic) else "unknown")
else:
    name = kind(libs) or "built-in"
if name == "OpenBLAS":
    # The kernel OpenBLAS chose for this CPU: a release older than the CPU falls back to an older
    # core's kernels (OPENBLAS_CORETYPE overrides the choice).
    import ctypes
    for p in sorted(libs):
        if "openblas" in p.lower():
            try:
                f = ctypes.CDLL(p).openblas_get_corename
                f.restype = ctypes.c_char_p
                name += ", core " + f().decode()
                break
            except (OSError, AttributeError):
                pass
print(name)
PY
}
# peer_label NAME BLAS: the peer's label, with a warning when its BLAS is the reference one.
peer_label() {
  if [ "$2" = "reference BLAS" ]; then
    echo "compare-peers: $1 runs on the reference BLAS; its figures are no peer (install an optimized one," \
        "e.g. apt-get install libopenblas0-pthread)" >&2
    echo "$1 on the reference BLAS (not a peer)"
  else
    echo "$1 ($2)"
  fi
}

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || uname -m)
jv=$("$java" -version 2>&1 | head -1)
if [ -n "$java_b" ]; then
  jv_b=$("$java_b" -version 2>&1 | head -1) || {
    echo "compare-peers: JAVA_B should be a java executable, found '$java_b'" >&2; exit 2; }
fi
# sgemm_rate FILE SHAPE: the 2-thread vector-kernel GFLOP/s of SHAPE (op_(m)x(k)x(n)) in SgemmBench's
# table, which labels it "(m)x(k) . (k)x(n)", with " (A^T)" or " (B^T)" after it when transposed.
sgemm_rate() {
  local label
  label=$(echo "$2" | awk -F'[_x]' '{ printf "%sx%s . %sx%s", $2, $3, $3, $4 }')
  awk -F'|' -v s=" $label " '{ c = $3 " " } index(c, s) && $4 ~ /vector/ && $5 ~ / 2 / { split($6, f, " "); print f[1] }' "$1"
}
# epoch_bench JAVA METHOD K OUT: RbmEpochBench at 784x500, batch 100, its output in OUT.
epoch_bench() {
  "$1" "${run_vm[@]}" -cp "$bench_jar" org.ebm4j.bench.RbmEpochBench --data "$data" --method "$2" --k "$3" \
      --hidden 500 --batch 100 --epochs "$epochs" --warmup 1 | tee "$4" >&2
}
median_epoch() { awk '/^RESULT/ { for (i = 1; i <= NF; i++) if ($i == "epoch") { print $(i + 1); exit } }' "$1"; }
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)

echo "== ebm4j SGEMM (JMH, vector kernels, 2 threads)" >&2
"$java" "${vm[@]}" -jar "$bench_jar" Sgemm --kernels vector --threads 2 ${jmh_iterations[@]+"${jmh_iterations[@]}"} -q | tee "$tmp/sgemm.txt" >&2
if [ -n "$java_b" ]; then
  echo "== ebm4j SGEMM on JAVA_B" >&2
  "$java_b" "${vm[@]}" -jar "$bench_jar" Sgemm --kernels vector --threads 2 ${jmh_iterations[@]+"${jmh_iterations[@]}"} -q | tee "$tmp/sgemm-b.txt" >&2
fi
have_numpy=no
python3 -c 'import numpy' 2>/dev/null && have_numpy=yes
if [ "$have_numpy" = yes ]; then
  numpy_blas=$(blas numpy)
  numpy_label=$(peer_label "numpy $(python3 -c 'import numpy; print(numpy.__version__)')" "$numpy_blas")
fi
shapes=(NN_100x784x500 NN_1000x784x500 TN_784x100x500 NT_100x500x784)
for shape in "${shapes[@]}"; do
  ours=$(sgemm_rate "$tmp/sgemm.txt" "$shape")
  if [ "$have_numpy" = yes ]; then
    # Same shape and transposition as SgemmBench: the shape name is op_(m)x(k)x(n); a transposed
    # operand is stored transposed and multiplied through its .T view, as BLAS sees it.
    peer=$(OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads MKL_NUM_THREADS=$threads python3 - "$shape" <<'PY'
import sys, time, numpy as np
op, dims = sys.argv[1].split("_"); m, k, n = map(int, dims.split("x"))
rng = np.random.default_rng(1)
a = rng.standard_normal((k, m) if op[0] == "T" else (m, k), dtype=np.float32)
b = rng.standard_normal((n, k) if op[1] == "T" else (k, n), dtype=np.float32)
A = a.T if op[0] == "T" else a
B = b.T if op[1] == "T" else b
c = np.empty((m, n), dtype=np.float32)
for _ in range(20):
    np.matmul(A, B, out=c)
rates = []
for _ in range(7):  # seven timed rounds of ~0.3 s; the median is the figure
    reps, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < 0.3:
        np.matmul(A, B, out=c); reps += 1
    rates.append(2.0 * m * n * k * reps / (time.perf_counter() - t0) / 1e9)
print(f"{sorted(rates)[3]:.1f}")
PY
)
    if [ "$numpy_blas" = "reference BLAS" ]; then
      row "SGEMM $shape, GFLOP/s" "${ours:-n/a}" "$numpy_label: $peer" "n/a"
    else
      row "SGEMM $shape, GFLOP/s" "${ours:-n/a}" "$numpy_label: $peer" "$(ratio "${ours:-0}" "$peer")"
    fi
  else
    row "SGEMM $shape, GFLOP/s" "${ours:-n/a}" "numpy not installed" "n/a"
  fi
done

have_torch=no
python3 -c 'import torch' 2>/dev/null && have_torch=yes
torch_median=0
torch_first=0
torch_process=0
torch_fair=yes
# torch_ratio A B: ratio A / B of a PyTorch figure, n/a when PyTorch is no peer
torch_ratio() { if [ "$torch_fair" = yes ]; then ratio "$1" "$2"; else echo "n/a"; fi; }
if [ "$have_torch" = yes ]; then
  echo "== PyTorch CD-1" >&2
  python3 bench/pytorch_cd1.py --data "$data" --epochs $((epochs + 1)) | tee "$tmp/torch.txt" >&2
  read -r torch_first torch_median torch_process < <(awk '/^RESULT/ { print $6, $8, $10 }' "$tmp/torch.txt")
  torch_blas=$(blas torch)
  torch_label=$(peer_label "PyTorch $(python3 -c 'import torch; print(torch.__version__)')" "$torch_blas")
  [ "$torch_blas" = "reference BLAS" ] && torch_fair=no
else
  torch_label="PyTorch not installed (python3 -c 'import torch' fails)"
fi

for cfg in "${configs[@]}"; do
  set -- $cfg
  echo "== ebm4j ${1^^}-$2 epochs" >&2
  epoch_bench "$java" "$1" "$2" "$tmp/epoch.txt"
  median=$(median_epoch "$tmp/epoch.txt")
  first=$(awk '/^epoch 1 \(warm-up\)/ { print $4 }' "$tmp/epoch.txt")
  if [ "$cfg" = "cd 1" ]; then
    if [ "$have_torch" = yes ]; then
      row "CD-1 epoch 784x500 b100, s (peer/ours)" "$median" "$torch_label: $torch_median" "$(torch_ratio "$torch_median" "$median")"
      row "CD-1 first epoch, s (peer/ours)" "$first" "$torch_label: $torch_first" "$(torch_ratio "$torch_first" "$first")"
    else
      row "CD-1 epoch 784x500 b100, s" "$median" "$torch_label" "n/a"
    fi
    row "ebm4j first / steady epoch (target <= 1.25)" "$first / $median" "-" "$(ratio "$first" "$median")"
    if [ -n "$java_b" ]; then
      echo "== ebm4j CD-1 epochs on JAVA_B" >&2
      epoch_bench "$java_b" cd 1 "$tmp/epoch-b.txt"
      median_b=$(median_epoch "$tmp/epoch-b.txt")
      row "CD-1 epoch, s, JAVA_B against JAVA (target >= 0.95)" "$median_b / $median" "-" "$(ratio "$median" "$median_b")"
    fi
  else
    row "${1^^}-$2 epoch 784x500 b100, s" "$median" "-" "-"
  fi
done

if [ -n "$java_b" ]; then
  for shape in "${shapes[@]}"; do
    a=$(sgemm_rate "$tmp/sgemm.txt" "$shape")
    b=$(sgemm_rate "$tmp/sgemm-b.txt" "$shape")
    row "SGEMM $shape, GFLOP/s, JAVA_B against JAVA (target >= 0.95)" "${b:-n/a} / ${a:-n/a}" "-" "$(ratio "${b:-0}" "${a:-0}")"
  done
fi

if [ -f "$cli_jar" ]; then
  echo "== whole one-epoch ebm rbm train" >&2
  t0=$(date +%s.%N)
  "$java" "${run_vm[@]}" -jar "$cli_jar" rbm train --data "$data" --method cd --k 1 --hidden 500 --batch 100 --epochs 1 \
      --lr 0.1 --momentum 0.5 --binarize fixed --out "$tmp/rbm-run" >&2
  wall=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
  if [ "$have_torch" = yes ]; then
    # PyTorch's process ran 1 + EPOCHS epochs; one epoch's process time is its total less the later epochs.
    torch_one=$(awk -v p="$torch_process" -v m="$torch_median" -v e="$epochs" 'BEGIN { printf "%.2f", p - e * m }')
    row "whole one-epoch run, s (CLI, holdout/metrics included; peer/ours)" "$wall" "$torch_label: ~$torch_one" "$(torch_ratio "$torch_one" "$wall")"
  else
    row "whole one-epoch run, s (CLI, holdout/metrics included)" "$wall" "$torch_label" "n/a"
  fi
else
  row "whole one-epoch run" "$cli_jar not built" "-" "-"
fi

echo
echo "CPU: $cpu; JAVA: $jv${java_b:+; JAVA_B: $jv_b}; load average before $load_before, after $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
echo
echo "| Measure | ebm4j | Peer | Ratio (ebm4j faster when > 1) |"
echo "|---|---:|---|---:|"
printf '%s\n' "${rows[@]}"
