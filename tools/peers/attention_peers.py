"""Peers of solkit's GQA attention definitions (op types gqa_paged and gqa_ragged), registered
into peer_bench.py's op table (peer_bench imports this module at its end).

Definitions (definitions/gqa_paged, definitions/gqa_ragged): paged decode
(gqa_paged_decode_h*_kv*_d*_ps*), paged causal prefill (gqa_paged_prefill_causal_*), ragged causal
prefill (gqa_ragged_prefill_causal_*) and ragged bidirectional prefill (gqa_ragged_prefill_h*).
Outputs: output [rows, num_qo_heads, head_dim] bf16 and lse [rows, num_qo_heads] f32 in base 2;
the causal mask is aligned bottom-right (query i of a sequence sees kv j <= i + kv_len - q_len).

Inputs: the index arrays are not random. As solkit's harness does (attention_benchmark.hpp,
attention_batch.hpp), the sequences (len_indptr - 1; decode: batch_size) split total_q and
num_kv_indices (paged) or total_kv (ragged) evenly, the first `total % n` one more, every last page
full, and kv_indices is a random permutation of the pool of num_pages pages (reused cyclically
when the batch uses more pages than the pool has). sm_scale is 1/sqrt(head_dim) (the harness fills
it randomly, which is fine for its timing; a random scale up to 2 makes the softmax degenerate).

Peers:
- torch_eager: F.scaled_dot_product_attention on the dense equivalent, as an engine without paged
  kernels runs it: per run of equal-length sequences (at most three for an even split) the pages
  are gathered into dense K/V (index_select, inside the timed call: that is the cost such an
  engine pays), then one batched SDPA call with enable_gqa; causal as is_causal when q_len ==
  kv_len, else torch.nn.attention.bias.causal_lower_right. The host-side description of the
  batch (sequence lengths, which an engine's scheduler knows on the host) and sm_scale as a float
  come from prepare(), outside the timing. The SDPA backend is the first of flash, efficient,
  cuDNN, math that runs the shape (probed once per shape, recorded in the row's info), pinned with
  sdpa_kernel. SDPA returns no lse: this peer returns `output` only, and its reference check
  compares `output` alone (the row's note says so).
- torch_sdpa_dense (paged definitions only): SDPA alone, on K/V that prepare() gathered into dense
  tensors before the timing; the gap to torch_eager is the gather.
- torch_compile: torch.compile of torch_eager's function (gather + SDPA; SDPA stays the library
  kernel, inductor can fuse the gather's copies).
- flashinfer: BatchDecodeWithPagedKVCacheWrapper (decode; CUDA-core decode kernel, the default
  use_tensor_cores=False), BatchPrefillWithPagedKVCacheWrapper (causal=True) and
  BatchPrefillWithRaggedKVCacheWrapper (causal True or False); kv_layout NHD, backend "auto" (fa3
  on Hopper for head_dim 64/128/256, fa2 for other head dims), run(..., return_lse=True). Its lse
  is base 2 like the definitions' (the kernels' state is kept in log2: m + log2(d)), so it is
  compared as is. One 128 MiB float workspace per process; plan() runs in prepare(), outside the
  timing, once per batch structure: every argument set of a workload has the same lengths (only
  the page permutation differs), so one planned wrapper serves them all, and for the paged
  wrappers each set's own kv_indices tensor is handed to the wrapper (its page-table attribute,
  no copy and no GPU work) just before run().
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F

import peer_bench as pb

BF16 = torch.bfloat16
FI_WORKSPACE_BYTES = 128 << 20
CHECK_KV_TOKENS = 130  # kv tokens per sequence of the reference check's shape (at most)
CHECK_SEQUENCES = 3


# ----------------------------------------------------------------------------------------------
# The batch: index arrays as the harness builds them, and their host-side description
# ----------------------------------------------------------------------------------------------


def _even_split(total: int, parts: int) -> list[int]:
    """attention_batch.hpp even_split: the first total % parts get one more."""
    return [total // parts + (1 if b < total % parts else 0) for b in range(parts)] if parts > 0 else []


def _indptr(lengths: list[int]) -> torch.Tensor:
    out = [0]
    for n in lengths:
        out.append(out[-1] + n)
    return torch.tensor(out, dtype=torch.int32)


def _sequences(axes: dict) -> int:
    return int(axes["len_indptr"]) - 1 if "len_indptr" in axes else int(axes["batch_size"])


def index_arrays(d: pb.Definition, axes: dict, seed: int) -> dict[str, torch.Tensor]:
    """The inputs solkit's harness builds from the var axes (attention_benchmark.hpp
    benchmark_indices), plus sm_scale = 1/sqrt(head_dim). CPU tensors."""
    n = _sequences(axes)
    page_size = int(d.const.get("page_size", 0))
    out: dict[str, torch.Tensor] = {}
    if "qo_indptr" in d.inputs:
        out["qo_indptr"] = _indptr(_even_split(int(axes["total_q"]), n))
    if page_size == 0:
        out["kv_indptr"] = _indptr(_even_split(int(axes["total_kv"]), n))
    else:
        used = int(axes["num_kv_indices"])
        out["kv_indptr"] = _indptr(_even_split(used, n))
        g = torch.Generator().manual_seed(int(seed))
        pool = torch.randperm(max(int(axes["num_pages"]), 1), generator=g).to(torch.int32)
        out["kv_indices"] = pool[torch.arange(used) % pool.numel()] if used else pool[:0]
        out["kv_last_page_len"] = torch.full((n,), page_size, dtype=torch.int32)
    out["sm_scale"] = torch.tensor(1.0 / math.sqrt(d.const["head_dim"]), dtype=torch.float32)
    return out


def check_axes(d: pb.Definition, var_axes: dict) -> dict:
    """The reference check's small shape: the workload's kind of batch (decode, square causal
    prefill, chunked prefill with q_len < kv_len, bidirectional), at most 3 sequences of at most
    ~130 kv tokens, every sequence equal, and a page pool a little larger than the batch uses
    (so the permutation scatters over unused pages too)."""
    axes = d.axes(var_axes)
    n = max(1, _sequences(axes))
    page_size = int(d.const.get("page_size", 0))
    decode = "total_q" not in axes
    if page_size:
        pages_per = max(1, int(axes["num_kv_indices"]) // n)
        kv_per = pages_per * page_size
        pages_s = min(pages_per, max(1, math.ceil(CHECK_KV_TOKENS / page_size)))
        kv_s = pages_s * page_size
    else:
        kv_per = max(1, int(axes["total_kv"]) // n)
        kv_s = min(kv_per, CHECK_KV_TOKENS)
        pages_s = 0
    q_per = 1 if decode else max(1, int(axes["total_q"]) // n)
    if decode:
        q_s = 1
    elif q_per >= kv_per:  # square (or more queries than kv: the first ones see nothing)
        q_s = kv_s + min(q_per - kv_per, 8)
    else:  # a chunk of a longer context
        q_s = max(1, min(q_per, kv_s // 2))
    n_s = min(n, CHECK_SEQUENCES)
    small = {
        "batch_size": n_s,
        "len_indptr": n_s + 1,
        "total_q": n_s * q_s,
        "total_kv": n_s * kv_s,
        "num_kv_indices": n_s * pages_s,
        "num_pages": n_s * pages_s + 7,
    }
    return {k: small[k] for k in d.var}


@dataclass(frozen=True)
class Group:
    """Consecutive sequences b0..b1-1 of equal lengths: their query rows q0..q1 (decode: batch
    rows), their pages p0..p1 (paged) or kv tokens p0..p1 (ragged), q_len and kv_len each."""

    q0: int
    q1: int
    p0: int
    p1: int
    count: int
    q_len: int
    kv_len: int
    pages: int  # per sequence (paged), 0 for ragged


@dataclass(eq=False)
class Plan:
    """What the eager peers know on the host: the groups, the scale, the SDPA backend."""

    groups: tuple[Group, ...]
    rows: int
    scale: float
    backend: object = None  # SDPBackend chosen by the probe
    backend_name: str = ""


_PLANS: dict[tuple, Plan] = {}  # one Plan object per structure: torch.compile guards see one object


def _host(t: torch.Tensor) -> list[int]:
    # make_sets attaches the host copy of the arrays it built (no device sync per argument set)
    host = getattr(t, "solkit_host", None)
    return [int(x) for x in (host if host is not None else t).tolist()]


def batch_key(d: pb.Definition, inputs: dict) -> tuple:
    """The host-side structure of an argument set (reads the small index arrays back)."""
    kv_indptr = tuple(_host(inputs["kv_indptr"]))
    qo = tuple(_host(inputs["qo_indptr"])) if "qo_indptr" in inputs else None
    last = tuple(_host(inputs["kv_last_page_len"])) if "kv_last_page_len" in inputs else None
    scale = getattr(inputs["sm_scale"], "solkit_host", inputs["sm_scale"])
    return (d.name, qo, kv_indptr, last, float(scale))


def make_plan(d: pb.Definition, inputs: dict) -> Plan:
    key = batch_key(d, inputs)
    plan = _PLANS.get(key)
    if plan is not None:
        return plan
    _, qo, kv_indptr, last, scale = key
    page_size = int(d.const.get("page_size", 0))
    n = len(kv_indptr) - 1
    q_starts = list(qo) if qo is not None else list(range(n + 1))
    seqs = []
    for b in range(n):
        pages = kv_indptr[b + 1] - kv_indptr[b]
        if page_size:
            kv_len = 0 if pages <= 0 else (pages - 1) * page_size + (page_size if last is None else last[b])
        else:
            kv_len, pages = pages, 0
        seqs.append((q_starts[b], q_starts[b + 1] - q_starts[b], kv_indptr[b], pages, kv_len))
    groups: list[Group] = []
    b = 0
    while b < n:
        e = b + 1
        while e < n and seqs[e][1] == seqs[b][1] and seqs[e][3] == seqs[b][3] and seqs[e][4] == seqs[b][4]:
            e += 1
        q0, q_len, p0, pages, kv_len = seqs[b]
        p1 = kv_indptr[e]
        groups.append(Group(q0, q_starts[e], p0, p1, e - b, q_len, kv_len, pages))
        b = e
    plan = Plan(tuple(groups), q_starts[n], scale)
    _PLANS[key] = plan
    return plan


# ----------------------------------------------------------------------------------------------
# Eager: SDPA on the dense equivalent
# ----------------------------------------------------------------------------------------------


def _sdpa_backends():
    from torch.nn.attention import SDPBackend

    names = ["FLASH_ATTENTION", "EFFICIENT_ATTENTION", "CUDNN_ATTENTION", "MATH"]
    return [(name, getattr(SDPBackend, name)) for name in names if hasattr(SDPBackend, name)]


def _sdpa(q, k, v, causal: bool, scale: float, backend):
    """q [n, Hq, q_len, D], k/v [n, Hk, kv_len, D] (q_len <= kv_len when causal): bottom-right
    causal or no mask. Returns [n, Hq, q_len, D]."""
    from torch.nn.attention import sdpa_kernel
    from torch.nn.attention.bias import causal_lower_right

    q_len, kv_len = q.shape[2], k.shape[2]
    gqa = q.shape[1] != k.shape[1]
    with sdpa_kernel([backend]):
        if not causal or q_len == 1:  # one query (decode) sees the whole context
            return F.scaled_dot_product_attention(q, k, v, scale=scale, enable_gqa=gqa)
        if q_len == kv_len:
            return F.scaled_dot_product_attention(q, k, v, is_causal=True, scale=scale, enable_gqa=gqa)
        return F.scaled_dot_product_attention(
            q, k, v, attn_mask=causal_lower_right(q_len, kv_len), scale=scale, enable_gqa=gqa
        )


def _attend(plan: Plan, q: torch.Tensor, kv_of, causal: bool, backend) -> torch.Tensor:
    """Output [rows, Hq, D] of every group; kv_of(i, group) -> (k, v) [count, kv_len, Hk, D]."""
    hq, dim = q.shape[-2], q.shape[-1]
    groups = plan.groups
    simple = (len(groups) == 1 and groups[0].kv_len > 0 and groups[0].q_len > 0
              and not (causal and groups[0].q_len > groups[0].kv_len))
    out = None if simple else q.new_empty(plan.rows, hq, dim)
    for i, g in enumerate(groups):
        if g.q_len == 0:
            continue
        rows = None if simple else out[g.q0 : g.q1].view(g.count, g.q_len, hq, dim)
        if g.kv_len == 0:  # no kv token: output 0
            rows.zero_()
            continue
        skip = max(0, g.q_len - g.kv_len) if causal else 0  # queries that see no kv token
        if skip:
            rows[:, :skip].zero_()
        k, v = kv_of(i, g)
        qg = q[g.q0 : g.q1].view(g.count, g.q_len, hq, dim)[:, skip:]
        o = _sdpa(qg.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2), causal, plan.scale, backend)
        if simple:
            return o.transpose(1, 2).reshape(plan.rows, hq, dim)
        rows[:, skip:].copy_(o.transpose(1, 2))
    return out


def _gather(cache: torch.Tensor, kv_indices: torch.Tensor, g: Group) -> torch.Tensor:
    """The pages of a group's sequences, gathered into dense [count, kv_len, Hk, D]."""
    page_size, hk, dim = cache.shape[1], cache.shape[2], cache.shape[3]
    dense = cache.index_select(0, kv_indices[g.p0 : g.p1])  # [count * pages, page_size, Hk, D]
    return dense.view(g.count, g.pages * page_size, hk, dim)[:, : g.kv_len]


