#pragma once
// The `sol` report: for a model plan at a phase, batch and context, each definition's T_SOL on a
// GPU (bound, bytes, FLOPs by unit), the forward pass's total, and which definitions dominate it.

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "codegen/dataset.hpp"
#include "solkit/models/forward_cost.hpp"
#include "solkit/roofline/hardware.hpp"

namespace solkit::codegen {

struct sol_row {
  std::string name;
  std::string role;
  std::int64_t count = 0;
  std::optional<roofline::cost> cost;  // one run
  roofline::sol_result sol;            // one run
  std::string skipped;
};

inline std::vector<sol_row> sol_rows(const serving_plan& p, const roofline::hardware& gpu,
                                     const models::forward_workload& w) {
  std::vector<sol_row> rows;
  const auto entries = models::forward_entries(p.plan, *p.model, {p.serving.tp, p.serving.ep}, w);
  for (const auto& entry : entries) {
    sol_row row{describe(entry.entry->axes).name.str(), std::string{entry.entry->role},
                entry.entry->count, entry.cost, {}, std::string{entry.skipped_because}};
    if (row.cost) row.sol = roofline::sol(*row.cost, gpu);
    rows.push_back(std::move(row));
  }
  return rows;
}

inline std::string format(double value, const char* spec) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, spec, value);
  return buffer;
}

inline nlohmann::ordered_json sol_json(const serving_plan& p, const roofline::hardware& gpu,
                                       const models::forward_workload& w) {
  const auto rows = sol_rows(p, gpu, w);
  nlohmann::ordered_json json;
  json["model"] = p.model->slug;
  json["tp"] = p.serving.tp;
  json["ep"] = p.serving.ep;
  json["hardware"] = gpu.name;
  json["phase"] = w.step == models::phase::decode ? "decode" : "prefill";
  json["batch"] = w.batch;
  json["context"] = w.context;
  json["page_size"] = w.page_size;
  roofline::cost total;
  double sum_seconds = 0;
  json["definitions"] = nlohmann::ordered_json::array();
  for (const sol_row& row : rows) {
    nlohmann::ordered_json entry{{"name", row.name}, {"role", row.role}, {"count", row.count}};
    if (!row.cost) {
      entry["runs"] = false;
      entry["why_not"] = row.skipped;
    } else {
      entry["runs"] = true;
      entry["t_sol_us"] = row.sol.seconds * 1e6;
      entry["bound"] = row.sol.bound();
      entry["bytes"] = row.cost->bytes();
      for (roofline::execution_unit unit : roofline::all_execution_units) {
        entry["flops"][std::string{roofline::name_of(unit)}] = row.cost->flops_of(unit);
      }
      total += row.cost->times(static_cast<double>(row.count));
      sum_seconds += row.sol.seconds * static_cast<double>(row.count);
    }
    json["definitions"].push_back(std::move(entry));
  }
  // T_SOL of the pass is the sum over definitions of T_SOL x runs (each kernel at its own
  // limit); the roofline of the pass's summed cost (as if one kernel did it all) is a lower bound.
  const roofline::sol_result fused = roofline::sol(total, gpu);
  json["forward_pass"] = {{"t_sol_us", sum_seconds * 1e6},
                          {"bytes", total.bytes()},
                          {"one_kernel_t_sol_us", fused.seconds * 1e6},
                          {"one_kernel_bound", fused.bound()}};
  return json;
}

/// The human-readable table.
inline std::string sol_table(const serving_plan& p, const roofline::hardware& gpu,
                             const models::forward_workload& w) {
  const auto rows = sol_rows(p, gpu, w);
  std::ostringstream out;
  out << p.model->display_name << " at TP=" << p.serving.tp << ", EP=" << p.serving.ep << " on "
      << gpu.name << ": " << (w.step == models::phase::decode ? "decode" : "prefill")
      << ", batch " << w.batch << ", context " << w.context << ", page size " << w.page_size << "\n\n";
  out << "| definition | role | runs/pass | T_SOL/run (us) | bound | bytes/run | tensor bf16 | tensor fp8 | cuda fp32 | sfu | T_SOL x runs (us) |\n"
         "|---|---|---|---|---|---|---|---|---|---|---|\n";
  roofline::cost total;
  std::vector<std::pair<double, std::string>> shares;
  for (const sol_row& row : rows) {
    if (!row.cost) continue;
    const double per_pass = row.sol.seconds * static_cast<double>(row.count);
    total += row.cost->times(static_cast<double>(row.count));
    shares.emplace_back(per_pass, row.name);
    using roofline::execution_unit;
    out << "| " << row.name << " | " << row.role << " | " << row.count << " | "
        << format(row.sol.seconds * 1e6, "%.3f") << " | " << row.sol.bound() << " | "
        << format(row.cost->bytes(), "%.4g") << " | "
        << format(row.cost->flops_of(execution_unit::tensor_bf16), "%.3g") << " | "
        << format(row.cost->flops_of(execution_unit::tensor_fp8), "%.3g") << " | "
        << format(row.cost->flops_of(execution_unit::cuda_fp32), "%.3g") << " | "
        << format(row.cost->flops_of(execution_unit::sfu), "%.3g") << " | "
        << format(per_pass * 1e6, "%.1f") << " |\n";
  }
  double sum = 0;
  for (const auto& [seconds, name] : shares) sum += seconds;
  const roofline::sol_result fused = roofline::sol(total, gpu);
  out << "\nOne forward pass: T_SOL = sum of T_SOL x runs = " << format(sum * 1e6, "%.1f")
      << " us, moving " << format(total.bytes() / 1e9, "%.3f") << " GB (as a single kernel: "
      << format(fused.seconds * 1e6, "%.1f") << " us, " << fused.bound() << " bound).\nDominated by:";
  std::sort(shares.begin(), shares.end(), std::greater<>{});
  for (std::size_t i = 0; i < std::min<std::size_t>(5, shares.size()); ++i) {
    out << "\n  " << format(100 * shares[i].first / sum, "%5.1f") << "%  " << shares[i].second;
  }
  out << "\nNot run in this phase:";
  for (const sol_row& row : rows) {
    if (!row.cost) out << "\n  " << row.name << " (" << row.skipped << ")";
  }
  out << "\n";
  return out.str();
}

}  // namespace solkit::codegen
