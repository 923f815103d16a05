#pragma once
// CPU reference of grouped-query attention (decode, causal and bidirectional prefill, paged or
// ragged K/V), in double, following the definitions' PyTorch references: query head h reads kv
// head h / (num_qo_heads / num_kv_heads); query i of a sequence with q_len queries and kv_len keys
// sees key j iff j <= i + kv_len - q_len when causal; lse is base 2; a query that sees no key
// gets output 0 and lse -inf. Decode is the causal case with one query per sequence.

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <vector>

namespace solkit_gpu_test::attention {

struct shape {
  int num_qo_heads = 0;
  int num_kv_heads = 0;
  int head_dim = 0;
};

/// K or V row of kv head `head` of token `token` of sequence `sequence` ([head_dim] floats).
using row_of = std::function<const float*(std::size_t sequence, std::int64_t token, int head)>;

/// output [total_q, num_qo_heads, head_dim] and lse [total_q, num_qo_heads] of every sequence;
/// q [total_q, num_qo_heads, head_dim]; qo_indptr [sequences + 1]; kv_lens [sequences].
inline void reference(const shape& s, std::span<const float> q, std::span<const std::int32_t> qo_indptr,
                      std::span<const std::int64_t> kv_lens, const row_of& k_row, const row_of& v_row,
                      float sm_scale, bool causal, std::vector<float>& output, std::vector<float>& lse) {
  const std::int64_t total_q = qo_indptr.back();
  const int d = s.head_dim, group = s.num_qo_heads / s.num_kv_heads;
  output.assign(static_cast<std::size_t>(total_q) * s.num_qo_heads * d, 0.0f);
  lse.assign(static_cast<std::size_t>(total_q) * s.num_qo_heads, -std::numeric_limits<float>::infinity());
  std::vector<double> logits, accumulator(static_cast<std::size_t>(d));
  for (std::size_t b = 0; b + 1 < qo_indptr.size(); ++b) {
    const std::int64_t q_len = qo_indptr[b + 1] - qo_indptr[b], kv_len = kv_lens[b];
    for (std::int64_t i = 0; i < q_len; ++i) {
      const std::int64_t visible = causal ? std::min<std::int64_t>(kv_len, i + kv_len - q_len + 1) : kv_len;
      if (visible <= 0) continue;
      const std::int64_t row = qo_indptr[b] + i;
      for (int h = 0; h < s.num_qo_heads; ++h) {
        const float* query = q.data() + (static_cast<std::size_t>(row) * s.num_qo_heads + h) * d;
        logits.assign(static_cast<std::size_t>(visible), 0.0);
        double max_logit = -std::numeric_limits<double>::infinity();
        for (std::int64_t j = 0; j < visible; ++j) {
          const float* key = k_row(b, j, h / group);
          double dot = 0.0;
          for (int e = 0; e < d; ++e) dot += static_cast<double>(query[e]) * key[e];
          logits[static_cast<std::size_t>(j)] = dot * sm_scale;
          max_logit = std::max(max_logit, logits[static_cast<std::size_t>(j)]);
        }
        double sum = 0.0;
        std::fill(accumulator.begin(), accumulator.end(), 0.0);
        for (std::int64_t j = 0; j < visible; ++j) {
          const double p = std::exp(logits[static_cast<std::size_t>(j)] - max_logit);
          sum += p;
          const float* value = v_row(b, j, h / group);
          for (int e = 0; e < d; ++e) accumulator[static_cast<std::size_t>(e)] += p * value[e];
        }
        float* out = output.data() + (static_cast<std::size_t>(row) * s.num_qo_heads + h) * d;
        for (int e = 0; e < d; ++e) out[e] = static_cast<float>(accumulator[static_cast<std::size_t>(e)] / sum);
        lse[static_cast<std::size_t>(row) * s.num_qo_heads + h] =
            static_cast<float>((max_logit + std::log(sum)) / std::log(2.0));
      }
    }
  }
}

}  // namespace solkit_gpu_test::attention