def _probe_backend(plan: Plan, run) -> None:
    """The first SDPA backend that runs this shape, pinned in the plan (once per plan)."""
    if plan.backend is not None:
        return
    failures = []
    for name, backend in _sdpa_backends():
        try:
            run(backend)
            plan.backend, plan.backend_name = backend, name
            return
        except RuntimeError as e:
            failures.append(f"{name}: {pb.short(e)[:120]}")
    raise RuntimeError("no SDPA backend runs this shape: " + "; ".join(failures))


def _eager_impls(d: pb.Definition) -> tuple[pb.Impl, pb.Impl | None]:
    """torch_eager (gather in the timed call) and, for paged definitions, torch_sdpa_dense."""
    paged = "k_cache" in d.inputs
    causal = "causal" in d.name or "decode" in d.name  # decode: one query, no mask either way
    info: dict = {}
    note = "returns output only (SDPA gives no lse); its reference check compares output alone"

    if paged:

        def eager(q, k_cache, v_cache, kv_indices, _plan, **_):
            def kv_of(i, g):
                return _gather(k_cache, kv_indices, g), _gather(v_cache, kv_indices, g)

            return _attend(_plan, q, kv_of, causal, _plan.backend)

    else:

        def eager(q, k, v, _plan, **_):
            def kv_of(i, g):
                hk, dim = k.shape[1], k.shape[2]
                return (k[g.p0 : g.p1].view(g.count, g.kv_len, hk, dim),
                        v[g.p0 : g.p1].view(g.count, g.kv_len, hk, dim))

            return _attend(_plan, q, kv_of, causal, _plan.backend)

    def prepare(inputs: dict) -> dict:
        plan = make_plan(d, inputs)
        args = {**inputs, "_plan": plan}
        if plan.backend is None:
            def run(backend):
                plan.backend = backend
                try:
                    eager(**args)
                    if args["q"].is_cuda:
                        torch.cuda.synchronize()
                finally:
                    plan.backend = None
            _probe_backend(plan, run)
        info["sdpa_backend"] = plan.backend_name
        return args

    eager_impl = pb.Impl(eager, prepare, outputs=("output",), note=note, info=info)
    if not paged:
        return eager_impl, None

    dense_info: dict = {}

    def dense_prepare(inputs: dict) -> dict:
        args = prepare(inputs)
        plan = args["_plan"]
        kv = tuple((_gather(inputs["k_cache"], inputs["kv_indices"], g).contiguous(),
                    _gather(inputs["v_cache"], inputs["kv_indices"], g).contiguous()) for g in plan.groups)
        dense_info["sdpa_backend"] = plan.backend_name
        return {"q": inputs["q"], "_plan": plan, "_kv": kv}

    def dense(q, _plan, _kv):
        return _attend(_plan, q, lambda i, g: _kv[i], causal, _plan.backend)

    dense_impl = pb.Impl(dense, dense_prepare, outputs=("output",),
                         note=note + "; K/V gathered into dense tensors before the timing (SDPA alone)",
                         info=dense_info)
    return eager_impl, dense_impl


