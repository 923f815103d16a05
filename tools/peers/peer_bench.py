#!/usr/bin/env python3
"""Times solkit's peers -- PyTorch eager, torch.compile and FlashInfer -- on the workloads of
solkit's generated benchmarks, with the method of solkit's harness (include/solkit/bench/harness.cuh).

Input: one or more `<binary>.workloads.json` manifests written by solkit-codegen; each workload
names its definition (definitions/<op_type>/<name>.json) and its var axes. Output (--out): JSON
with one row per workload and peer, a time or an error saying why that peer did not run.
Attention (gqa_paged, gqa_ragged) is in attention_peers.py, imported at the end of this file; it
adds the peer torch_sdpa_dense (SDPA alone on pre-gathered K/V) for the paged definitions.
Sampling (sampling, topk_filter) is in sampling_peers.py, imported the same way; the sampling
definitions' outputs are random, so their peers' check is a membership check (Op.check).

Each op type is one builder function below, registered with @op: it returns the eager PyTorch
expression of the definition and, where FlashInfer has the op, a FlashInfer call. Every peer is
checked once per definition against the definition's own reference `run` (executed from the JSON)
on a small shape before it is timed; a peer that disagrees gets that as its rows' error.

Timing (as the harness): inputs rotated over enough whole argument sets that the sets exceed
4x the L2 (at most 1 GiB of them); warm-up; CUDA events around back-to-back launches, enough
launches per event pair that the span is >= 100 us (at most 2000); the median over repeated
event pairs of span / launches is T_us. Where the workload's T_SOL is under 10 us the same
launches are also replayed as a CUDA graph (T_graph_us), as the harness does.

See tools/peers/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import inspect
import json
import math
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import torch
import torch.nn.functional as F

REPO = Path(__file__).resolve().parents[2]
PEERS = ("torch_eager", "torch_compile", "flashinfer", "torch_sdpa_dense")
# Peers only some ops offer (Op.extra); other ops get no row for them.
OPTIONAL_PEERS = ("torch_sdpa_dense",)
DTYPES = {
    "bfloat16": torch.bfloat16,
    "float16": torch.float16,
    "float32": torch.float32,
    "float64": torch.float64,
    "int64": torch.int64,
    "int32": torch.int32,
    "int16": torch.int16,
    "int8": torch.int8,
    "uint8": torch.uint8,
    "bool": torch.bool,
    "float8_e4m3fn": torch.float8_e4m3fn,
    "float8_e5m2": torch.float8_e5m2,
}
# Var axes that count rows (tokens): shrunk for the reference check's small shape.
ROW_AXES = {"batch_size", "token_count", "num_tokens", "num_rows", "rows", "total_tokens"}
CHECK_ROWS = 67  # rows of the check shape: odd, so tails of vectorised loops are exercised
TARGET_SPAN_S = 100e-6  # harness: >= 100 us between two events
MAX_LAUNCHES = 2000
MAX_POOL_BYTES = 1 << 30  # harness: at most 1 GiB of argument sets
GRAPH_BELOW_SOL_S = 10e-6  # harness: CUDA-graph replay for workloads whose T_SOL < 10 us
# HBM bandwidth of solkit's SOL table (include/solkit/roofline/hardware.hpp), for T_SOL = bytes/BW.
HBM_BYTES_PER_S = {"H200": 4.8e12, "H100": 3.35e12}


# ----------------------------------------------------------------------------------------------
# Definitions
# ----------------------------------------------------------------------------------------------


class Definition:
    """A flashinfer-bench definition JSON: const axes, tensors and the reference source."""

    def __init__(self, path: Path):
        data = json.loads(path.read_text())
        self.path = path
        self.name: str = data["name"]
        self.op_type: str = data["op_type"]
        self.const = {k: a["value"] for k, a in data["axes"].items() if a["type"] == "const"}
        self.var = [k for k, a in data["axes"].items() if a["type"] == "var"]
        self.inputs = {k: (t["shape"], t["dtype"]) for k, t in data["inputs"].items()}
        self.outputs = {k: (t["shape"], t["dtype"]) for k, t in data["outputs"].items()}
        self.reference: str = data["reference"]
        self.device = torch.device("cpu")  # set by the runner; builders may place constants there
        self._run = None

    def axes(self, var_axes: dict) -> dict:
        missing = [a for a in self.var if a not in var_axes]
        if missing:
            raise ValueError(f"{self.name}: the workload gives no value for var axes {missing}")
        return {**self.const, **{k: int(v) for k, v in var_axes.items()}}

    @staticmethod
    def shape(shape, axes: dict) -> list[int]:
        return [] if shape is None else [int(axes[a]) for a in shape]

    def tensor_bytes(self, axes: dict) -> int:
        """Bytes of one argument set (inputs and outputs, 256-byte aligned, as the harness)."""
        total = 0
        for shape, dtype in list(self.inputs.values()) + list(self.outputs.values()):
            n = math.prod(self.shape(shape, axes)) * torch.empty((), dtype=DTYPES[dtype]).element_size()
            total += (n + 255) // 256 * 256
        return max(total, 256)

    def reference_run(self) -> Callable:
        if self._run is None:
            namespace: dict = {"__name__": f"reference_{self.name}"}
            exec(compile(self.reference, f"<reference of {self.name}>", "exec"), namespace)
            self._run = namespace["run"]
        return self._run


# ----------------------------------------------------------------------------------------------
# Op registry: one builder per op type
# ----------------------------------------------------------------------------------------------


@dataclass
class Impl:
    """A callable peer: fn(**inputs) -> the definition's outputs (a tensor or a tuple in the
    definition's output order). prepare(inputs) -> inputs runs once per argument set, outside the
    timing (for a weight layout or dtype a library wants at load time)."""

    fn: Callable
    prepare: Callable[[dict], dict] | None = None
    outputs: tuple[str, ...] | None = None  # the definition's outputs fn returns, in order (None: all)
    note: str | None = None  # copied into the peer's rows (e.g. what its check compares)
    info: dict = field(default_factory=dict)  # filled as it runs (e.g. a backend), copied into its rows


@dataclass
class Op:
    # The natural fast PyTorch expression (or an Impl of it, with a prepare); torch.compile
    # compiles this one.
    eager: Callable | Impl
    # FlashInfer: a function (flashinfer module) -> Impl or callable, or a string saying why there
    # is no FlashInfer peer.
    flashinfer: Callable[[Any], Impl | Callable] | str = "flashinfer has no such op"
    fi_modules: tuple[str, ...] = ()  # JIT modules (FI_MODULES) built ahead, under the timeout
    int_bounds: dict[str, Callable[[dict], int]] = field(default_factory=dict)  # integer inputs
    compile: str | None = None  # why there is no torch_compile peer (None: compile eager)
    # Start each timed event pair after a GPU sleep that covers the CPU's time to issue one
    # launch: for peers whose single launch is long (span >= 100 us at one launch), so T is the
    # GPU's time, not Python's time to reach the first kernel (--no-head-start: off).
    head_start: bool = False
    # Inputs built from the var axes instead of filled randomly (attention's index arrays, as the
    # harness's benchmark_indices): (axes, seed) -> {input name: CPU tensor of its shape}.
    index_arrays: Callable[[dict, int], dict[str, torch.Tensor]] | None = None
    # The reference check's small var axes from the workload's (default: ROW_AXES capped).
    check_axes: Callable[[dict], dict] | None = None
    # Further peers (OPTIONAL_PEERS) this op offers: name -> Impl, or a string saying why not.
    extra: dict[str, Impl | str] = field(default_factory=dict)
    # Inputs filled by a function instead of uniformly (sampling's probability rows): name ->
    # fill(out, generator), out one argument set's tensor of the input (on the device) to fill in
    # place, generator a device generator seeded per input (successive sets draw on).
    fills: dict[str, Callable[[torch.Tensor, torch.Generator], None]] = field(default_factory=dict)
    # A check that replaces the comparison with the reference's outputs, for ops whose outputs
    # are random (sampling): (inputs, draw) -> the problem or None; inputs are the check's inputs
    # as made (before the peer's prepare), draw() runs the peer once more on (prepared copies of)
    # them and returns its outputs as a tuple.
    check: Callable[[dict, Callable[[], tuple]], str | None] | None = None


OPS: dict[str, Callable[[Definition], Op]] = {}


def op(*op_types: str):
    def register(builder):
        for t in op_types:
            OPS[t] = builder
        return builder

    return register


def _rotate(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor, rotary_dim: int, neox: bool) -> torch.Tensor:
    """Rotary embedding of the first rotary_dim channels of x [..., heads, head_size]; cos, sin
    broadcast to [..., 1, rotary_dim // 2] (fp32: the products promote to fp32)."""
    rot = x[..., :rotary_dim]
    if neox:
        x1, x2 = rot.chunk(2, dim=-1)
    else:
        x1, x2 = rot[..., 0::2], rot[..., 1::2]
    o1 = x1 * cos - x2 * sin
    o2 = x2 * cos + x1 * sin
    y = torch.cat((o1, o2), dim=-1) if neox else torch.stack((o1, o2), dim=-1).flatten(-2)
    y = y.to(x.dtype)
    return y if rotary_dim == x.shape[-1] else torch.cat((y, x[..., rotary_dim:]), dim=-1)


@op("rmsnorm")
def _rmsnorm(d: Definition) -> Op:
    # rmsnorm_h*, fused_add_rmsnorm_h* (eps 1e-5); gemma_rmsnorm_h*, gemma_fused_add_rmsnorm_h*
    # (eps 1e-6, scale 1 + weight). Output only (the residual sum is not an output here).
    h = d.const["hidden_size"]
    gemma = d.name.startswith("gemma_")
    fused = "residual" in d.inputs
    eps = 1e-6 if gemma else 1e-5
    scale = (lambda w: w + 1) if gemma else (lambda w: w)
    if fused:

        def eager(hidden_states, residual, weight):
            return F.rms_norm(hidden_states + residual, (h,), scale(weight), eps)

        def fi(fi):
            f = fi.norm.gemma_fused_add_rmsnorm if gemma else fi.norm.fused_add_rmsnorm

            def run(hidden_states, residual, weight):
                f(hidden_states, residual, weight, eps)  # in place: residual += x; x = norm(residual)
                return hidden_states

            return run

    else:

        def eager(hidden_states, weight):
            return F.rms_norm(hidden_states, (h,), scale(weight), eps)

        def fi(fi):
            f = fi.norm.gemma_rmsnorm if gemma else fi.norm.rmsnorm
            return lambda hidden_states, weight: f(hidden_states, weight, eps)

    return Op(eager, fi, ("norm",))


@op("rms_norm")
def _rms_norm(d: Definition) -> Op:
    h = d.const["hidden_size"]

    def eager(x, weight):
        return F.rms_norm(x, (h,), weight, 1e-6)

    return Op(eager, lambda fi: (lambda x, weight: fi.norm.rmsnorm(x, weight, 1e-6)), ("norm",))


@op("fused_add_rms_norm")
def _fused_add_rms_norm(d: Definition) -> Op:
    h = d.const["hidden_size"]

    def eager(x, residual, weight):
        r = x + residual  # bf16(x + residual): the sum rounded once, as the definition
        return F.rms_norm(r, (h,), weight, 1e-6), r

    def fi(fi):
        def run(x, residual, weight):
            fi.norm.fused_add_rmsnorm(x, residual, weight, 1e-6)  # in place: x = out, residual = sum
            return x, residual

        return run

    return Op(eager, fi, ("norm",))


@op("layer_norm")
def _layer_norm(d: Definition) -> Op:
    h = d.const["hidden_size"]

    def eager(x, weight, bias):
        return F.layer_norm(x, (h,), weight, bias, 1e-5)

    def fi(fi):
        # flashinfer.norm.layernorm takes fp32 gamma and beta: converted once per argument set,
        # outside the timing (exact: bf16 -> fp32), as an engine would at load time.
        return Impl(
            lambda x, weight, bias: fi.norm.layernorm(x, weight, bias, 1e-5),
            prepare=lambda a: {**a, "weight": a["weight"].float(), "bias": a["bias"].float()},
        )

    return Op(eager, fi, ("norm",))


@op("l2_norm")
def _l2_norm(d: Definition) -> Op:
    def eager(x):
        # x / max(||x||, 1e-3) equals x / sqrt(||x||^2 + 1e-6) up to rounding except for rows of
        # norm near 1e-3, which the benchmark's inputs (|x| >= 1/16) never have.
        return F.normalize(x, p=2.0, dim=-1, eps=1e-3)

    return Op(eager, "flashinfer has no l2_norm")


@op("gated_rms_norm")
def _gated_rms_norm(d: Definition) -> Op:
    h = d.const["hidden_size"]

    def eager(x, weight, z):
        return F.rms_norm(x, (h,), weight, 1e-6) * F.silu(z)

    return Op(eager, "flashinfer has no gated RMSNorm (norm * silu(z)); fused_rmsnorm_silu is silu(norm(x))")


@op("fused_qk_rmsnorm")
def _fused_qk_rmsnorm(d: Definition) -> Op:
    hq, hk, hd = d.const["num_qo_heads"], d.const["num_kv_heads"], d.const["head_dim"]

    def eager(hidden_states, q_weight, k_weight):
        q, k, v = hidden_states.split([hq * hd, hk * hd, hk * hd], dim=-1)
        qn = F.rms_norm(q.unflatten(-1, (hq, hd)), (hd,), q_weight, 1e-6).flatten(-2)
        kn = F.rms_norm(k.unflatten(-1, (hk, hd)), (hd,), k_weight, 1e-6).flatten(-2)
        return torch.cat((qn, kn, v), dim=-1)

    def fi(fi):
        # flashinfer's per-head (3-D, strided) RMSNorm on the q and k heads, writing into one new
        # tensor, and the v heads copied: three launches.
        def run(hidden_states, q_weight, k_weight):
            t = hidden_states.shape[0]
            out = torch.empty_like(hidden_states)
            heads = hidden_states.view(t, hq + 2 * hk, hd)
            out_heads = out.view(t, hq + 2 * hk, hd)
            fi.norm.rmsnorm(heads[:, :hq], q_weight, 1e-6, out=out_heads[:, :hq])
            fi.norm.rmsnorm(heads[:, hq : hq + hk], k_weight, 1e-6, out=out_heads[:, hq : hq + hk])
            out_heads[:, hq + hk :].copy_(heads[:, hq + hk :])
            return out

        return run

    return Op(eager, fi, ("norm",))


@op("silu_and_mul")
def _silu_and_mul(d: Definition) -> Op:
    n = d.const["intermediate_size"]

    def eager(x):
        return F.silu(x[..., :n]) * x[..., n:]

    return Op(eager, lambda fi: (lambda x: fi.activation.silu_and_mul(x)), ("activation",))


FP8 = torch.float8_e4m3fn
FP8_MAX = 448.0


@op("fp8_dynamic_per_token_quant")
def _fp8_dynamic_per_token_quant(d: Definition) -> Op:
    def eager(x):
        amax = x.abs().amax(dim=-1, keepdim=True).float()  # exact: the max of bf16 values
        scale = amax.clamp(min=1e-12) / FP8_MAX
        q = (x.float() * scale.reciprocal()).clamp(-FP8_MAX, FP8_MAX).to(FP8)
        return q, scale.squeeze(-1)

    return Op(eager, "flashinfer has no dynamic per-token fp8 quantisation")


@op("per_token_group_quant_fp8")
def _per_token_group_quant_fp8(d: Definition) -> Op:
    h, g = d.const["hidden_size"], d.const["group_size"]

    def eager(x):
        groups = x.unflatten(-1, (h // g, g))
        scale = (groups.abs().amax(dim=-1, keepdim=True).float() / FP8_MAX).clamp(min=1e-10)
        q = (groups.float() / scale).clamp(-FP8_MAX, FP8_MAX).to(FP8)
        return q.flatten(-2), scale.squeeze(-1)

    def fi(fi):
        try:
            import cuda.tile  # noqa: F401  (the op's only backend is cuTile)
        except ImportError as e:
            raise RuntimeError(f"flashinfer's per_token_group_quant_8bit needs its cuTile backend "
                               f"(cuda-tile with CUDA's tileiras compiler): {e}") from e
        from flashinfer.quantization.fp8_quantization import per_token_group_quant_8bit

        return lambda x: per_token_group_quant_8bit(x, g, eps=1e-10, dst_dtype=FP8)

    return Op(eager, fi)


@op("fused_rmsnorm_quant")
def _fused_rmsnorm_quant(d: Definition) -> Op:
    h = d.const["hidden_size"]

    def eager(x, residual, weight):
        r = x + residual
        normed = F.rms_norm(r, (h,), weight, 1e-5)
        scale = normed.abs().amax(dim=-1).float() / FP8_MAX
        scale = torch.where(scale == 0, torch.ones_like(scale), scale)
        q = (normed.float() / scale[:, None]).clamp(-FP8_MAX, FP8_MAX).to(FP8)
        return q, scale, r

    return Op(eager, "flashinfer's fused_add_rmsnorm_quant takes a static scale; no dynamic per-token scale")


@op("rope")
def _rope(d: Definition) -> Op:
    # rope_with_cos_sin_cache_{neox,gptj}_style_d*_rd*: vLLM's forward_native, vectorised.
    head_size, rd = d.const["head_size"], d.const["rotary_dim"]
    neox = "gptj" not in d.name

    def eager(q, k, cos_sin_cache, positions):
        cos, sin = cos_sin_cache[positions].unsqueeze(-2).chunk(2, dim=-1)  # [T, 1, rd/2] fp32
        return _rotate(q, cos, sin, rd, neox), _rotate(k, cos, sin, rd, neox)

    def fi(fi):
        return lambda q, k, cos_sin_cache, positions: fi.rope.apply_rope_with_cos_sin_cache(
            positions, q, k, head_size, cos_sin_cache, is_neox=neox
        )

    return Op(eager, fi, ("rope",), {"positions": lambda axes: axes["max_seq_len"]})


@op("fused_qkv_rope")
def _fused_qkv_rope(d: Definition) -> Op:
    nh, nkv, hd, rd = d.const["num_heads"], d.const["num_kv_heads"], d.const["head_dim"], d.const["rope_dim"]
    # A constant of the definition (a model's rotary buffer), made once, on the device.
    exponents = torch.arange(0, rd, 2, dtype=torch.float32, device=d.device) / rd
    inv_freq = 1.0 / torch.pow(10000.0, exponents)

    def split(qkv):
        return qkv.view(qkv.shape[0], nh + 2 * nkv, hd).split([nh, nkv, nkv], dim=1)

    def eager(qkv, positions):
        q, k, v = split(qkv)
        angles = positions.float()[:, None] * inv_freq  # [T, rd/2]
        cos, sin = angles.cos().unsqueeze(-2), angles.sin().unsqueeze(-2)
        return _rotate(q, cos, sin, rd, True), _rotate(k, cos, sin, rd, True), v.contiguous()

    def fi(fi):
        def run(qkv, positions):
            q, k, v = split(qkv)  # strided views: flashinfer takes head and token strides
            q_rope, k_rope = fi.rope.apply_rope_pos_ids(q, k, positions, rotary_dim=rd, interleave=False, rope_theta=1e4)
            return q_rope, k_rope, v.contiguous()

        return run

    # Positions: any token of an 8192-token context (the definition leaves them free).
    return Op(eager, fi, ("rope",), {"positions": lambda axes: 8192})


@op("mrope")
def _mrope(d: Definition) -> Op:
    head_size, rd = d.const["head_size"], d.const["rotary_dim"]
    nq, nkv = d.const["num_query_heads"], d.const["num_kv_heads"]
    found = re.search(r"sec(\d+)_(\d+)_(\d+)", d.name)
    if not found:
        raise ValueError(f"{d.name}: no mrope section (sec<t>_<h>_<w>) in the name")
    sections = [int(s) for s in found.groups()]
    neox = "gptj" not in d.name

    def eager(q, k, cos, sin):
        # vLLM's MRotaryEmbedding.forward_native: frequency runs taken from streams t, h, w.
        c = torch.cat([m[i] for i, m in enumerate(cos.split(sections, dim=-1))], dim=-1).unsqueeze(-2)
        s = torch.cat([m[i] for i, m in enumerate(sin.split(sections, dim=-1))], dim=-1).unsqueeze(-2)
        t = q.shape[0]
        q_out = _rotate(q.view(t, nq, head_size), c, s, rd, neox).reshape(t, nq * head_size)
        k_out = _rotate(k.view(t, nkv, head_size), c, s, rd, neox).reshape(t, nkv * head_size)
        return q_out, k_out

    return Op(eager, "flashinfer has no multimodal (sectioned) rope")


# ----------------------------------------------------------------------------------------------
# Inputs, the reference check
# ----------------------------------------------------------------------------------------------


def make_sets(d: Definition, the_op: Op, axes: dict, device: torch.device, count: int, seed: int) -> list[dict]:
    """`count` whole argument sets, filled as the harness fills them: floats uniform in
    +-[1/16, 2) (never zero, any sign), integers uniform in [0, bound). Each input is one pool of
    `count` slots, each slot 256-byte aligned (as the harness's), so set i's tensors are views."""
    g = torch.Generator(device=device)
    sets: list[dict] = [{} for _ in range(count)]
    fixed = [the_op.index_arrays(axes, seed * 131 + i) for i in range(count)] if the_op.index_arrays else None
    for t, (name, (shape, dtype_name)) in enumerate(d.inputs.items()):
        g.manual_seed(seed * 131 + t)
        dtype = DTYPES[dtype_name]
        size = Definition.shape(shape, axes)
        numel = math.prod(size)
        itemsize = torch.empty((), dtype=dtype).element_size()
        slot = max(1, -(-numel * itemsize // 256) * 256 // itemsize)  # elements per aligned slot
        pool = torch.empty(count * slot, dtype=dtype, device=device)
        if name in the_op.fills:
            for i in range(count):
                sets[i][name] = pool[i * slot : i * slot + numel].view(size)
                the_op.fills[name](sets[i][name], g)
            continue
        if fixed is not None and name in fixed[0]:
            host = torch.zeros(count * slot, dtype=dtype)
            for i in range(count):
                host[i * slot : i * slot + numel] = fixed[i][name].reshape(-1).to(dtype)
            pool.copy_(host)
            for i in range(count):
                sets[i][name] = pool[i * slot : i * slot + numel].view(size)
                # The host copy rides along (a prepare() may read it instead of syncing).
                sets[i][name].solkit_host = fixed[i][name].reshape(size).to(dtype)
            continue
        bound = None
        if not dtype.is_floating_point and dtype != torch.bool:
            if name not in the_op.int_bounds:
                raise ValueError(f"{d.name}: integer input '{name}' has no bound in its op builder")
            bound = max(1, int(the_op.int_bounds[name](axes)))
        chunk = 1 << 26
        for start in range(0, pool.numel(), chunk):
            n = min(chunk, pool.numel() - start)
            if dtype.is_floating_point:
                u = torch.rand(n, generator=g, device=device, dtype=torch.float32)
                value = 0.0625 + u * 1.9375
                sign = torch.rand(n, generator=g, device=device) < 0.5
                pool[start : start + n] = torch.where(sign, -value, value).to(dtype)
            elif dtype == torch.bool:
                pool[start : start + n] = torch.rand(n, generator=g, device=device) < 0.5
            else:
                pool[start : start + n] = torch.randint(0, bound, (n,), generator=g, device=device, dtype=dtype)
        for i in range(count):
            sets[i][name] = pool[i * slot : i * slot + numel].view(size)
    return sets


def make_inputs(d: Definition, the_op: Op, axes: dict, device: torch.device, seed: int) -> dict:
    return make_sets(d, the_op, axes, device, 1, seed)[0]


def as_tuple(result) -> tuple:
    return tuple(result) if isinstance(result, (tuple, list)) else (result,)


# (rtol, atol) per output dtype: a few units in the last place (fp8: one step of e4m3).
TOLERANCE = {
    torch.bfloat16: (2e-2, 2e-2),
    torch.float16: (5e-3, 5e-3),
    torch.float32: (2e-2, 1e-5),
    torch.float8_e4m3fn: (0.13, 2.0**-6),
    torch.float8_e5m2: (0.26, 2.0**-12),
}


def compare(d: Definition, got: tuple, want: tuple, tol_scale: float, outputs: tuple[str, ...] | None = None) -> str | None:
    """got: the peer's outputs, `outputs` of the definition's (None: all); want: the reference's."""
    names = list(d.outputs)
    if outputs is not None:
        want = tuple(w for n, w in zip(names, want) if n in outputs)
        names = [n for n in names if n in outputs]
    if len(got) != len(want):
        return f"returned {len(got)} outputs, the reference {len(want)}"
    for name, a, b in zip(names, got, want):
        if not isinstance(a, torch.Tensor):
            return f"output {name} is {type(a).__name__}, not a tensor"
        if tuple(a.shape) != tuple(b.shape):
            return f"output {name} has shape {tuple(a.shape)}, the reference {tuple(b.shape)}"
        if a.dtype != b.dtype:
            return f"output {name} has dtype {a.dtype}, the reference {b.dtype}"
        if a.numel() == 0:
            continue
        if a.dtype.is_floating_point:
            rtol, atol = TOLERANCE.get(a.dtype, (1e-3, 1e-5))
            rtol, atol = rtol * tol_scale, atol * tol_scale
            x, y = a.float().cpu(), b.float().cpu()
            if torch.isnan(x).any() and not torch.isnan(y).any():
                return f"output {name} has NaNs"
            err = (x - y).abs()
            bad = err > atol + rtol * y.abs()
            bad &= ~(torch.isnan(x) & torch.isnan(y))
            if bad.any():
                i = int(bad.flatten().nonzero()[0])
                return (f"output {name}: {int(bad.sum())} of {bad.numel()} elements differ from the reference "
                        f"beyond rtol {rtol:g} / atol {atol:g}; max abs err {float(err.max()):.4g}, "
                        f"first at flat index {i}: {float(x.flatten()[i]):.6g} vs {float(y.flatten()[i]):.6g}")
        elif not torch.equal(a.cpu(), b.cpu()):
            return f"output {name} differs from the reference"
    return None


def check_small(d: Definition, the_op: Op, impl: Impl, var_axes: dict, device, tol_scale: float) -> str | None:
    """Runs `impl` and the definition's reference on one small shape; the mismatch, or None."""
    if the_op.check_axes is not None:
        small = the_op.check_axes(var_axes)
    else:
        small = {k: (min(int(v), CHECK_ROWS) if k in ROW_AXES else int(v)) for k, v in var_axes.items()}
    axes = d.axes(small)
    inputs = make_inputs(d, the_op, axes, device, seed=7)
    if the_op.check is not None:  # random outputs (sampling): the op's own check, no reference run
        args = {k: v.clone() for k, v in inputs.items()}
        if impl.prepare is not None:
            args = impl.prepare(args)
        problem = the_op.check(inputs, lambda: as_tuple(impl.fn(**args)))
        return None if problem is None else f"check failed on {small}: {problem}"
    run = d.reference_run()
    params = list(inspect.signature(run).parameters)
    ref_inputs = {k: v.clone() for k, v in inputs.items()}
    if set(params) == set(inputs):
        want = as_tuple(run(**ref_inputs))
    else:
        want = as_tuple(run(*ref_inputs.values()))
    args = {k: v.clone() for k, v in inputs.items()}
    if impl.prepare is not None:
        args = impl.prepare(args)
    got = as_tuple(impl.fn(**args))
    problem = compare(d, got, want, tol_scale, impl.outputs)
    return None if problem is None else f"reference check failed on {small}: {problem}"


# ----------------------------------------------------------------------------------------------
# FlashInfer: lazy import, JIT modules built ahead in child processes under a time cap
# ----------------------------------------------------------------------------------------------

FI_MODULES = {
    "norm": "import flashinfer.norm as m; m.get_norm_module()",
    "activation": "import flashinfer.activation as m; m.get_act_and_mul_module('silu')",
    "rope": "import flashinfer.rope as m; m.get_rope_module()",
}


def _run_child(code: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", "import torch\n" + code + "\nprint('PEER_BENCH_OK', flush=True)"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: a timeout ends nvcc and ninja with it
    )


def _wait_child(proc: subprocess.Popen, deadline: float) -> tuple[bool, str]:
    try:
        out, _ = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.communicate()
        return False, "timed out"
    ok = proc.returncode == 0 and "PEER_BENCH_OK" in out
    tail = " | ".join(line.strip() for line in out.strip().splitlines()[-6:])
    return ok, tail


class FlashInfer:
    def __init__(self, device: torch.device, build_timeout: float, log):
        self.device = device
        self.build_timeout = build_timeout
        self.log = log
        self.module = None
        self.error: str | None = None
        self.module_errors: dict[str, str] = {}
        self.loaded = False
        self.build_seconds = 0.0

    def load(self, modules: set[str]) -> None:
        if self.loaded:
            return
        self.loaded = True
        if self.device.type != "cuda":
            self.error = "flashinfer needs a CUDA device"
            return
        start = time.monotonic()
        deadline = start + self.build_timeout
        # 1. Import alone first (tvm-ffi may JIT its torch addon on first import: once, not raced).
        ok, tail = _wait_child(_run_child("import flashinfer"), deadline)
        if not ok:
            self.error = f"import flashinfer failed ({tail})"
            self.build_seconds = time.monotonic() - start
            return
        # 2. The JIT modules the manifest needs, built side by side until the deadline.
        children = {m: _run_child("import flashinfer\n" + FI_MODULES[m]) for m in sorted(modules)}
        for name, proc in children.items():
            ok, tail = _wait_child(proc, deadline)
            if not ok:
                self.module_errors[name] = (
                    f"flashinfer JIT build of '{name}' did not finish within --flashinfer-build-timeout "
                    f"{self.build_timeout:g} s" if tail == "timed out" else f"flashinfer JIT build of '{name}' failed ({tail})"
                )
        self.build_seconds = time.monotonic() - start
        self.log(f"flashinfer: JIT modules {sorted(modules)} built or found in {self.build_seconds:.0f} s; "
                 f"failed: {sorted(self.module_errors) or 'none'}")
        try:
            import flashinfer
            import flashinfer.activation  # noqa: F401
            import flashinfer.norm  # noqa: F401
            import flashinfer.rope  # noqa: F401
            import flashinfer.sampling  # noqa: F401

            self.module = flashinfer
        except Exception as e:  # noqa: BLE001
            self.error = f"import flashinfer failed: {type(e).__name__}: {e}"

    @property
    def version(self) -> str | None:
        if self.module is not None:
            return getattr(self.module, "__version__", "unknown")
        try:
            from importlib.metadata import version

            return version("flashinfer-python")
        except Exception:  # noqa: BLE001
            return None


# ----------------------------------------------------------------------------------------------
# Timing
# ----------------------------------------------------------------------------------------------


class Timer:
    """Seconds spent by the launches `enqueue()` issues: CUDA events on the GPU, a wall clock on
    the CPU (where the ops run synchronously)."""

    def __init__(self, device: torch.device):
        self.cuda = device.type == "cuda"
        self.sleep_cycles_per_us: float | None = None
        if self.cuda:
            self.start = torch.cuda.Event(enable_timing=True)
            self.stop = torch.cuda.Event(enable_timing=True)

    def can_sleep(self) -> bool:
        """Whether a head start can be given (torch.cuda._sleep, its rate measured once)."""
        if not self.cuda:
            return False
        if self.sleep_cycles_per_us is None:
            self.sleep_cycles_per_us = 0.0
            try:
                torch.cuda._sleep(1000)
                cycles = 4_000_000
                seconds = self.span(lambda: torch.cuda._sleep(cycles))
                self.sleep_cycles_per_us = cycles / (seconds * 1e6) if seconds > 0 else 0.0
            except Exception:  # noqa: BLE001
                self.sleep_cycles_per_us = 0.0
        return self.sleep_cycles_per_us > 0

    def span(self, enqueue: Callable[[], None], head_start_s: float = 0.0) -> float:
        if self.cuda:
            if head_start_s > 0 and self.sleep_cycles_per_us:
                # The GPU sleeps (before the start event) while the CPU enqueues the first launch:
                # the span then holds the launches' GPU time, not the CPU's time to issue the first.
                torch.cuda._sleep(int(head_start_s * 1e6 * self.sleep_cycles_per_us))
            self.start.record()
            enqueue()
            self.stop.record()
            self.stop.synchronize()
            return self.start.elapsed_time(self.stop) * 1e-3
        t0 = time.perf_counter()
        enqueue()
        return time.perf_counter() - t0

    def sync(self) -> None:
        if self.cuda:
            torch.cuda.synchronize()


def time_peer(impl: Impl, sets: list[dict], timer: Timer, repeats: int,
              graph_wanted: Callable[[float], bool] = lambda t_s: False, head_start: bool = False) -> dict:
    """Times impl.fn over the rotated `sets`; graph_wanted(T seconds) says whether to add the
    CUDA-graph replay (T_graph_us). head_start: each event pair starts after a GPU sleep longer
    than the CPU's time to issue one launch (Op.head_start)."""
    fn = impl.fn
    count = len(sets)
    ring: list = [None] * count  # keeps each launch's outputs alive for a rotation: outputs rotate too
    state = {"next": 0}

    def launch(n: int) -> None:
        i = state["next"]
        for _ in range(n):
            ring[i] = fn(**sets[i])
            i = (i + 1) % count
        state["next"] = i

    # Warm-up: every argument set once, at least three launches (harness).
    launch(max(3, count))
    timer.sync()
    # The CPU's time to issue one launch (a diagnostic; sizes the head start).
    cpu = []
    for _ in range(5):
        t0 = time.perf_counter()
        launch(1)
        cpu.append(time.perf_counter() - t0)
    timer.sync()
    cpu_s = statistics.median(cpu)
    head_s = min(5e-3, 2 * cpu_s + 20e-6) if head_start and timer.can_sleep() else 0.0
    # Launches per event pair: the span >= 100 us, at most 2000 (harness; the peer's own time
    # stands in for T_SOL, so the span is >= 100 us whatever the peer's speed).
    n = 1
    while True:
        span = timer.span(lambda: launch(n), head_s)
        if span >= TARGET_SPAN_S or n >= MAX_LAUNCHES:
            break
        n = min(MAX_LAUNCHES, max(2 * n, math.ceil(n * TARGET_SPAN_S / max(span, 1e-9) * 1.2)))
    launches = n
    per_launch = [timer.span(lambda: launch(launches), head_s) / launches for _ in range(repeats)]
    row = {"T_us": statistics.median(per_launch) * 1e6, "launches_per_event_pair": launches, "argument_sets": count,
           "cpu_us_per_launch": round(cpu_s * 1e6, 1)}
    if head_s:
        row["head_start_us"] = round(head_s * 1e6, 1)

    if timer.cuda and launches > 1 and graph_wanted(row["T_us"] * 1e-6):
        graph = None
        try:
            side = torch.cuda.Stream()
            side.wait_stream(torch.cuda.current_stream())
            with torch.cuda.stream(side):
                launch(launches)
            torch.cuda.current_stream().wait_stream(side)
            graph = torch.cuda.CUDAGraph()
            with torch.cuda.graph(graph):
                launch(launches)
            graph.replay()
            times = [timer.span(graph.replay) / launches for _ in range(20)]
            row["T_graph_us"] = statistics.median(times) * 1e6
        except Exception as e:  # noqa: BLE001
            row["graph_error"] = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"[:300]
        finally:
            del graph
    ring.clear()
    return row


# ----------------------------------------------------------------------------------------------
# Runner
# ----------------------------------------------------------------------------------------------


def load_manifests(paths: list[str]) -> tuple[list[dict], list[str]]:
    workloads, seen, binaries = [], set(), []
    for p in paths:
        data = json.loads(Path(p).read_text())
        binaries.append(data.get("binary", Path(p).stem))
        for w in data["workloads"]:
            if w["name"] not in seen:
                seen.add(w["name"])
                workloads.append(w)
    return workloads, binaries


def short(e: BaseException) -> str:
    text = f"{type(e).__name__}: {e}".strip()
    return (text.splitlines()[0] if text else type(e).__name__)[:500]


def gpu_info(device: torch.device) -> dict:
    if device.type != "cuda":
        return {"gpu": "none (cpu)", "l2_bytes": 0}
    p = torch.cuda.get_device_properties(device)
    return {
        "gpu": p.name,
        "l2_bytes": int(getattr(p, "L2_cache_size", 0)),
        "sms": p.multi_processor_count,
        "memory_bytes": int(p.total_memory),
        "capability": f"{p.major}.{p.minor}",
    }


def hbm_bytes_per_s(gpu_name: str) -> float | None:
    for key, bw in HBM_BYTES_PER_S.items():
        if key in gpu_name and "PCIe" not in gpu_name:
            return bw
    return None


def configure_dynamo() -> None:
    # One compiled callable per definition, recompiled per shape (dynamic=False): let it recompile
    # as often as the manifest needs, and fail rather than fall back to eager silently.
    cfg = torch._dynamo.config
    for name in ("recompile_limit", "cache_size_limit"):
        if hasattr(cfg, name):
            setattr(cfg, name, 100_000)
    for name in ("accumulated_recompile_limit", "accumulated_cache_size_limit"):
        if hasattr(cfg, name):
            setattr(cfg, name, 1_000_000)
    if hasattr(cfg, "fail_on_recompile_limit_hit"):
        cfg.fail_on_recompile_limit_hit = True


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("manifests", nargs="+", help="<binary>.workloads.json files written by solkit-codegen")
    ap.add_argument("--out", required=True, help="output JSON file (rewritten after each definition)")
    ap.add_argument("--definitions", default=str(REPO / "definitions"), help="the dataset's definitions/ folder")
    ap.add_argument("--device", default="cuda", help="cuda (default), cuda:N or cpu (cpu: eager and compile, for testing)")
    ap.add_argument("--peers", default=",".join(PEERS), help=f"comma-separated subset of {','.join(PEERS)}")
    ap.add_argument("--filter", default=None, help="regex: only workloads whose name matches")
    ap.add_argument("--repeats", type=int, default=30, help="event pairs timed per workload (median reported)")
    ap.add_argument("--flashinfer-build-timeout", type=float, default=600.0,
                    help="seconds allowed for importing flashinfer and JIT-compiling its modules, all together")
    ap.add_argument("--no-graph", action="store_true", help="skip the CUDA-graph replay (T_graph_us)")
    ap.add_argument("--no-head-start", action="store_true",
                    help="no GPU sleep before each event pair for ops that ask for it (Op.head_start)")
    ap.add_argument("--l2-bytes", type=int, default=None, help="override the L2 size used to size the rotation")
    ap.add_argument("--tolerance-scale", type=float, default=1.0, help="multiplies the reference check's tolerances")
    ap.add_argument("--skip-check", action="store_true", help="time peers without the reference check")
    ap.add_argument("--check-only", action="store_true", help="run the reference checks only, no timing")
    args = ap.parse_args(argv)

    peers = [p.strip() for p in args.peers.split(",") if p.strip()]
    for p in peers:
        if p not in PEERS:
            ap.error(f"unknown peer {p!r}; peers are {', '.join(PEERS)}")
    device = torch.device(args.device)
    if device.type == "cuda" and device.index is None:
        device = torch.device("cuda", 0)  # set_device and the property queries need an index
    if device.type == "cuda":
        if not torch.cuda.is_available():
            ap.error("--device cuda but torch sees no CUDA device (use --device cpu to test on the CPU)")
        torch.cuda.set_device(device)
    torch.set_grad_enabled(False)
    configure_dynamo()

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    workloads, binaries = load_manifests(args.manifests)
    if args.filter:
        workloads = [w for w in workloads if re.search(args.filter, w["name"])]
    info = gpu_info(device)
    l2 = args.l2_bytes if args.l2_bytes is not None else (info["l2_bytes"] or (4 << 20))
    bandwidth = hbm_bytes_per_s(info["gpu"]) if device.type == "cuda" else None
    timer = Timer(device)
    fi = FlashInfer(device, args.flashinfer_build_timeout, log)

    # Definitions, grouped in manifest order.
    by_definition: dict[str, list[dict]] = {}
    for w in workloads:
        by_definition.setdefault(w["definition"], []).append(w)
    definitions: dict[str, Definition | str] = {}
    for name, ws in by_definition.items():
        path = Path(args.definitions) / ws[0]["op_type"] / f"{name}.json"
        try:
            definitions[name] = Definition(path)
            definitions[name].device = device
        except Exception as e:  # noqa: BLE001
            definitions[name] = f"definition {path} unreadable: {short(e)}"

    rows: dict[tuple[str, str], dict] = {}
    context = {
        "gpu": info["gpu"],
        "gpu_info": info,
        "device": str(device),
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "triton": _version_of("triton"),
        "flashinfer": None,
        "python": platform.python_version(),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "host": platform.node(),
        "binaries": binaries,
        "manifests": [str(p) for p in args.manifests],
        "method": "CUDA events around back-to-back launches over rotated argument sets (> 4x L2, <= 1 GiB); "
                  "span >= 100 us (<= 2000 launches); median of span/launches over repeats",
        "l2_bytes_for_rotation": l2,
        "repeats": args.repeats,
        "reference_check": "skipped" if args.skip_check else
        f"each peer once per definition, rows <= {CHECK_ROWS} (ops with check_axes: their small shape), "
        "against the definition's reference run (ops with their own check, sampling: sampled ids in the "
        "reference's filtered sets)",
    }

    def write() -> None:
        order = {w["name"]: i for i, w in enumerate(workloads)}
        out_rows = sorted(rows.values(), key=lambda r: (order.get(r["name"], 0), PEERS.index(r["peer"])))
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(args.out + ".tmp")
        tmp.write_text(json.dumps({"context": context, "benchmarks": out_rows}, indent=2) + "\n")
        tmp.replace(args.out)

    # FlashInfer first (once): its JIT builds, capped by --flashinfer-build-timeout.
    if "flashinfer" in peers:
        needed = set()
        for d in definitions.values():
            if isinstance(d, Definition) and d.op_type in OPS:
                try:
                    needed.update(OPS[d.op_type](d).fi_modules)
                except Exception:  # noqa: BLE001
                    pass
        fi.load(needed)
        context["flashinfer"] = fi.version if fi.module is not None else None
        if fi.error:
            context["flashinfer_error"] = fi.error
        context["flashinfer_build_seconds"] = round(fi.build_seconds, 1)
        if fi.module is not None:
            norm = sys.modules.get("flashinfer.norm")
            context["flashinfer_norm_backend"] = "cuda-jit" if getattr(norm, "_USE_CUDA_NORM", True) else "cute-dsl"

    for def_name, ws in by_definition.items():
        d = definitions[def_name]
        the_op, problem = None, None
        if isinstance(d, str):
            problem = d
        elif d.op_type not in OPS:
            problem = f"peer_bench.py has no builder for op type {d.op_type!r}"
        else:
            try:
                the_op = OPS[d.op_type](d)
            except Exception as e:  # noqa: BLE001
                problem = f"op builder failed: {short(e)}"
        # torch.compile last: its first compile starts inductor's pool of worker processes, whose
        # start-up loads the CPU for a while and would slow the peers timed right after it.
        for peer in sorted(peers, key=lambda p: p == "torch_compile"):
            if peer in OPTIONAL_PEERS and (the_op is None or peer not in the_op.extra):
                continue  # a peer only some ops offer: no rows for the others
            impl, error = None, problem
            if error is None:
                impl, error = resolve_peer(peer, d, the_op, fi)
            if error is None and not args.skip_check:
                try:
                    error = check_small(d, the_op, impl, ws[0]["var_axes"], device, args.tolerance_scale)
                except Exception as e:  # noqa: BLE001
                    error = f"reference check raised {short(e)}"
                    log(traceback.format_exc())
            for w in ws:
                row = {"name": w["name"], "peer": peer}
                if error is not None:
                    row["error"] = error
                elif args.check_only:
                    row["check"] = "passed"
                else:
                    row.update(time_workload(d, the_op, impl, w, device, l2, timer, args, bandwidth, log))
                    if "error" not in row:
                        row["check"] = "skipped" if args.skip_check else "passed"
                if impl is not None and impl.note:
                    row["note"] = impl.note
                if impl is not None and impl.info:
                    row["info"] = dict(impl.info)
                rows[(w["name"], peer)] = row
                shown = (f"{row['T_us']:.2f} us" if "T_us" in row else f"error: {row['error'][:100]}"
                         if "error" in row else "check passed")
                log(f"{w['name']:<60} {peer:<14} {shown}")
            impl = None
            if peer == "torch_compile":
                torch._dynamo.reset()
            gc.collect()
            if device.type == "cuda":
                torch.cuda.empty_cache()
        write()

    write()
    print_table(workloads, rows, peers)
    print(f"wrote {args.out}")
    return 0


def _version_of(package: str) -> str | None:
    try:
        from importlib.metadata import version

        return version(package)
    except Exception:  # noqa: BLE001
        return None


def resolve_peer(peer: str, d: Definition, the_op: Op, fi: FlashInfer) -> tuple[Impl | None, str | None]:
    eager = the_op.eager if isinstance(the_op.eager, Impl) else Impl(the_op.eager)
    if peer == "torch_eager":
        return eager, None
    if peer == "torch_compile":
        if the_op.compile is not None:
            return None, the_op.compile
        try:
            return Impl(torch.compile(eager.fn, dynamic=False), eager.prepare, eager.outputs, eager.note, eager.info), None
        except Exception as e:  # noqa: BLE001
            return None, f"torch.compile failed: {short(e)}"
    if peer in OPTIONAL_PEERS:
        made = the_op.extra.get(peer, f"{d.op_type} has no {peer} peer")
        return (None, made) if isinstance(made, str) else (made, None)
    # flashinfer
    if isinstance(the_op.flashinfer, str):
        return None, the_op.flashinfer
    if fi.error is not None:
        return None, fi.error
    if fi.module is None:
        return None, "flashinfer not loaded"
    for m in the_op.fi_modules:
        if m in fi.module_errors:
            return None, fi.module_errors[m]
    try:
        made = the_op.flashinfer(fi.module)
    except Exception as e:  # noqa: BLE001
        return None, f"flashinfer op unavailable: {short(e)}"
    return (made if isinstance(made, Impl) else Impl(made)), None


def time_workload(d, the_op, impl, w, device, l2, timer, args, bandwidth, log) -> dict:
    sets = None
    try:
        axes = d.axes(w["var_axes"])
        set_bytes = d.tensor_bytes(axes)
        count = max(1, min(math.ceil(4 * l2 / set_bytes), max(1, MAX_POOL_BYTES // set_bytes)))
        sets = make_sets(d, the_op, axes, device, count, seed=1)
        if impl.prepare is not None:
            sets = [impl.prepare(inputs) for inputs in sets]
        # The harness replays a CUDA graph where T_SOL < 10 us; T_SOL = bytes / HBM rate on the
        # GPUs of solkit's SOL table, else the peer's own time stands in.
        sol_s = w["bytes"] / bandwidth if bandwidth and w.get("bytes") else None

        def graph_wanted(t_s: float) -> bool:
            return not args.no_graph and (sol_s if sol_s is not None else t_s) < GRAPH_BELOW_SOL_S

        return time_peer(impl, sets, timer, args.repeats, graph_wanted,
                         head_start=the_op.head_start and not args.no_head_start)
    except Exception as e:  # noqa: BLE001
        log(traceback.format_exc())
        return {"error": f"timing failed: {short(e)}"}
    finally:
        del sets
        gc.collect()
        if device.type == "cuda":
            torch.cuda.empty_cache()


def print_table(workloads: list[dict], rows: dict, peers: list[str]) -> None:
    names = [w["name"] for w in workloads]
    peers = [p for p in peers if p not in OPTIONAL_PEERS or any((n, p) in rows for n in names)]
    width = max([len(n) for n in names] + [8])
    head = f"{'workload':<{width}}" + "".join(f"  {p:>16}" for p in peers)
    print(head)
    print("-" * len(head))
    for n in names:
        cells = []
        for p in peers:
            r = rows.get((n, p), {})
            if "T_us" in r:
                g = f" ({r['T_graph_us']:.1f}g)" if "T_graph_us" in r else ""
                cells.append(f"{r['T_us']:.2f}{g}")
            else:
                cells.append("error" if "error" in r else r.get("check", "-"))
        print(f"{n:<{width}}" + "".join(f"  {c:>16}" for c in cells))
    errors = sorted({(p, r["error"]) for (n, p), r in rows.items() if "error" in r})
    if errors:
        print("\nerrors (peer: why):")
        for p, e in errors:
            print(f"  {p}: {e[:200]}")
    print("\nT_us per launch, median; (Ng) = T_graph_us, the same launches replayed as a CUDA graph")


# Attention (gqa_paged, gqa_ragged) lives in attention_peers.py and sampling (sampling,
# topk_filter) in sampling_peers.py, which register their builders and FlashInfer modules here;
# under `python3 peer_bench.py` this module is __main__, so it is made importable as peer_bench first.
sys.modules.setdefault("peer_bench", sys.modules[__name__])
sys.path.insert(0, str(Path(__file__).resolve().parent))
import attention_peers  # noqa: E402,F401
import sampling_peers  # noqa: E402,F401

if __name__ == "__main__":
    sys.exit(main())
