#!/usr/bin/env bash
# Builds the named GPU tests and benchmark suites here and copies them, with Google Benchmark's
# shared library (the GPU machine has none) and the suites' workload manifests (for the peers),
# into the git-ignored .gpu/run/, which a device call carries. Compiling on the GPU machine would
# spend device time; this machine builds for sm_90a already (../shared/docs/GPU.md).
#
# usage: bench/gpu/stage.sh [--preset P] TARGET...
#   TARGET: a GPU test by its op name (gqa_prefill -> solkit_gpu_test_gqa_prefill) or a benchmark
#   suite by its binary name (solkit_bench_suite_attention), most wanted first: the runner takes
#   tests, benchmarks and peers in this order. Then, in one device call:
#     run: command "bench/gpu/run_tests_and_benchmarks.sh", carry [".gpu/run", ".gpu/fi_aot", ".whl"]
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
preset=default
if [ "${1:-}" = "--preset" ]; then preset="$2"; shift 2; fi
[ $# -gt 0 ] || { echo "usage: $0 [--preset P] TARGET..." >&2; exit 2; }
build="$repo/build/$preset"
targets=()
for name in "$@"; do
  case "$name" in
    solkit_*) targets+=("$name") ;;
    *) targets+=("solkit_gpu_test_$name") ;;
  esac
done
cmake --build --preset "$preset" --target "${targets[@]}"
stage="$repo/.gpu/run"
rm -rf "$stage"; mkdir -p "$stage/manifests"
for target in "${targets[@]}"; do
  binary="$(find "$build" -type f -name "$target" -perm -u+x | head -1)"
  [ -n "$binary" ] || { echo "stage: $target was not built under $build" >&2; exit 1; }
  cp "$binary" "$stage/"
  echo "$target" >> "$stage/order"  # the runner keeps the order given here
  manifest="$build/bench/generated/${target#solkit_}.workloads.json"
  [ ! -f "$manifest" ] || cp "$manifest" "$stage/manifests/"
done
cp /usr/lib/x86_64-linux-gnu/libbenchmark.so.1debian "$stage/"
git -C "$repo" rev-parse HEAD > "$stage/commit"
git -C "$repo" diff --quiet HEAD || echo "stage: the working tree differs from HEAD; results name $(cat "$stage/commit") plus local changes" >&2
du -sh "$stage"
