#!/usr/bin/env bash
# Runs a Python test of the references with a Python that has PyTorch: $SOLKIT_TORCH_PYTHON if
# set, else the Python CMake found. Without PyTorch the test is reported as skipped (exit 77),
# never as passed.
# usage: run_reference_tests.sh PYTHON SCRIPT [ARGS...]
set -u
python="${SOLKIT_TORCH_PYTHON:-$1}"
script="$2"
shift 2
if ! "$python" -c "import torch" 2>/dev/null; then
  echo "SKIPPED: $python has no PyTorch; set SOLKIT_TORCH_PYTHON to a Python with torch"
  exit 77
fi
exec "$python" "$script" "$@"
