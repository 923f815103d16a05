#!/usr/bin/env bash
# Runs on the lent GPU machine (docs/benchmarks.md): every GPU test, compute-sanitizer memcheck and
# racecheck on each (their --quick form), then the benchmark binaries, all from the build folder
# BIN (copied there with libbenchmark.so.1debian). Results go to OUT: gpu-tests.log,
# sanitizer.log and one <binary>.json per benchmark binary.
#   bench/gpu/run_tests_and_benchmarks.sh BIN OUT [min_time]
# SANITIZE=0 skips compute-sanitizer, BENCH=0 the benchmarks, TESTS=0 the tests.
set -uo pipefail
bin=$1 out=$2 min_time=${3:-0.1}
export LD_LIBRARY_PATH=$bin${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,clocks.max.mem,clocks.sm,clocks.mem --format=csv \
  | tee $out/gpu.csv
status=0
for test in "$bin"/solkit_gpu_test_*; do
  [ "${TESTS:-1}" = 1 ] || break
  echo "== $(basename $test)" | tee -a $out/gpu-tests.log
  "$test" >> $out/gpu-tests.log 2>&1 || { echo "FAILED: $(basename $test)" | tee -a $out/gpu-tests.log; status=1; }
  tail -1 $out/gpu-tests.log
  [ "${SANITIZE:-1}" = 1 ] || continue
  for tool in memcheck racecheck; do
    echo "== $tool $(basename $test) --quick" >> $out/sanitizer.log
    compute-sanitizer --tool $tool --error-exitcode 3 "$test" --quick > $out/sanitizer.tmp 2>&1 \
      || { echo "SANITIZER FAILED: $tool $(basename $test)" | tee -a $out/sanitizer.log; status=1; }
    grep -E "ERROR SUMMARY|RACECHECK SUMMARY|failure" $out/sanitizer.tmp >> $out/sanitizer.log
  done
done
rm -f $out/sanitizer.tmp
for bench in "$bin"/solkit_bench_*; do
  [ "${BENCH:-1}" = 1 ] || break
  name=$(basename $bench)
  "$bench" --benchmark_min_time=$min_time --benchmark_format=json --benchmark_out=$out/${name#solkit_}.json \
    --benchmark_out_format=json > /dev/null 2> $out/${name#solkit_}.stderr || status=1
  echo "$name: $(grep -c '"name"' $out/${name#solkit_}.json) rows"
done
exit $status
