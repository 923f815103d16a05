#!/usr/bin/env bash
# Runs on the lent GPU machine (docs/benchmarks.md) what bench/gpu/stage.sh put in .gpu/run/, in
# order of worth, each step only while the call's time lasts: every GPU test in full (logs
# gpu-tests-<op>.log, whose `passed <definition>` lines feed the coverage document), every
# benchmark binary (<binary>.json), the attention suites' prefill benchmarks again on the wgmma
# engine, compute-sanitizer memcheck and racecheck on each test's --quick form, the peers on the
# staged suites' workloads (when .whl/ holds FlashInfer's wheels), then the tests' --time modes. The logs are packed into OUT/results.tgz after every step: a device call
# returns at most 8 files, and a call killed at its limit still returns what had finished.
#
# usage (device call, repo root): bench/gpu/run_tests_and_benchmarks.sh [BIN [OUT]]
#   BIN: the staged binaries (default .gpu/run); OUT: where results.tgz goes (default $OUT).
#   DEADLINE: seconds from the start after which no step starts or runs on (default 570; keep it
#   under the call's timeout_s and the session's device time left).
#   PEERS: peer_bench.py's --peers (default torch_eager,torch_sdpa_dense,flashinfer; torch.compile
#   recompiles per shape and costs minutes of device time).
#   TESTS=0, BENCH=0, ENGINE_RUNS=0 (prefill benchmarks on the wgmma engine), SANITIZE=0,
#   PEER_RUNS=0, TIME=0 skip those steps.
# Exit status 1 when a test, benchmark or sanitizer run failed (77, no GPU, is not a failure).
set -uo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
stage="$(cd "${1:-$repo/.gpu/run}" && pwd)"
out="${2:-${OUT:-/tmp/solkit-out}}"
logs=/tmp/solkit-results
deadline="${DEADLINE:-570}"
peers="${PEERS:-torch_eager,torch_sdpa_dense,flashinfer}"
started=$(date +%s)
failed=()
mkdir -p "$logs" "$out"
sanitizer=$(command -v compute-sanitizer || echo /usr/local/cuda/bin/compute-sanitizer)
export LD_LIBRARY_PATH="$stage${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

seconds_left() { echo $((deadline - ($(date +%s) - started))); }
pack() { tar czf "$out/results.tgz" -C "$logs" .; }
# step CAP LOG COMMAND...: runs COMMAND for at most CAP seconds (less when the deadline is nearer),
# output in LOG, its exit status and time appended; prints the log's last lines.
step() {
  local cap=$1 log=$2; shift 2
  local left; left=$(seconds_left)
  if ((left < 20)); then echo "skipped (deadline): $log" | tee -a "$logs/skipped.log"; return; fi
  ((cap > left - 8)) && cap=$((left - 8))
  local t0; t0=$(date +%s)
  timeout "$cap" "$@" >"$logs/$log" 2>&1
  local status=$?
  ((status == 0 || status == 77)) || failed+=("$log")
  echo "exit=$status seconds=$(($(date +%s) - t0)) cap=$cap" >>"$logs/$log"
  echo "== $log: exit $status after $(($(date +%s) - t0)) s"
  tail -n 3 "$logs/$log" | cut -c1-300
  pack
}

{
  nvidia-smi --query-gpu=name,memory.total,clocks.max.sm,driver_version --format=csv
  echo "commit $(cat "$stage/commit" 2>/dev/null || echo unknown)  date $(date -u +%FT%TZ)"
} | tee "$logs/device.log"

have_wheels=0
if compgen -G "$repo/.whl/flashinfer_python-*.whl" >/dev/null; then
  have_wheels=1
  (python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
     --target /tmp/site "$repo"/.whl/*.whl &&
   if [ -d "$repo/.gpu/fi_aot" ]; then
     mkdir -p /tmp/site/flashinfer/data/aot && cp -r "$repo/.gpu/fi_aot/." /tmp/site/flashinfer/data/aot/
   fi) >"$logs/pip.log" 2>&1 &
fi

# stage.sh's order file (most wanted first), else every staged binary by name
tests=(); benches=()
if [ -f "$stage/order" ]; then mapfile -t staged < <(sed "s|^|$stage/|" "$stage/order")
else staged=("$stage"/solkit_*); fi
for binary in "${staged[@]}"; do
  case "$(basename "$binary")" in
    solkit_gpu_test_*) tests+=("$binary") ;;
    solkit_bench_*) benches+=("$binary") ;;
  esac
done

for test in "${tests[@]}"; do
  [ "${TESTS:-1}" = 1 ] || break
  step 240 "gpu-tests-$(basename "$test" | sed 's/^solkit_gpu_test_//').log" "$test"
done
for bench in "${benches[@]}"; do
  [ "${BENCH:-1}" = 1 ] || break
  name=$(basename "$bench" | sed 's/^solkit_//')
  step 200 "$name.log" "$bench" --benchmark_min_time=0.05 --benchmark_format=json \
    --benchmark_out="$logs/$name.json"
done
# The prefill benchmarks again on the wgmma engine (attention_prefill_launch.cuh), beside the
# default engine's numbers above.
for bench in "${benches[@]}"; do
  [ "${ENGINE_RUNS:-1}" = 1 ] || break
  case "$(basename "$bench")" in *attention*|*flashinfer_bench*) ;; *) continue ;; esac
  name=$(basename "$bench" | sed 's/^solkit_//')_wgmma_prefill
  SOLKIT_PREFILL_ENGINE=wgmma step 120 "$name.log" "$bench" --benchmark_filter=prefill \
    --benchmark_min_time=0.05 --benchmark_format=json --benchmark_out="$logs/$name.json"
done
for tool in memcheck racecheck; do
  [ "${SANITIZE:-1}" = 1 ] || break
  for test in "${tests[@]}"; do
    step 90 "sanitizer-$(basename "$test" | sed 's/^solkit_gpu_test_//')-$tool.log" \
      "$sanitizer" --tool "$tool" --error-exitcode 9 "$test" --quick
  done
done
wait
if ((have_wheels)) && [ "${PEER_RUNS:-1}" = 1 ]; then
  for bench in "${benches[@]}"; do
    name=$(basename "$bench" | sed 's/^solkit_//')
    manifest="$stage/manifests/$name.workloads.json"
    [ -e "$manifest" ] || continue
    PYTHONPATH=/tmp/site PYTHONUNBUFFERED=1 step 200 "peers-$name.log" \
      python3 "$repo/tools/peers/peer_bench.py" "$manifest" --out "$logs/peers_$name.json" \
      --peers "$peers" --repeats 10 --flashinfer-build-timeout 150
  done
fi
for test in "${tests[@]}"; do
  [ "${TIME:-1}" = 1 ] || break
  grep -q -- '--time' "$test" || continue  # only tests that have a timed mode
  step 60 "time-$(basename "$test" | sed 's/^solkit_gpu_test_//').log" "$test" --time
done
pack
ls -la "$out"
if ((${#failed[@]})); then echo "failed: ${failed[*]}"; exit 1; fi
