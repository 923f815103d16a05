#pragma once
// atrex-bench's topk_filter shapes as solkit definitions and costs: init {top_k} (atrex's
// default 50 when absent), input {seq_len (rows), hidden_size (values per row)}. atrex clamps
// top_k to the row length; solkit's definitions require top_k <= vocab_size, so a shape with a
// larger top_k is rejected with that axis rule (none of atrex's has one).

#include <string_view>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/atrex/kwargs.hpp"
#include "solkit/ops/topk_filter/cost.hpp"

namespace solkit::codegen {

inline atrex_shape topk_filter_from_atrex(const nlohmann::json& init_kwargs,
                                          const nlohmann::json& input_kwargs) {
  namespace n = detail::atrex_kwargs;
  constexpr std::string_view op = "topk_filter";
  const topk_filter_axes axes{n::positive_int(op, "input_kwargs", input_kwargs, "hidden_size"),
                              n::positive_int(op, "init_kwargs", init_kwargs, "top_k", 50)};
  const topk_filter_workload workload{n::positive_int(op, "input_kwargs", input_kwargs, "seq_len")};
  return n::shape_of(op, axes, workload);
}

}  // namespace solkit::codegen
