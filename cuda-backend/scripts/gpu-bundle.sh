#!/usr/bin/env bash
# Builds the self-contained bundle that runs the CUDA checks and timings on a GPU machine with
# CUDA 13 (or 12) but no Java and no network:
#
#   runtime/   a jlink'ed Java runtime (the modules the jars need, found with jdeps)
#   lib/       the ebm4j jars (with the test jars: contract, parity, timing), JCuda 12.6.0 with its
#              linux-x86_64 natives (trimmed to the driver/runtime/cuBLAS bindings), slf4j, and the
#              JUnit console launcher
#   gpu-run.sh what to run there
#   pytorch_cd1.py the PyTorch CD-1 peer, run by gpu-run.sh where python3 has torch with CUDA
#
# Usage: cuda-backend/scripts/gpu-bundle.sh [output dir]   (default: cuda-backend/target/gpu-bundle)
# Builds with, and bundles a runtime of, a JDK 22 or newer when one is found, because cuBLAS through
# FFM (libcublas.so.13 on a CUDA-13-only machine) exists only in a jar built by JDK 22+ and runs only
# on one: $EBM_JDK22_HOME, else $JAVA_HOME when it is 22+, else the newest /usr/lib/jvm/*; with only
# JDK 17 the bundle still works, and its cuBLAS rows say why FFM did not run.
# Prints the bundle's size and fails if it exceeds 64 MiB unpacked.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$(mkdir -p "${1:-$ROOT/cuda-backend/target/gpu-bundle}" && cd "${1:-$ROOT/cuda-backend/target/gpu-bundle}" && pwd)
LIMIT=$((64 * 1024 * 1024))
JUNIT_CONSOLE=org.junit.platform:junit-platform-console-standalone:1.11.4
if [ -z "${JAVA_HOME:-}" ]; then
    JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
fi
feature() {  # feature JDK_HOME: the JDK's feature release (17, 25, ...), 0 when it has none
    local f
    f=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null)
    echo "${f:-0}"
}
if [ -n "${EBM_JDK22_HOME:-}" ]; then
    JAVA_HOME=$EBM_JDK22_HOME
elif [ "$(feature "$JAVA_HOME")" -lt 22 ]; then
    for jdk in /usr/lib/jvm/*/; do
        f=$(feature "$jdk")
        if [ "${f:-0}" -ge 22 ] && [ -x "$jdk/bin/jlink" ] && [ "${f:-0}" -gt "$(feature "$JAVA_HOME")" ]; then
            JAVA_HOME=${jdk%/}
        fi
    done
fi
[ "$(feature "$JAVA_HOME")" -ge 22 ] || echo "[bundle] WARNING: no JDK 22+ found: the bundle has no cuBLAS through FFM" >&2
export JAVA_HOME
echo "[bundle] building with $("$JAVA_HOME/bin/java" -version 2>&1 | head -1) into $OUT"

cd "$ROOT"
rm -rf "$OUT/runtime" "$OUT/lib" "$OUT/results"
mkdir -p "$OUT/lib"
# Jars of core, kernels and cuda-backend (with their test jars), and the test class path.
mvn -q -pl cuda-backend -am package dependency:build-classpath -DskipTests \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bundle-classpath.txt
mvn -q -pl cuda-backend dependency:copy -Dartifact=$JUNIT_CONSOLE -DoutputDirectory="$OUT/lib"

IFS=: read -r -a deps < cuda-backend/target/bundle-classpath.txt || true  # no trailing newline
for jar in "${deps[@]}" cuda-backend/target/ebm4j-cuda-backend-*.jar; do
    case "$(basename "$jar")" in
        junit-*|opentest4j-*|apiguardian-*) ;;  # inside the console launcher already
        *-sources.jar|*-javadoc.jar) ;;         # not needed to run
        *) cp "$jar" "$OUT/lib/" ;;
    esac
done
# JCuda's natives jar also carries the NVRTC and nvPTXCompiler bindings (~25 MB) that ebm4j never loads.
for natives in "$OUT"/lib/jcuda-natives-*.jar; do
    zip -q -d "$natives" 'lib/libJNvPTXCompiler-*' 'lib/libJNvrtc-*'
done
for natives in "$OUT"/lib/jcublas-natives-*.jar; do
    zip -q -d "$natives" 'lib/libJCublas-*'  # the legacy cuBLAS v1 binding; JCublas2 is what runs
done

modules=$("$JAVA_HOME/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release "$(feature "$JAVA_HOME")" "$OUT"/lib/*.jar \
    2>/dev/null | tail -1)
[[ "$modules" =~ ^[a-z0-9.,]+$ ]] || { echo "[bundle] ERROR: jdeps gave no module list: $modules" >&2; exit 1; }
modules="$modules,java.logging"
echo "[bundle] jlink modules: $modules"
compress=--compress=2
"$JAVA_HOME/bin/jlink" --list-plugins | grep -q 'zip-\[0-9\]' && compress=--compress=zip-9
# The GPU run is headless: AWT's X11 toolkit, sound and the splash screen are never loaded (gpu-run.sh
# sets java.awt.headless), and JDK 25's runtime needs these savings to keep the bundle under 64 MiB.
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages $compress \
    --exclude-files='**/libawt_xawt.so,**/libjsound.so,**/libsplashscreen.so' --output "$OUT/runtime"
if command -v strip >/dev/null 2>&1; then
    strip --strip-unneeded "$OUT/runtime/lib/server/libjvm.so"  # its symbol table: 5 MiB the JVM never reads
fi
"$OUT/runtime/bin/java" -version >/dev/null 2>&1 || { echo "[bundle] ERROR: the bundled runtime does not start" >&2; exit 1; }

cp "$ROOT/cuda-backend/scripts/gpu-run.sh" "$ROOT/bench/pytorch_cd1.py" "$OUT/"
chmod +x "$OUT/gpu-run.sh"
{
    echo "ebm4j GPU bundle"
    echo "commit: $(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)"
    echo "java: $("$OUT/runtime/bin/java" -version 2>&1 | head -1)"
    echo "modules: $modules"
} > "$OUT/BUNDLE.txt"

tarball="$OUT.tar.gz"
tar -C "$(dirname "$OUT")" -czf "$tarball" "$(basename "$OUT")"
dir_bytes=$(du -sb "$OUT" | cut -f1)
tar_bytes=$(stat -c %s "$tarball")
echo "[bundle] runtime $(du -sh "$OUT/runtime" | cut -f1), lib $(du -sh "$OUT/lib" | cut -f1)"
echo "[bundle] $OUT: $((dir_bytes / 1024 / 1024)) MiB unpacked; $tarball: $((tar_bytes / 1024 / 1024)) MiB ($tar_bytes bytes)"
if [ "$dir_bytes" -gt "$LIMIT" ]; then
    echo "[bundle] ERROR: the bundle exceeds 64 MiB unpacked" >&2
    exit 1
fi
echo "[bundle] copy $tarball to the GPU machine, unpack it, and run $(basename "$OUT")/gpu-run.sh"
