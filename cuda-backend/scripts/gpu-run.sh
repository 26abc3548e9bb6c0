#!/usr/bin/env bash
# Runs on the GPU machine, from the unpacked bundle (see gpu-bundle.sh); needs an NVIDIA driver for
# CUDA 12 or 13, no Java, no network. Writes everything to results/ next to this script.
#
#   1. the CUDA suites through the JUnit console launcher: the probe/selection tests, the parity
#      suite (Philox words, uniforms, fused sigmoid-Bernoulli and the other samplers element for
#      element against the Java spec; GEMM with cuBLAS and with the own kernel; reductions; out of
#      memory) and, when present, the Backend contract suite;
#   2. the timings: SGEMM GFLOP/s at the RBM shapes, fused sampler elements/s, CD-1 images/s at
#      batch 100, 1,000 and 10,000 (784 x 500), with each GEMM implementation.
#
# Exit status: 0 when every test passed and the timings ran.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
JAVA="$HERE/runtime/bin/java"
RESULTS="$HERE/results"
mkdir -p "$RESULTS"

console=$(ls "$HERE"/lib/junit-platform-console-standalone-*.jar)
cp=$(ls "$HERE"/lib/*.jar | grep -v junit-platform-console-standalone | tr '\n' ':')
opts=(-Xmx8g)
feature=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$HERE/runtime/release")
if [ "${feature:-17}" -ge 22 ]; then
    opts+=(--enable-native-access=ALL-UNNAMED)  # JCuda loads native code
fi

{ nvidia-smi || echo "nvidia-smi not available"; } > "$RESULTS/nvidia-smi.txt" 2>&1
echo "== $(head -1 "$RESULTS/nvidia-smi.txt")"

selectors=(--select-class org.ebm4j.cuda.CudaBackendProviderTest --select-class org.ebm4j.cuda.CudaDeviceParityTest)
if unzip -l "$HERE"/lib/ebm4j-cuda-backend-*-tests.jar | grep -q 'org/ebm4j/cuda/CudaBackendContractTest.class'; then
    selectors+=(--select-class org.ebm4j.cuda.CudaBackendContractTest)
fi

echo "== tests (log: results/tests.txt, XML: results/junit/)"
"$JAVA" "${opts[@]}" -jar "$console" execute --class-path "$cp" "${selectors[@]}" \
    --details=tree --reports-dir "$RESULTS/junit" 2>&1 | tee "$RESULTS/tests.txt"
tests_status=${PIPESTATUS[0]}

echo "== timings (results/timing.txt)"
"$JAVA" "${opts[@]}" -cp "$cp" org.ebm4j.cuda.Cd1Timing 100 1000 10000 2>&1 | tee "$RESULTS/timing.txt"
timing_status=${PIPESTATUS[0]}

echo "== tests exit status $tests_status, timings exit status $timing_status; results in $RESULTS"
[ "$tests_status" -eq 0 ] && [ "$timing_status" -eq 0 ]
