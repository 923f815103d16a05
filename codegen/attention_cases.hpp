#pragma once
// Benchmark cases of the attention definitions: their var axes for a batch of equal sequences
// (solkit::attention::equal_batch_axis, which the harness's benchmark_indices inverts into index
// arrays), and the suite of issue 6's target workloads (bench_suite_attention).

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "codegen/dataset.hpp"
#include "solkit/core/definition.hpp"
#include "solkit/ops/common/attention_batch.hpp"

namespace solkit::codegen {

/// The var axes of attention definition `spec`, in spec order, for `sequences` sequences of
/// `q_len` queries and `kv_len` cached tokens each.
inline std::vector<std::pair<std::string, std::int64_t>> attention_var_axes(const definition_spec& spec,
                                                                            std::int64_t sequences, std::int64_t q_len,
                                                                            std::int64_t kv_len) {
  const std::int64_t page_size = spec.const_value("page_size").value_or(0);
  std::vector<std::pair<std::string, std::int64_t>> values;
  for (const axis_spec& axis : spec.axes) {
    if (axis.is_constant()) continue;
    const std::int64_t value = attention::equal_batch_axis(axis.name, sequences, q_len, kv_len, page_size);
    if (value < 0) {
      throw input_error(std::string{spec.name.view()} + ": var axis '" + std::string{axis.name} +
                        "' is not one of an attention batch");
    }
    values.emplace_back(std::string{axis.name}, value);
  }
  return values;
}

/// Whether `op_type` is one attention_var_axes values.
inline bool is_attention_op(std::string_view op_type) { return op_type == "gqa_paged" || op_type == "gqa_ragged"; }

}  // namespace solkit::codegen
