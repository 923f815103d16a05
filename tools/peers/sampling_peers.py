"""Peers of solkit's sampling definitions (op types sampling and topk_filter), registered into
peer_bench.py's op table (peer_bench imports this module at its end).

Definitions (include/solkit/ops/sampling, include/solkit/ops/topk_filter):
- sampling: top_k_sampling_from_probs_v{V} (probs f32 [batch_size, V], top_k i32 [batch_size]),
  top_p_sampling_from_probs_v{V} (probs, top_p f32 [batch_size]) and
  top_k_top_p_sampling_from_probs_v{V} (probs, top_k, top_p) -> samples i64 [batch_size]. Per row,
  in the stable descending order of probs: top-k keeps the first k (k <= 0 or k >= V: no filter);
  top-p keeps sorted position r while the mass before r is below p (p >= 1: all, p <= 0: the
  argmax); top-k then top-p renormalises in between; one token is drawn from what is kept.
- topk_filter: topk_filter_v{V}_k{k}: logits f32 [batch_size, V] -> masked_logits, the values
  >= the row's k-th largest kept, -inf elsewhere.

Inputs (as solkit's C++ benchmark harness fills them for these definitions): probs = softmax of
logits drawn from N(0, 2^2) independently per element, row by row; top_k = 50 for every row;
top_p = 0.9 for every row. topk_filter's logits are filled as every other float input (uniform in
+-[1/16, 2)).

Peers:
- torch_eager: the sort-based path an engine writes: sort each row (descending), the filters as
  masks over the sorted positions (top-k: rank < k; top-p: cumsum, mass before <= p), the top-k
  survivors renormalised before top-p (top_k_top_p), the dropped positions zeroed and one
  torch.multinomial draw from the rest (multinomial normalises its weights itself), mapped back
  through the sort's order. topk_filter: torch.topk for the k-th largest value, then masked_fill.
- torch_compile: torch.compile of the same functions (the sort and multinomial remain library calls).
- flashinfer: flashinfer.sampling.top_k_sampling_from_probs, top_p_sampling_from_probs and
  top_k_top_p_sampling_from_probs (filter_apply_order="top_k_first": top_k_renorm_probs, then
  top_p_sampling_from_probs), the per-row top_k/top_p tensors passed as they are, the default
  deterministic=True and generator; `indices` = arange(batch_size) int64 (made once per batch size,
  outside the timing) so the samples come out int64 as the definition's, with no cast after the
  kernel. topk_filter: flashinfer.sampling.top_k_mask_logits(logits, k). All in FlashInfer's JIT
  module "sampling" (FI_MODULES["sampling"]).

Check: sampling's outputs are random, so a peer's samples are not compared with the reference's.
On the small shape (batch_size <= 67, the full vocabulary) each peer draws DRAWS times; every
sampled id must lie in its row's filtered set, computed with the definition's own reference
(_sorted, _top_k_mask, _top_p_mask, executed from the definition JSON), loosened only where
rounding or ties can move the border: top_p is taken as p + P_TOLERANCE, and tokens tied with the
last kept one count as kept. A peer whose every draw is its row's argmax although the rows keep
more than one token fails too (a sampler that does not sample). topk_filter keeps the exact check.
"""

from __future__ import annotations

import torch

import peer_bench as pb

LOGIT_STD = 2.0  # probs = softmax(N(0, LOGIT_STD^2) logits), per row
TOP_K = 50  # every row's top_k
TOP_P = 0.9  # every row's top_p (as float32)
DRAWS = 4  # draws per peer in the membership check
# Mass added to top_p in the check's filtered set: a peer's float32 sums may put the border a
# token or two later than the reference's float64 cumsum.
P_TOLERANCE = 1e-4
FILL_CHUNK = 1 << 26  # elements of logits made at a time while filling probs


# ----------------------------------------------------------------------------------------------
# Inputs
# ----------------------------------------------------------------------------------------------


