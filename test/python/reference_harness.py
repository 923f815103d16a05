"""Shared harness of the reference tests: reads the PyTorch sources solkit embeds (the raw strings
of include/solkit/ops/*/torch_reference.hpp), runs one with small constants in the preamble
solkit prepends, and records each check's result.

The include folder is the first command-line argument of the test script (default "include").
"""
import ast
import glob
import inspect
import os
import re
import sys
import traceback

RESULTS = []


def header_sources(include_dir):
    """{"<op_type>__<variant>": source} from every torch_reference.hpp under include_dir."""
    sources = {}
    pattern = re.compile(r'inline constexpr std::string_view (\w+) = R"py\((.*?)\)py";', re.S)
    for path in glob.glob(os.path.join(include_dir, "solkit", "ops", "*", "torch_reference.hpp")):
        op_type = os.path.basename(os.path.dirname(path))
        for variant, text in pattern.findall(open(path).read()):
            sources[f"{op_type}__{variant}"] = text
    if not sources:
        raise SystemExit(f"no torch_reference.hpp sources under {include_dir}")
    return sources


SOURCES = header_sources(sys.argv[1] if len(sys.argv) > 1 else "include")


def load(name, consts):
    """run() of the source `name` ("a+b" joins parts in order, as solkit does)."""
    src = "\n\n".join(SOURCES[part] for part in name.split("+"))
    for node in ast.parse(src).body:  # the source must not define preamble constants
        if isinstance(node, ast.Assign):
            raise AssertionError(f"{name}: module-level assignment {ast.unparse(node)}")
    pre = "import math\nimport torch\n\n" + "".join(f"{k} = {v!r}\n" for k, v in consts.items()) + "\n\n"
    ns = {"__name__": "ref_" + name}
    exec(compile(pre + src, name, "exec"), ns)
    return ns["run"]


def check(name, what):
    """Runs the decorated function now and records PASS or FAIL with the error."""
    def deco(fn):
        try:
            fn()
            RESULTS.append((name, what, "PASS", ""))
        except Exception as e:  # noqa: BLE001
            traceback.print_exc()
            RESULTS.append((name, what, "FAIL", f"{type(e).__name__}: {e}"))
        return fn
    return deco


def params(run):
    return list(inspect.signature(run).parameters)
