#!/usr/bin/env bash
# Checks solkit's dataset with flashinfer-bench itself, the real client. flashinfer-bench pulls
# PyTorch, so it is not installed by default: point SOLKIT_FIB_PYTHON at a Python that has it:
#   python3 -m venv .venv && .venv/bin/pip install flashinfer-bench
#   SOLKIT_FIB_PYTHON=.venv/bin/python tools/fib_validate.sh
# Without it the check is reported as skipped (exit 77), never as passed.
#
# The released flashinfer-bench (0.1.2, the newest on PyPI) has no `validate` command; its
# repository's newer CLI does. When the CLI has it, this runs
# `flashinfer-bench validate --dataset ROOT --disable-gpu` and reads its JSON report (the command
# exits 0 even when definitions have errors). Otherwise it applies the released library's own
# checks: every file parsed by flashinfer_bench's pydantic Definition (schema, dtypes, declared
# axes, disjoint names, constraint syntax, a top-level run), the dataset loaded by
# TraceSet.from_path (duplicate names), each reference built into a runnable by flashinfer-bench's
# BuilderRegistry, and the layout definitions/{op_type}/{name}.json.
# usage: fib_validate.sh [DATASET_ROOT]   (the folder holding definitions/; default: the repo)
set -euo pipefail
root="$(cd "${1:-$(dirname "$0")/..}" && pwd)"
python="${SOLKIT_FIB_PYTHON:-python3}"
if ! "$python" -c "import flashinfer_bench" 2>/dev/null; then
  echo "SKIPPED: $python has no flashinfer_bench; set SOLKIT_FIB_PYTHON (see this script's header)"
  exit 77
fi

# Work on a scratch copy: flashinfer-bench writes reports (and may create folders) in a dataset.
# Only definitions/{op_type}/{name}.json travel: solkit's definitions/manifest.json is not a
# definition (the newer validate skips files at that depth; 0.1.2's TraceSet would parse it).
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/definitions"
for folder in "$root"/definitions/*/; do cp -r "$folder" "$scratch/definitions/"; done

"$python" - "$scratch" <<'PY'
import collections, contextlib, glob, io, json, os, subprocess, sys

import flashinfer_bench
from flashinfer_bench.cli.main import cli

dataset = sys.argv[1]
files = sorted(glob.glob(os.path.join(dataset, "definitions", "*", "*.json")))
import importlib.metadata
version = importlib.metadata.version("flashinfer-bench")
print(f"flashinfer-bench {version}: {len(files)} definition files")

help_text = io.StringIO()
with contextlib.redirect_stdout(help_text), contextlib.suppress(SystemExit):
    sys.argv = ["flashinfer-bench", "--help"]
    cli()

if " validate" in help_text.getvalue() or "validate," in help_text.getvalue():
    os.makedirs(os.path.join(dataset, "report"))
    sys.argv = ["flashinfer-bench", "validate", "--dataset", dataset, "--disable-gpu",
                "--outputs", "json", "--output-folder", os.path.join(dataset, "report")]
    with contextlib.suppress(SystemExit):
        cli()
    report = json.load(open(glob.glob(os.path.join(dataset, "report", "*.json"))[0]))
    statuses = collections.Counter(r["status"] for r in report["definitions"].values())
    print("validate --disable-gpu:", dict(statuses))
    sys.exit(1 if statuses.get("error") or len(report["definitions"]) != len(files) else 0)

from flashinfer_bench.compile.registry import BuilderRegistry
from flashinfer_bench.data import Definition, TraceSet
from flashinfer_bench.data.json_utils import load_json_file

errors = []
definitions = []
for path in files:
    try:
        definition = load_json_file(Definition, path)
    except Exception as error:  # the pydantic validators raise on any broken rule
        errors.append(f"{path}: {' '.join(str(error).split())}")
        continue
    folder = os.path.basename(os.path.dirname(path))
    stem = os.path.splitext(os.path.basename(path))[0]
    if definition.name != stem or definition.op_type != folder:
        errors.append(f"{path}: name/op_type do not match definitions/{folder}/{stem}.json")
    definitions.append(definition)
print(f"parsed by flashinfer_bench.data.Definition: {len(definitions)}/{len(files)}")

try:
    trace_set = TraceSet.from_path(dataset)
    print(f"loaded by TraceSet.from_path: {len(trace_set.definitions)} definitions")
    if len(trace_set.definitions) != len(files):
        errors.append("TraceSet did not load every file")
except Exception as error:
    errors.append(f"TraceSet.from_path: {str(error).splitlines()[0]}")

registry = BuilderRegistry.get_instance()
built = 0
for definition in definitions:
    try:
        registry.build_reference(definition)
        built += 1
    except Exception as error:
        errors.append(f"{definition.name}: reference does not build: {error}")
print(f"references built by BuilderRegistry.build_reference: {built}/{len(definitions)}")

for line in errors:
    print("error:", line)
sys.exit(1 if errors else 0)
PY
