// PyTorch `run` sources for the sampling definitions' "reference" field; solkit prepends the constants preamble.
#pragma once

#include <string_view>

namespace solkit::ops::sampling::torch_reference {

inline constexpr std::string_view top_k = R"py(@torch.no_grad()
def run(probs, top_k):
    """Top-k sampling from probabilities.

    probs: [batch_size, VOCAB_SIZE] f32, rows are distributions
    top_k: [batch_size] i32; row i keeps its top_k[i] most likely tokens, renormalised;
           k <= 0 or k >= VOCAB_SIZE keeps the whole row
    returns samples [batch_size] i64, drawn with torch.multinomial
    """
    batch_size = probs.shape[0]
    assert probs.shape == (batch_size, VOCAB_SIZE)
    assert top_k.shape == (batch_size,)

    sorted_probs, order = torch.sort(probs.to(torch.float32), dim=-1, descending=True, stable=True)
    rank = torch.arange(VOCAB_SIZE, device=probs.device)[None, :]
    k = top_k.to(torch.int64)[:, None]
    keep = (rank < k) | (k <= 0) | (k >= VOCAB_SIZE)
    pick = torch.multinomial(sorted_probs * keep, 1)
    return order.gather(1, pick).squeeze(1)
)py";

inline constexpr std::string_view top_p = R"py(@torch.no_grad()
def run(probs, top_p):
    """Top-p (nucleus) sampling from probabilities.

    probs: [batch_size, VOCAB_SIZE] f32, rows are distributions
    top_p: [batch_size] f32; row i keeps the smallest set of most likely tokens whose
           total probability reaches p (a token is kept while the mass of the tokens
           ranked before it is below p), renormalised; p >= 1 keeps the whole row and
           p <= 0 picks the most likely token (argmax)
    returns samples [batch_size] i64, drawn with torch.multinomial
    """
    batch_size = probs.shape[0]
    assert probs.shape == (batch_size, VOCAB_SIZE)
    assert top_p.shape == (batch_size,)

    sorted_probs, order = torch.sort(probs.to(torch.float32), dim=-1, descending=True, stable=True)
    rank = torch.arange(VOCAB_SIZE, device=probs.device)[None, :]
    p = top_p.to(torch.float64)[:, None]
    mass_before = torch.cumsum(sorted_probs.to(torch.float64), dim=-1) - sorted_probs
    keep = (mass_before < p) | (p >= 1.0) | ((rank == 0) & (p <= 0.0))
    pick = torch.multinomial(sorted_probs * keep, 1)
    return order.gather(1, pick).squeeze(1)
)py";

inline constexpr std::string_view top_k_top_p = R"py(@torch.no_grad()
def run(probs, top_k, top_p):
    """Top-k then top-p sampling from probabilities.

    probs: [batch_size, VOCAB_SIZE] f32, rows are distributions
    top_k: [batch_size] i32; first keep the top_k[i] most likely tokens and renormalise;
           k <= 0 or k >= VOCAB_SIZE keeps the whole row
    top_p: [batch_size] f32; then keep the smallest set of most likely tokens whose
           (renormalised) total probability reaches p (a token is kept while the mass
           of the tokens ranked before it is below p), renormalised; p >= 1 keeps all
           top-k survivors and p <= 0 picks the most likely token (argmax)
    returns samples [batch_size] i64, drawn with torch.multinomial
    """
    batch_size = probs.shape[0]
    assert probs.shape == (batch_size, VOCAB_SIZE)
    assert top_k.shape == (batch_size,) and top_p.shape == (batch_size,)

    sorted_probs, order = torch.sort(probs.to(torch.float32), dim=-1, descending=True, stable=True)
    rank = torch.arange(VOCAB_SIZE, device=probs.device)[None, :]
    k = top_k.to(torch.int64)[:, None]
    sorted_probs = sorted_probs * ((rank < k) | (k <= 0) | (k >= VOCAB_SIZE))
    sorted_probs = sorted_probs / sorted_probs.sum(dim=-1, keepdim=True)
    p = top_p.to(torch.float64)[:, None]
    mass_before = torch.cumsum(sorted_probs.to(torch.float64), dim=-1) - sorted_probs
    keep = (mass_before < p) | (p >= 1.0) | ((rank == 0) & (p <= 0.0))
    pick = torch.multinomial(sorted_probs * keep, 1)
    return order.gather(1, pick).squeeze(1)
)py";

}  // namespace solkit::ops::sampling::torch_reference
