#pragma once
// atrex-bench's production operators as a workload suite (bench/suites/atrex/): each of the 440
// shapes of the operators solkit defines becomes a definition and a cost; beside its T_SOL goes
// the production kernel's time on atrex's XPU-A and its S = T_SOL(XPU-A) / T_production.

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/atrex/registry.hpp"
#include "codegen/dataset.hpp"

namespace solkit::codegen {

struct atrex_workload {
  std::string op;
  std::string shape;        // index in shapes.json
  std::string description;  // metadata's description of the shape
  double importance = 0;    // the operator's importance score
  std::optional<atrex_shape> mapped;      // empty: solkit does not define this operator yet
  std::optional<double> production_us;    // the production kernel's time on XPU-A
};

namespace detail {
inline nlohmann::json read_json(const std::filesystem::path& file) {
  std::ifstream in{file};
  if (!in) throw input_error(file.string() + ": cannot be read");
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& error) {
    throw input_error(file.string() + ": not valid JSON (" + error.what() + ")");
  }
}
}  // namespace detail

/// Every shape of every operator under `root` (bench/suites/atrex).
inline std::vector<atrex_workload> atrex_suite(const std::filesystem::path& root) {
  const nlohmann::json importance = detail::read_json(root / "operator_importance.json");
  if (!importance.contains("operators") || !importance["operators"].is_object()) {
    throw input_error((root / "operator_importance.json").string() + ": field 'operators' is missing");
  }
  std::vector<atrex_workload> rows;
  for (const auto& [op, info] : importance["operators"].items()) {
    const nlohmann::json shapes = detail::read_json(root / op / "shapes.json");
    const nlohmann::json metadata = detail::read_json(root / op / "metadata.json");
    const auto convert = find_atrex_operator(op);
    for (const auto& [index, shape] : shapes.items()) {
      atrex_workload row;
      row.op = op;
      row.shape = index;
      row.importance = info.value("importance_score", 0.0);
      const nlohmann::json* meta = nullptr;
      if (metadata.contains("shapes") && metadata["shapes"].contains(index)) meta = &metadata["shapes"][index];
      if (meta != nullptr) {
        row.description = meta->value("description", "");
        if (meta->contains("production_performance") && (*meta)["production_performance"].contains("XPU-A")) {
          row.production_us = (*meta)["production_performance"]["XPU-A"].value("performance_us", 0.0);
        }
      }
      if (convert != nullptr) {
        row.mapped = convert(shape.value("init_kwargs", nlohmann::json::object()),
                             shape.value("input_kwargs", nlohmann::json::object()));
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

/// Records in `data` the definition of every shape of the suite under `root`, tagged
/// suite:atrex and atrex:<operator> (shapes of one definition share one file).
inline void add_atrex_definitions(dataset& data, const std::filesystem::path& root) {
  for (const atrex_workload& row : atrex_suite(root)) {
    if (row.mapped) data.add_suite_definition(row.mapped->spec, "atrex", "atrex:" + row.op);
  }
}

}  // namespace solkit::codegen
