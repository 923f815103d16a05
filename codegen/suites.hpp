#pragma once
// Workload suites for the SOL report and the benchmarks: flashinfer-bench's captured workloads
// (bench/suites/flashinfer-bench-workload-axes.json), each turned into the workload of a solkit
// definition of the same name. The captured index tensors were not published, only their
// lengths, so the totals are spread evenly over the sequences (bench/suites/README.md).

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "codegen/dataset.hpp"
#include "codegen/public_definitions.hpp"
#include "solkit/ops/costs.hpp"

namespace solkit::codegen {

struct suite_workload {
  std::string definition;
  std::string axes;  // the captured var axes, as JSON text
  std::optional<roofline::cost> cost;
  std::string unsupported;  // why there is no cost
};

namespace detail {
inline std::int64_t axis(const nlohmann::json& axes, const char* name, const std::string& where) {
  if (!axes.contains(name) || !axes[name].is_number_integer() || axes[name].get<std::int64_t>() < 0) {
    throw input_error(where + ": var axis '" + name + "' is missing or not a count");
  }
  return axes[name].get<std::int64_t>();
}

/// Sequences of a captured batch: len_indptr - 1, at least one.
inline std::int64_t sequences(const nlohmann::json& axes, const std::string& where) {
  const std::int64_t batch = axis(axes, "len_indptr", where) - 1;
  if (batch < 1) throw input_error(where + ": var axis 'len_indptr' must be at least 2");
  return batch;
}

/// total / parts, rounded to the nearest whole (at least 1 when total > 0).
inline std::int64_t share(std::int64_t total, std::int64_t parts) {
  if (parts <= 0 || total <= 0) return 0;
  return std::max<std::int64_t>(1, std::llround(static_cast<double>(total) / static_cast<double>(parts)));
}

inline std::optional<roofline::cost> captured_cost(const any_definition_axes& definition,
                                                   const nlohmann::json& axes, const std::string& where) {
  return std::visit(
      [&](const auto& a) -> std::optional<roofline::cost> {
        using A = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<A, gemm_axes>) {
          return cost_of(a, gemm_workload{axis(axes, "M", where)});
        } else if constexpr (std::is_same_v<A, rmsnorm_axes> || std::is_same_v<A, fused_add_rmsnorm_axes>) {
          return cost_of(a, rmsnorm_workload{axis(axes, "batch_size", where)});
        } else if constexpr (std::is_same_v<A, gqa_paged_decode_axes> || std::is_same_v<A, mla_paged_decode_axes>) {
          // Whole pages: exact for the captured page-size-1 workloads, at most a page per sequence
          // high otherwise (the last pages' fill was not captured).
          const std::int64_t batch = axis(axes, "batch_size", where);
          const std::int64_t tokens = axis(axes, "num_kv_indices", where) * a.page_size;
          return cost_of(a, gqa_paged_decode_workload{batch, share(tokens, batch)});
        } else if constexpr (std::is_same_v<A, gqa_paged_prefill_causal_axes> ||
                             std::is_same_v<A, mla_paged_prefill_causal_axes>) {
          const std::int64_t batch = sequences(axes, where);
          const std::int64_t q = axis(axes, "total_q", where);
          const std::int64_t kv = axis(axes, "num_kv_indices", where) * a.page_size;
          return cost_of(a, attention_prefill_workload{batch, share(q, batch), share(kv, batch)});
        } else if constexpr (std::is_same_v<A, gqa_ragged_prefill_causal_axes> ||
                             std::is_same_v<A, mla_ragged_prefill_causal_axes>) {
          const std::int64_t batch = sequences(axes, where);
          return cost_of(a, attention_prefill_workload{batch, share(axis(axes, "total_q", where), batch),
                                                       share(axis(axes, "total_kv", where), batch)});
        } else if constexpr (std::is_same_v<A, moe_fp8_block_scale_ds_routing_axes> ||
                             std::is_same_v<A, moe_fp8_block_scale_renorm_axes>) {
          return cost_of(a, moe_workload{axis(axes, "seq_len", where)});
        } else {
          return std::nullopt;
        }
      },
      definition);
}
}  // namespace detail

/// Every captured workload of `file`, with its cost where solkit defines its definition.
inline std::vector<suite_workload> flashinfer_bench_suite(const std::filesystem::path& file) {
  std::ifstream in{file};
  if (!in) throw input_error(file.string() + ": cannot be read");
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& error) {
    throw input_error(file.string() + ": not valid JSON (" + error.what() + ")");
  }
  if (!root.contains("workloads") || !root["workloads"].is_object()) {
    throw input_error(file.string() + ": field 'workloads' is missing or not an object");
  }
  std::map<std::string, any_definition_axes> known;
  for_each_public_definition([&known](const auto& axes) { known.emplace(describe(axes).name.str(), axes); });

  std::vector<suite_workload> rows;
  for (const auto& [name, workloads] : root["workloads"].items()) {
    const auto found = known.find(name);
    for (const auto& workload : workloads) {
      const std::string where = file.filename().string() + ": " + name;
      if (!workload.contains("axes")) throw input_error(where + ": a workload has no 'axes'");
      suite_workload row{name, workload["axes"].dump(), std::nullopt, {}};
      if (found == known.end()) {
        row.unsupported = "solkit has no definition of this name";
      } else {
        row.cost = detail::captured_cost(found->second, workload["axes"], where);
        if (!row.cost) row.unsupported = "no captured-workload mapping for this op type";
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

}  // namespace solkit::codegen
