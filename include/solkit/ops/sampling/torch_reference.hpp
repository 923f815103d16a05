// PyTorch `run` sources for the sampling definitions' "reference" field; solkit prepends the constants preamble.
// A definition's reference is sampling_common, then its run().
#pragma once

#include <string_view>

namespace solkit::ops::sampling::torch_reference {

// Sorting, the two filters and the draw, shared by the three sampling definitions.
inline constexpr std::string_view sampling_common = R"py(def _sorted(probs):
    """Each row of probs [batch_size, VOCAB_SIZE] in fp32, sorted in descending order (ties in
    token order), and the order."""
    assert probs.shape[1:] == (VOCAB_SIZE,)
    return torch.sort(probs.to(torch.float32), dim=-1, descending=True, stable=True)


def _top_k_mask(sorted_probs, top_k):
    """Positions of the sorted rows that top-k keeps: the first top_k[i] of row i, or the whole
    row when k <= 0 or k >= VOCAB_SIZE."""
    rank = torch.arange(VOCAB_SIZE, device=sorted_probs.device)[None, :]
    k = top_k.to(torch.int64)[:, None]
    return (rank < k) | (k <= 0) | (k >= VOCAB_SIZE)


def _top_p_mask(sorted_probs, top_p):
    """Positions of the sorted rows that top-p keeps: a token is kept while the mass of the tokens
    ranked before it is at most p; p >= 1 keeps the whole row and p <= 0 the first token only."""
    rank = torch.arange(VOCAB_SIZE, device=sorted_probs.device)[None, :]
    p = top_p.to(torch.float64)[:, None]
    mass_before = torch.cumsum(sorted_probs.to(torch.float64), dim=-1) - sorted_probs
    return (mass_before <= p) | (p >= 1.0) | ((rank == 0) & (p <= 0.0))


def _sample(sorted_probs, keep, order):
    """One token id per row, drawn with torch.multinomial from the kept sorted probabilities."""
    pick = torch.multinomial(sorted_probs * keep, 1)
    return order.gather(1, pick).squeeze(1)
)py";

inline constexpr std::string_view top_k = R"py(@torch.no_grad()
def run(probs, top_k):
    """Top-k sampling from probabilities.

    probs: [batch_size, VOCAB_SIZE] f32, rows are distributions
    top_k: [batch_size] i32; row i keeps its top_k[i] most likely tokens, renormalised;
           k <= 0 or k >= VOCAB_SIZE keeps the whole row
    returns samples [batch_size] i64, drawn with torch.multinomial
    """
    assert top_k.shape == (probs.shape[0],)
    sorted_probs, order = _sorted(probs)
    return _sample(sorted_probs, _top_k_mask(sorted_probs, top_k), order)
)py";

inline constexpr std::string_view top_p = R"py(@torch.no_grad()
def run(probs, top_p):
    """Top-p (nucleus) sampling from probabilities.

    probs: [batch_size, VOCAB_SIZE] f32, rows are distributions
    top_p: [batch_size] f32; row i keeps the most likely tokens up to and including the
           first whose cumulative probability exceeds p (a token is kept while the mass of
           the tokens ranked before it is at most p), renormalised; p >= 1 keeps the whole row and
           p <= 0 picks the most likely token (argmax)
    returns samples [batch_size] i64, drawn with torch.multinomial
    """
    assert top_p.shape == (probs.shape[0],)
    sorted_probs, order = _sorted(probs)
    return _sample(sorted_probs, _top_p_mask(sorted_probs, top_p), order)
)py";

inline constexpr std::string_view top_k_top_p = R"py(@torch.no_grad()
def run(probs, top_k, top_p):
    """Top-k then top-p sampling from probabilities.

    probs: [batch_size, VOCAB_SIZE] f32, rows are distributions
    top_k: [batch_size] i32; first keep the top_k[i] most likely tokens and renormalise;
           k <= 0 or k >= VOCAB_SIZE keeps the whole row
    top_p: [batch_size] f32; then keep the most likely tokens up to and including the
           first whose (renormalised) cumulative probability exceeds p (a token is kept while
           the mass of the tokens ranked before it is at most p), renormalised; p >= 1 keeps all
           top-k survivors and p <= 0 picks the most likely token (argmax)
    returns samples [batch_size] i64, drawn with torch.multinomial
    """
    assert top_k.shape == (probs.shape[0],) and top_p.shape == (probs.shape[0],)
    sorted_probs, order = _sorted(probs)
    sorted_probs = sorted_probs * _top_k_mask(sorted_probs, top_k)
    sorted_probs = sorted_probs / sorted_probs.sum(dim=-1, keepdim=True)
    return _sample(sorted_probs, _top_p_mask(sorted_probs, top_p), order)
)py";

}  // namespace solkit::ops::sampling::torch_reference