# ----------------------------------------------------------------------------------------------
# FlashInfer
# ----------------------------------------------------------------------------------------------

_FI_WORKSPACE: dict[str, torch.Tensor] = {}


def _fi_workspace(device: torch.device) -> torch.Tensor:
    key = str(device)
    if key not in _FI_WORKSPACE:
        _FI_WORKSPACE[key] = torch.empty(FI_WORKSPACE_BYTES, dtype=torch.uint8, device=device)
    return _FI_WORKSPACE[key]


def _fi_module_keys(d: pb.Definition) -> tuple[str, ...]:
    dim = d.const["head_dim"]
    if "decode" in d.name:
        return (f"attn_decode_bf16_d{dim}",)
    return (f"attn_prefill_bf16_d{dim}",)


# FI_MODULES entries (child-process code that builds or loads a JIT module ahead of the timing):
# the same JitSpec the wrappers' plan() asks for (bf16 q/kv/out, int32 indices, no RoPE, no
# sliding window, no soft cap); prefill's backend chosen by flashinfer's own rule (fa3 on sm90 for
# head_dim 64/128/256, else fa2). Prebuilt .so files in flashinfer/data/aot/<name>/ are loaded as is.
_FI_DECODE_CODE = (
    "from flashinfer.jit.attention.modules import gen_batch_decode_module as g\n"
    "b = torch.bfloat16\n"
    "g(b, b, b, torch.int32, {d}, {d}, 0, False, False).build_and_load()"
)
_FI_PREFILL_CODE = (
    "from flashinfer.jit.attention.modules import gen_batch_prefill_module as g\n"
    "from flashinfer.utils import determine_attention_backend\n"
    "b = torch.bfloat16\n"
    "be = determine_attention_backend(torch.device('cuda'), 0, False, False, b, b, head_dim_qk={d}, head_dim_vo={d})\n"
    "print('backend', be)\n"
    "g(be, b, b, b, torch.int32, {d}, {d}, 0, False, False, False).build_and_load()"
)
for _d in (64, 72, 80, 128, 192, 256):
    pb.FI_MODULES[f"attn_decode_bf16_d{_d}"] = _FI_DECODE_CODE.format(d=_d)
    pb.FI_MODULES[f"attn_prefill_bf16_d{_d}"] = _FI_PREFILL_CODE.format(d=_d)