def fill_probs(out: torch.Tensor, g: torch.Generator) -> None:
    """out [batch_size, V] f32: each row softmax(N(0, LOGIT_STD^2) logits)."""
    rows, vocab = out.shape
    step = max(1, FILL_CHUNK // max(vocab, 1))
    for r in range(0, rows, step):
        n = min(step, rows - r)
        logits = torch.randn((n, vocab), generator=g, device=out.device, dtype=torch.float32) * LOGIT_STD
        torch.softmax(logits, dim=-1, out=out[r : r + n])


def fill_top_k(out: torch.Tensor, g: torch.Generator) -> None:
    out.fill_(TOP_K)


def fill_top_p(out: torch.Tensor, g: torch.Generator) -> None:
    out.fill_(TOP_P)


FILLS = {"probs": fill_probs, "top_k": fill_top_k, "top_p": fill_top_p}


# ----------------------------------------------------------------------------------------------
# The check: sampled ids in the reference's filtered sets
# ----------------------------------------------------------------------------------------------


def reference_helpers(d: pb.Definition) -> dict:
    """_sorted, _top_k_mask and _top_p_mask of the definition's reference (its JSON's source)."""
    namespace: dict = {"__name__": f"reference_{d.name}"}
    exec(compile(d.reference, f"<reference of {d.name}>", "exec"), namespace)
    missing = [f for f in ("_sorted", "_top_k_mask", "_top_p_mask") if f not in namespace]
    if missing:
        raise ValueError(f"{d.name}: the reference has no {', '.join(missing)} (the membership check needs them)")
    return namespace


def allowed_tokens(ref: dict, probs: torch.Tensor, top_k: torch.Tensor | None,
                   top_p: torch.Tensor | None) -> torch.Tensor:
    """[batch_size, V] bool: the tokens each row may be sampled from. The reference's filters on
    its stable sort, top_p loosened by P_TOLERANCE (p > 0 only), then extended to the tokens tied
    with the last kept one (both filters keep a prefix of the sorted row); never a zero prob."""
    sorted_probs, order = ref["_sorted"](probs)
    weights = sorted_probs
    keep = torch.ones_like(sorted_probs, dtype=torch.bool)
    if top_k is not None:
        keep = keep & ref["_top_k_mask"](sorted_probs, top_k)
        if top_p is not None:  # the definition renormalises the top-k survivors before top-p
            weights = sorted_probs * keep
            weights = weights / weights.sum(dim=-1, keepdim=True)
    if top_p is not None:
        p = top_p.to(torch.float64)
        keep = keep & ref["_top_p_mask"](weights, torch.where(p > 0, p + P_TOLERANCE, p))
    last_kept = torch.where(keep, sorted_probs, torch.full_like(sorted_probs, float("inf"))).amin(dim=-1, keepdim=True)
    loose = (sorted_probs >= last_kept) & (sorted_probs > 0)
    return torch.zeros_like(loose).scatter_(1, order, loose)


def membership_check(d: pb.Definition):
    ref = reference_helpers(d)
    vocab = d.const["vocab_size"]

    def check(inputs: dict, draw) -> str | None:
        probs = inputs["probs"]
        allowed = allowed_tokens(ref, probs, inputs.get("top_k"), inputs.get("top_p")).cpu()
        rows = probs.shape[0]
        argmax = probs.argmax(dim=-1).cpu()
        several = allowed.sum(dim=-1) > 1
        all_argmax = True
        for n in range(DRAWS):
            got = draw()
            if len(got) != 1:
                return f"returned {len(got)} outputs, the definition 1 (samples)"
            s = got[0]
            if not isinstance(s, torch.Tensor):
                return f"samples is {type(s).__name__}, not a tensor"
            if tuple(s.shape) != (rows,):
                return f"samples has shape {tuple(s.shape)}, the definition ({rows},)"
            if s.dtype != torch.int64:
                return f"samples has dtype {s.dtype}, the definition torch.int64"
            s = s.cpu()
            bad = (s < 0) | (s >= vocab)
            if bad.any():
                i = int(bad.nonzero()[0])
                return f"draw {n}: row {i} sampled id {int(s[i])}, outside [0, {vocab})"
            inside = allowed.gather(1, s[:, None]).squeeze(1)
            if not inside.all():
                i = int((~inside).nonzero()[0])
                row = probs[i].double().cpu()
                token = int(s[i])
                mass_above = float(row[row > row[token]].sum())
                return (f"draw {n}: {int((~inside).sum())} of {rows} sampled ids outside their row's filtered set; "
                        f"first row {i}: id {token} (prob {float(row[token]):.3g}, mass of more probable tokens "
                        f"{mass_above:.4g}; the set holds {int(allowed[i].sum())} tokens)")
            all_argmax = all_argmax and bool((s[several] == argmax[several]).all())
        if all_argmax and bool(several.any()):
            return (f"every one of {DRAWS} draws sampled each row's argmax although {int(several.sum())} rows "
                    "keep more than one token: not sampling")
        return None

    return check


CHECK_NOTE = ("check: sampled ids in the reference's filtered sets over "
              f"{DRAWS} draws (outputs are random: no comparison with the reference's samples)")


# ----------------------------------------------------------------------------------------------
# Eager: sort, mask, multinomial
# ----------------------------------------------------------------------------------------------


def _draw(weights: torch.Tensor, order: torch.Tensor) -> torch.Tensor:
    """One token id per row: a multinomial draw over the sorted positions (weights need not sum
    to 1), mapped back to token ids. int64 [batch_size]."""
    return order.gather(1, torch.multinomial(weights, 1)).squeeze(1)


def _top_p_keep(sorted_probs: torch.Tensor, top_p: torch.Tensor, rank: torch.Tensor) -> torch.Tensor:
    """Sorted positions that top-p keeps: mass before <= p; rank 0 always (p <= 0: the argmax);
    p >= 1 all (even where float32's cumsum passes 1)."""
    p = top_p[:, None]
    mass_before = sorted_probs.cumsum(dim=-1) - sorted_probs
    return (mass_before <= p) | (rank == 0) | (p >= 1.0)


def eager_functions(d: pb.Definition):
    vocab = d.const["vocab_size"]
    rank = torch.arange(vocab, device=d.device)  # a constant of the shape, made once
    has_k, has_p = "top_k" in d.inputs, "top_p" in d.inputs

    if has_k and has_p:

        def eager(probs, top_k, top_p):
            sorted_probs, order = probs.sort(dim=-1, descending=True)
            k = top_k[:, None]
            sorted_probs = sorted_probs.masked_fill((rank >= k) & (k > 0), 0.0)  # k <= 0 or >= V: none dropped
            sorted_probs = sorted_probs / sorted_probs.sum(dim=-1, keepdim=True)
            weights = sorted_probs.masked_fill(~_top_p_keep(sorted_probs, top_p, rank), 0.0)
            return _draw(weights, order)

    elif has_k:

        def eager(probs, top_k):
            sorted_probs, order = probs.sort(dim=-1, descending=True)
            k = top_k[:, None]
            weights = sorted_probs.masked_fill((rank >= k) & (k > 0), 0.0)
            return _draw(weights, order)

    elif has_p:

        def eager(probs, top_p):
            sorted_probs, order = probs.sort(dim=-1, descending=True)
            weights = sorted_probs.masked_fill(~_top_p_keep(sorted_probs, top_p, rank), 0.0)
            return _draw(weights, order)

    else:
        raise ValueError(f"{d.name}: a sampling definition without top_k or top_p")
    return eager


# ----------------------------------------------------------------------------------------------
# FlashInfer
# ----------------------------------------------------------------------------------------------

# The JIT module of flashinfer.sampling (sampling.cu, renorm.cu and the binding): every function
# used here (and top_k_renorm_probs inside top_k_top_p_sampling_from_probs) goes through
# flashinfer.sampling.get_sampling_module().
pb.FI_MODULES["sampling"] = "import flashinfer.sampling as m; m.get_sampling_module()"

_IDENTITY: dict[tuple[str, int], torch.Tensor] = {}


def _identity(rows: int, device: torch.device) -> torch.Tensor:
    """arange(rows) int64 on the device, made once per batch size: FlashInfer's `indices` (row i
    samples probs[i]; the samples take the indices' dtype)."""
    key = (str(device), rows)
    if key not in _IDENTITY:
        _IDENTITY[key] = torch.arange(rows, dtype=torch.int64, device=device)
    return _IDENTITY[key]


def _fi_sampling(d: pb.Definition):
    has_k, has_p = "top_k" in d.inputs, "top_p" in d.inputs

    def make(fi) -> pb.Impl:
        import flashinfer.sampling as fs

        def prepare(inputs: dict) -> dict:
            return {**inputs, "_indices": _identity(inputs["probs"].shape[0], inputs["probs"].device)}

        if has_k and has_p:

            def run(probs, top_k, top_p, _indices):
                return fs.top_k_top_p_sampling_from_probs(probs, top_k, top_p, indices=_indices,
                                                          filter_apply_order="top_k_first")

            name = "top_k_top_p_sampling_from_probs(filter_apply_order='top_k_first')"
        elif has_k:

            def run(probs, top_k, _indices):
                return fs.top_k_sampling_from_probs(probs, top_k, indices=_indices)

            name = "top_k_sampling_from_probs"
        else:

            def run(probs, top_p, _indices):
                return fs.top_p_sampling_from_probs(probs, top_p, indices=_indices)

            name = "top_p_sampling_from_probs"
        return pb.Impl(run, prepare, note=CHECK_NOTE, info={"flashinfer_function": f"flashinfer.sampling.{name}"})

    return make


# ----------------------------------------------------------------------------------------------
# Builders
# ----------------------------------------------------------------------------------------------


@pb.op("sampling")
def _sampling(d: pb.Definition) -> pb.Op:
    return pb.Op(
        pb.Impl(eager_functions(d), note=CHECK_NOTE),
        _fi_sampling(d),
        ("sampling",),
        fills={name: fill for name, fill in FILLS.items() if name in d.inputs},
        check=membership_check(d),
    )


@pb.op("topk_filter")
def _topk_filter(d: pb.Definition) -> pb.Op:
    k = d.const["top_k"]

    def eager(logits):
        kth = torch.topk(logits, k, dim=-1).values[:, -1:]  # the k-th largest value of each row
        return logits.masked_fill(logits < kth, float("-inf"))

    def fi(fi):
        import flashinfer.sampling as fs

        return pb.Impl(lambda logits: fs.top_k_mask_logits(logits, k),
                       info={"flashinfer_function": "flashinfer.sampling.top_k_mask_logits"})

    return pb.Op(eager, fi, ("sampling",))
