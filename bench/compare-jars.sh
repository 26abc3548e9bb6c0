#!/usr/bin/env bash
# Compares two builds of the bench jar (say main and a branch) on one machine, alternating A B A B so
# that whatever else runs on the machine weighs on both alike, and prints one table: the median of
# each figure per jar and the ratio B/A (above 1: B is faster).
#   - SGEMM at the four RBM shapes, 2 threads, JMH (GFLOP/s);
#   - CD-1 784x500, batch 100 on MNIST (RbmEpochBench): first and steady epoch (s), their ratio, and the
#     JVM uptime when the first epoch starts (loading MNIST and setting up the RBM).
# Only ratios from the same run compare; the load average is printed before and after.
#
# Usage: bench/compare-jars.sh A.jar B.jar   (each a bench/target/benchmarks.jar, copied aside)
# Environment: JAVA (default: java), DATA (MNIST directory, default ../shared/data/mnist), ROUNDS (A/B
#   pairs, default 3), SHAPES (default: all four), SGEMM=no skips the SGEMM, EPOCH=no the epochs.
set -euo pipefail
a_jar=${1:?usage: compare-jars.sh A.jar B.jar}
b_jar=${2:?usage: compare-jars.sh A.jar B.jar}
java=${JAVA:-java}
data=${DATA:-../shared/data/mnist}
rounds=${ROUNDS:-3}
shapes=${SHAPES:-NN_100x784x500,NN_1000x784x500,TN_784x100x500,NT_100x500x784}
for j in "$a_jar" "$b_jar"; do
  [ -f "$j" ] || { echo "compare-jars: expected a bench jar at $j, found none (build with mvn -q -B -pl bench -am package -DskipTests)" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
vm=(--add-modules jdk.incubator.vector)
# The epochs take the JVM options ./ebm gives every run (JMH's steady state does not need them).
run_vm=("${vm[@]}" "@$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/cli/src/main/launcher/jvm.args")
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)
IFS=, read -r -a shape_list <<< "$shapes"

# One line "KEY VALUE" per figure into $tmp/<side>.txt.
measure() {
  local side=$1 jar=$2
  if [ "${SGEMM:-yes}" != no ]; then
    "$java" "${vm[@]}" -jar "$jar" Sgemm --kernels vector --threads 2 --shapes "$shapes" -w 4 -i 4 -q > "$tmp/sgemm.txt"
    for shape in "${shape_list[@]}"; do
      # SgemmBench labels a shape "(m)x(k) . (k)x(n)"; the shape name is op_(m)x(k)x(n).
      label=$(echo "$shape" | awk -F'[_x]' '{ printf "%sx%s . %sx%s", $2, $3, $3, $4 }')
      awk -F'|' -v s=" $label " -v k="$shape" '{ c = $3 " " } index(c, s) && $4 ~ /vector/ && $5 ~ / 2 / { split($6, f, " "); print k, f[1] }' \
          "$tmp/sgemm.txt" >> "$tmp/$side.txt"
    done
  fi
  if [ "${EPOCH:-yes}" != no ]; then
    "$java" "${run_vm[@]}" -cp "$jar" org.ebm4j.bench.RbmEpochBench --data "$data" --method cd --k 1 --hidden 500 --batch 100 \
        --epochs 2 --warmup 1 > "$tmp/epoch.txt" 2>&1
    # Process CPU time (every thread, the JIT compilers included) moves less than wall time with the load;
    # the steady figure is the mean of the timed epochs, which for two is their median.
    awk '/^epoch 1 \(warm-up\)/ { print "CD1_first_epoch_s", $4; if ($9 == "cpu") print "CD1_first_epoch_cpu_s", $10
                                  if ($NF == "ms") print "CD1_epoch1_start_uptime_s", $(NF - 1) / 1000 }
         /^epoch [0-9]+:/ && $8 == "cpu" { cpu += $9; n++ }
         /^RESULT/ { for (i = 1; i <= NF; i++) if ($i == "epoch") { print "CD1_steady_epoch_s", $(i + 1); break } }
         END { if (n) print "CD1_steady_epoch_cpu_s", cpu / n }' \
        "$tmp/epoch.txt" >> "$tmp/$side.txt"
  fi
}

for r in $(seq "$rounds"); do
  echo "round $r of $rounds (load $(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo n/a))" >&2
  measure A "$a_jar"
  measure B "$b_jar"
  for side in A B; do
    echo "  $side: $(awk -v r="$r" '{ n[$1]++ } n[$1] == r { printf "%s %s  ", $1, $2 }' "$tmp/$side.txt")" >&2
  done
done

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo
echo "CPU: $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || uname -m); $("$java" -version 2>&1 | head -1); $rounds A/B rounds; load average before $load_before, after $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
echo "A: $a_jar  B: $b_jar"
echo
echo "| Measure | A (median) | B (median) | B faster by (B/A for GFLOP/s, A/B for seconds) |"
echo "|---|---:|---:|---:|"
for key in $(awk '{ print $1 }' "$tmp/A.txt" | awk '!seen[$0]++'); do
  a=$(awk -v k="$key" '$1 == k { print $2 }' "$tmp/A.txt" | median)
  b=$(awk -v k="$key" '$1 == k { print $2 }' "$tmp/B.txt" | median)
  ratio=$(awk -v a="$a" -v b="$b" -v k="$key" 'BEGIN { if (a > 0 && b > 0) printf "%.2fx", (k ~ /_s$/) ? a / b : b / a; else print "n/a" }')
  echo "| $key | $a | $b | $ratio |"
done
for side in A B; do
  f=$(awk '$1 == "CD1_first_epoch_s" { print $2 }' "$tmp/$side.txt" | median)
  s=$(awk '$1 == "CD1_steady_epoch_s" { print $2 }' "$tmp/$side.txt" | median)
  fc=$(awk '$1 == "CD1_first_epoch_cpu_s" { print $2 }' "$tmp/$side.txt" | median)
  sc=$(awk '$1 == "CD1_steady_epoch_cpu_s" { print $2 }' "$tmp/$side.txt" | median)
  awk -v f="$f" -v s="$s" -v fc="$fc" -v sc="$sc" -v side="$side" 'BEGIN { if (f + 0 > 0 && s + 0 > 0) printf "%s first / steady epoch: %.2f (target <= 1.25)", side, f / s;
      if (fc + 0 > 0 && sc + 0 > 0) printf ", process CPU time %.2f", fc / sc; print "" }'
done
