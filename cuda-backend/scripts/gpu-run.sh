#!/usr/bin/env bash
# Runs on the GPU machine from the unpacked bundle (see gpu-bundle.sh); needs an NVIDIA driver for
# CUDA 12 or 13 and nothing else: no Java (the bundle has a runtime), no network, no unzip.
#
#   gpu-run.sh RESULTS_DIR      (default: ./gpu-results)
#
# Writes into RESULTS_DIR, in one run of under 10 minutes (each step has its own time limit):
#   gpu.txt          the GPU, driver and CUDA version as nvidia-smi reports them
#   tests.txt        the JUnit console's log; junit/ its XML reports (the probe tests, the device
#                    parity suite, the BackendContract suite, and CUDA graph replay against plain
#                    launches: weights bit-identical after CD-1, PCD, CD-3 with a schedule, Gaussian
#                    visibles and Adam, and graphs on by default on JDK 22+)
#   figures.csv      one row per figure: figure,variant,shape,value,unit,status (GpuFigures):
#                    parity with the Java generator (uniforms and Bernoulli samples bit-identical,
#                    normals in ulp), microseconds per launch and per synchronization, context
#                    creation and module load time, SGEMM TFLOP/s (own v1, own v2, cuBLAS FP32,
#                    cuBLAS TF32; through FFM when the bundled runtime is JDK 22+, else JCublas2; a
#                    row without a value says why) at 4096^3 and at the RBM shapes for batch 100,
#                    1,000 and 10,000, the fused sampler at 2^26 elements, CD-1 images/s through the
#                    RBM trainer at batch 100, 1,000 and 10,000 with plain launches (-Debm.cuda.graphs=false)
#                    and with CUDA graph replay (a second backend with -Debm.cuda.graphs=true)
#   torch.txt        where python3 has PyTorch with CUDA: the PyTorch CD-1 peer on the same GPU and the
#                    same random binary data (pytorch_cd1.py --device cuda --random-density 0.13), batch
#                    100, 1,000 and 10,000, images/s of the best epoch after the first
#   summary.txt      the above in a few lines: the test counts per suite and the figures table
#
# Exit status: 0 when every test passed and every figure step finished.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
RESULTS=$(mkdir -p "${1:-gpu-results}" && cd "${1:-gpu-results}" && pwd)
JAVA="$HERE/runtime/bin/java"
FIGURES_LIMIT=160  # with the suites' limits below, and the peer's, at most 560 s in all

console=$(ls "$HERE"/lib/junit-platform-console-standalone-*.jar)
cp=$(ls "$HERE"/lib/*.jar | grep -v junit-platform-console-standalone | tr '\n' ':')
opts=(-Xmx8g -Djava.awt.headless=true)  # the bundle has no X11 toolkit
feature=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$HERE/runtime/release")
if [ "${feature:-17}" -ge 22 ]; then
    opts+=(--enable-native-access=ALL-UNNAMED)  # JCuda loads native code
fi
limit() {  # limit SECONDS command...: the command, stopped after SECONDS when coreutils' timeout exists
    local s=$1
    shift
    if command -v timeout >/dev/null 2>&1; then timeout --kill-after=10 "$s" "$@"; else "$@"; fi
}

if command -v nvidia-smi >/dev/null 2>&1; then
    nvidia-smi --query-gpu=index,name,driver_version,memory.total,compute_cap --format=csv > "$RESULTS/gpu.txt" 2>&1
    nvidia-smi | grep -m1 'CUDA Version' >> "$RESULTS/gpu.txt"
else
    echo "nvidia-smi not available" > "$RESULTS/gpu.txt"
fi
gpu_line=$(sed -n 2p "$RESULTS/gpu.txt")
gpu_line=${gpu_line:-$(head -1 "$RESULTS/gpu.txt")}
echo "== GPU: $gpu_line"

# Each suite in its own console run, so the summary can count each one's tests.
tests_status=0
: > "$RESULTS/tests.txt"
for suite in CudaBackendProviderTest:40 CudaDeviceParityTest:80 CudaBackendContractTest:100 CudaGraphReplayTest:60; do
    seconds=${suite#*:}
    suite=${suite%:*}
    echo "== tests: $suite (at most $seconds s)" | tee -a "$RESULTS/tests.txt"
    limit "$seconds" "$JAVA" "${opts[@]}" -jar "$console" execute --class-path "$cp" \
        --select-class "org.ebm4j.cuda.$suite" --details=summary --disable-banner \
        --reports-dir "$RESULTS/junit/$suite" > "$RESULTS/$suite.log" 2>&1
    status=$?
    cat "$RESULTS/$suite.log" >> "$RESULTS/tests.txt"
    [ "$status" -eq 0 ] || tests_status=$status
done

echo "== figures (figures.csv)"
limit "$FIGURES_LIMIT" "$JAVA" "${opts[@]}" -cp "$cp" org.ebm4j.cuda.GpuFigures "$RESULTS/figures.csv" \
    > "$RESULTS/figures.log" 2>&1
figures_status=$?

echo "== PyTorch peer (torch.txt)"
: > "$RESULTS/torch.txt"
if python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' >/dev/null 2>&1; then
    for batch in 100 1000 10000; do
        PYTHONUNBUFFERED=1 limit 40 python3 "$HERE/pytorch_cd1.py" --device cuda --random-density 0.13 --lr 0.01 \
            --batch "$batch" --epochs 4 >> "$RESULTS/torch.txt" 2>&1
    done
else
    echo "no python3 with PyTorch and CUDA: no peer figures" > "$RESULTS/torch.txt"
fi

count() {  # count SUITE KIND WORD: the console summary's "[ N KIND WORD ]", KIND tests or containers
    sed -n "s/.*\[ *\([0-9]*\) $2 $3 *\].*/\1/p" "$RESULTS/$1.log" | head -1
}
{
    echo "ebm4j GPU run, $(date -u '+%Y-%m-%d %H:%M UTC'), bundle $(sed -n 's/^commit: //p' "$HERE/BUNDLE.txt")"
    echo "$gpu_line"
    grep -m1 'CUDA Version' "$RESULTS/gpu.txt"
    # an aborted container is a class whose assumption failed: no usable device, say the logs
    for suite in CudaBackendProviderTest CudaDeviceParityTest CudaBackendContractTest CudaGraphReplayTest; do
        echo "$suite: $(count $suite tests found) tests, $(count $suite tests successful) passed," \
             "$(count $suite tests failed) failed, $(count $suite tests skipped) skipped, $(count $suite tests aborted) aborted;" \
             "$(count $suite containers aborted) classes aborted"
    done
    echo "figures (exit status $figures_status):"
    awk -F, 'NR > 1 { printf "  %-32s %-44s %-18s %12s %-12s %s\n", $1, $2, $3, $4, $5, ($6 == "measured" ? "" : $6) }' \
        "$RESULTS/figures.csv" 2>/dev/null
    echo "PyTorch peer:"
    grep -E '^(device|no python3)' "$RESULTS/torch.txt" | sed 's/^/  /'
} > "$RESULTS/summary.txt"
cat "$RESULTS/summary.txt"
echo "== tests exit status $tests_status, figures exit status $figures_status; results in $RESULTS"
[ "$tests_status" -eq 0 ] && [ "$figures_status" -eq 0 ]