def _fi_factory(d: pb.Definition):
    hq, hk, dim = d.const["num_qo_heads"], d.const["num_kv_heads"], d.const["head_dim"]
    page_size = int(d.const.get("page_size", 0))
    decode = "decode" in d.name
    causal = "causal" in d.name

    def make(fi) -> pb.Impl:
        wrappers: dict[tuple, object] = {}
        info: dict = {}

        def wrapper_for(inputs: dict):
            key = batch_key(d, inputs)
            w = wrappers.get(key)
            if w is not None:
                return w
            scale = key[-1]
            ws = _fi_workspace(inputs["q"].device)
            last = inputs.get("kv_last_page_len")
            if page_size and last is None:  # page_size 1: the definition has no kv_last_page_len
                last = torch.ones(len(key[2]) - 1, dtype=torch.int32, device=inputs["q"].device)
            if decode:
                w = fi.BatchDecodeWithPagedKVCacheWrapper(ws, kv_layout="NHD")
                w.plan(inputs["kv_indptr"], inputs["kv_indices"], last, hq, hk, dim,
                       page_size, pos_encoding_mode="NONE", q_data_type=BF16, kv_data_type=BF16, sm_scale=scale)
                info["flashinfer_kernel"] = "batch decode (CUDA cores)"
            elif page_size:
                w = fi.BatchPrefillWithPagedKVCacheWrapper(ws, kv_layout="NHD")
                w.plan(inputs["qo_indptr"], inputs["kv_indptr"], inputs["kv_indices"], last,
                       hq, hk, dim, page_size, causal=True, sm_scale=scale, q_data_type=BF16, kv_data_type=BF16)
                info["flashinfer_backend"] = str(getattr(w, "_backend", "?"))
            else:
                w = fi.BatchPrefillWithRaggedKVCacheWrapper(ws, kv_layout="NHD")
                w.plan(inputs["qo_indptr"], inputs["kv_indptr"], hq, hk, dim, causal=causal, sm_scale=scale,
                       q_data_type=BF16, kv_data_type=BF16)
                info["flashinfer_backend"] = str(getattr(w, "_backend", "?"))
            if page_size and not hasattr(w, "_paged_kv_indices_buf"):
                raise RuntimeError("this flashinfer's paged wrapper has no _paged_kv_indices_buf: "
                                   "argument sets cannot share one plan")
            if len(wrappers) > 4:  # structures seen by the check, then the workload's: few
                wrappers.clear()
            wrappers[key] = w
            return w

        def prepare(inputs: dict) -> dict:
            return {**inputs, "_fi": wrapper_for(inputs)}

        if page_size:

            def run(q, k_cache, v_cache, kv_indices, _fi, **_):
                _fi._paged_kv_indices_buf = kv_indices  # this set's page table (plan() is shared)
                return tuple(_fi.run(q, (k_cache, v_cache), return_lse=True))

        else:

            def run(q, k, v, _fi, **_):
                return tuple(_fi.run(q, k, v, return_lse=True))

        return pb.Impl(run, prepare, info=info)

    return make


@pb.op("gqa_paged", "gqa_ragged")
def _gqa(d: pb.Definition) -> pb.Op:
    eager, dense = _eager_impls(d)
    return pb.Op(
        eager,
        _fi_factory(d),
        _fi_module_keys(d),
        index_arrays=lambda axes, seed: index_arrays(d, axes, seed),
        check_axes=lambda var_axes: check_axes(d, var_axes),
        extra={} if dense is None else {"torch_sdpa_dense": dense},
        head_start=True,  # one launch is >= 100 us at most workloads: time the GPU, not Python's issue time
    )
