#!/usr/bin/env python3
"""Builds, without a GPU, the FlashInfer JIT modules that attention_peers.py's FlashInfer peer
needs, and copies them to .gpu/fi_aot/<name>/<name>.so, where the GPU run's copy step puts them
into flashinfer/data/aot/ (FlashInfer then loads them instead of compiling).

    python3 -m pip install --no-deps --target /tmp/fi_site .whl/flashinfer_python-*.whl
    PYTHONPATH=/tmp/fi_site nice -n 19 python3 tools/peers/build_flashinfer_attention.py \
        decode_d128 decode_d256 prefill_d64 prefill_d128 prefill_d256 [--workspace DIR] [--out .gpu/fi_aot]

The Python needs torch and apache-tvm-ffi (the wheels' versions); nvcc from CUDA 12.8 or later.
Targets sm_90a (H100/H200): FLASHINFER_CUDA_ARCH_LIST=9.0a, MAX_JOBS=1 unless set.

decode_dD: BatchDecodeWithPagedKVCacheWrapper's module (bf16 q/kv/out, int32 indices, no RoPE,
no sliding window, no soft cap). prefill_dD: BatchPrefill{Paged,Ragged}KVCacheWrapper's fa3
(sm90) module, which their backend "auto" picks on Hopper for head_dim 64/128/256. Its kernel
files of mask modes 2 (custom mask) and 3 (multi-item scoring), which the peers never use, are
rewritten into stubs returning cudaErrorNotSupported (explicit specialisations with the same
symbols): the module links and loads as FlashInfer's own, with 4 of its 8 kernel files compiled.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

_DECLARATIONS = """template <uint32_t HEAD_DIM_QK, uint32_t HEAD_DIM_VO, MaskMode MASK_MODE, bool LEFT_SLIDING_WINDOW,
          bool SAME_SCHEDULE_FOR_ALL_HEADS, typename AttentionVariant, typename Params>
cudaError_t BatchPrefillWithRaggedKVCacheDispatched(Params& params, bool enable_pdl,
                                                    cudaStream_t stream);

template <uint32_t HEAD_DIM_QK, uint32_t HEAD_DIM_VO, MaskMode MASK_MODE, bool LEFT_SLIDING_WINDOW,
          bool SAME_SCHEDULE_FOR_ALL_HEADS, typename AttentionVariant, typename Params>
cudaError_t BatchPrefillWithPagedKVCacheDispatched(Params& params, bool enable_pdl,
                                                   cudaStream_t stream);
"""
_INSTANTIATION = re.compile(
    r"template cudaError_t (BatchPrefillWith(?:Ragged|Paged)KVCacheDispatched)\s*<([^;]*?)>"
    r"\((\w+)& params, bool enable_pdl, cudaStream_t stream\);",
    re.S,
)


def stub_mask_file(path: Path) -> None:
    """One generated fa3 kernel file (two explicit instantiations) -> stubs of the same symbols."""
    text = path.read_text()
    if "cudaErrorNotSupported" in text:
        return
    found = _INSTANTIATION.findall(text)
    if len(found) != 2:
        raise RuntimeError(f"{path}: expected two explicit instantiations, found {len(found)}")
    out = [
        "// solkit tools/peers build: a mask mode the peers do not use, stubbed (not FlashInfer's kernel)",
        "#include <flashinfer/attention/mask.cuh>",
        '#include "batch_prefill_sm90_config.inc"',
        "",
        "namespace flashinfer {",
        _DECLARATIONS,
    ]
    for name, args, params in found:
        args = " ".join(args.split())
        if "PagedParams" not in args and "RaggedParams" not in args:
            args += f", {params}"  # the ragged instantiation deduces Params
        out.append(f"template <> cudaError_t {name}<{args}>({params}& params, bool enable_pdl, "
                   f"cudaStream_t stream) {{\n  return cudaErrorNotSupported;\n}}\n")
    out.append("}  // namespace flashinfer\n")
    path.write_text("\n".join(out))


def spec_of(key: str):
    import torch
    from flashinfer.jit.attention.modules import gen_batch_decode_module, gen_batch_prefill_module

    found = re.fullmatch(r"(decode|prefill)_d(\d+)", key)
    if not found:
        raise SystemExit(f"unknown module {key!r}: decode_dD or prefill_dD")
    kind, dim = found.group(1), int(found.group(2))
    bf16 = torch.bfloat16
    if kind == "decode":
        return gen_batch_decode_module(bf16, bf16, bf16, torch.int32, dim, dim, 0, False, False)
    if dim not in (64, 128, 256):
        raise SystemExit(f"{key}: FlashInfer's fa3 prefill has head_dim 64/128/256 only (it uses fa2 for {dim})")
    return gen_batch_prefill_module("fa3", bf16, bf16, bf16, torch.int32, dim, dim, 0, False, False, False)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("modules", nargs="+", help="decode_dD / prefill_dD")
    ap.add_argument("--workspace", default="/tmp/fi_attention_ws", help="FLASHINFER_WORKSPACE_BASE (sources, objects)")
    ap.add_argument("--out", default=str(REPO / ".gpu" / "fi_aot"), help="where <name>/<name>.so go")
    args = ap.parse_args()
    os.environ.setdefault("FLASHINFER_WORKSPACE_BASE", args.workspace)
    os.environ.setdefault("FLASHINFER_CUDA_ARCH_LIST", "9.0a")
    os.environ.setdefault("TORCH_CUDA_ARCH_LIST", "9.0a")
    os.environ.setdefault("MAX_JOBS", "1")
    import flashinfer

    print(f"flashinfer {flashinfer.__version__} from {Path(flashinfer.__file__).parent}", flush=True)
    from flashinfer.jit import env as jit_env

    for key in args.modules:
        # Generating the sources rewrites the stubs of an earlier run back to FlashInfer's kernels;
        # stubbing them again restores the old modification times, so ninja does not rebuild them.
        stubs = {f: (f.read_text(), f.stat().st_mtime)
                 for f in jit_env.FLASHINFER_GEN_SRC_DIR.glob("*/batch_prefill_*_sm90_kernel_mask_[23].cu")}
        spec = spec_of(key)  # writes the generated sources
        if key.startswith("prefill"):
            generated = Path(spec.sources[0]).parent
            for f in sorted(generated.glob("batch_prefill_*_sm90_kernel_mask_[23].cu")):
                stub_mask_file(f)
                if f in stubs and f.read_text() == stubs[f][0]:
                    os.utime(f, (stubs[f][1], stubs[f][1]))
        start = time.time()
        spec.build(verbose=False)
        target = Path(args.out) / spec.name / f"{spec.name}.so"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(spec.jit_library_path, target)
        print(f"{key}: {spec.name} built in {time.time() - start:.0f} s, "
              f"{target.stat().st_size / 2**20:.1f} MiB -> {target}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
