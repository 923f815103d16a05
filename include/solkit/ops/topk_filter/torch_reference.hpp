// PyTorch `run` source for the topk_filter definitions' "reference" field; solkit prepends the
// constants preamble (VOCAB_SIZE, TOP_K).
#pragma once

#include <string_view>

namespace solkit::ops::topk_filter::torch_reference {

inline constexpr std::string_view topk_filter = R"py(@torch.no_grad()
def run(logits):
    """Keeps the values of each row that reach its TOP_K-th largest value; -inf elsewhere.

    logits: [batch_size, VOCAB_SIZE] f32
    returns masked_logits [batch_size, VOCAB_SIZE] f32: logits[r, v] where logits[r, v] >=
    threshold[r], the TOP_K-th largest value of row r (counting repeats), else -inf. Values tied
    with the threshold are all kept, so a row may keep more than TOP_K values.
    """
    assert 0 < TOP_K <= VOCAB_SIZE
    assert logits.dim() == 2 and logits.shape[1] == VOCAB_SIZE
    logits = logits.to(torch.float32)
    threshold = torch.kthvalue(logits, VOCAB_SIZE - TOP_K + 1, dim=1, keepdim=True).values
    return torch.where(logits >= threshold, logits, torch.full_like(logits, float("-inf")))
)py";

}  // namespace solkit::ops::topk_filter::torch_reference
