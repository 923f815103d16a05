// The plans reproduce the seed coverage page's definition names wherever the seed is right: each
// name the page lists for a model is planned for that model at one of its serving
// configurations, or docs/seed_differences.md lists it with the reason; and that table holds no
// row the plans make stale.

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "solkit/models/catalog.hpp"
#include "solkit/models/plan.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_models_test_seed_coverage {

namespace {
/// (slug, name) -> reason, from the rows "| `name` | slug | reason |" of the differences table.
std::map<std::pair<std::string, std::string>, std::string> documented_differences() {
  std::ifstream file{SOLKIT_SOURCE_DIR "/docs/seed_differences.md"};
  REQUIRE(file);
  std::map<std::pair<std::string, std::string>, std::string> rows;
  std::string line;
  while (std::getline(file, line)) {
    if (!line.starts_with("| `")) continue;
    std::vector<std::string> cells;
    std::stringstream stream{line.substr(1)};
    std::string cell;
    while (std::getline(stream, cell, '|')) {
      const auto first = cell.find_first_not_of(' ');
      const auto last = cell.find_last_not_of(' ');
      cells.push_back(first == std::string::npos ? "" : cell.substr(first, last - first + 1));
    }
    REQUIRE(cells.size() >= 3);
    const std::string name = cells[0].substr(1, cells[0].size() - 2);  // strip the backquotes
    rows[{cells[1], name}] = cells[2];
  }
  return rows;
}

std::set<std::string> planned_names(const solkit::models::model_config& model) {
  std::set<std::string> names;
  for (const auto& serving : model.serving) {
    for (const auto& entry : solkit::models::plan(model, {serving.tp, serving.ep}).entries) {
      names.insert(describe(entry.axes).name.str());
    }
  }
  return names;
}
}  // namespace

TEST_CASE("the plans give the seed page's names, or the docs say why not", "[models][seed]") {
  std::ifstream file{SOLKIT_TEST_DATA_DIR "/seed_coverage.json"};
  REQUIRE(file);
  const auto seed = nlohmann::json::parse(file)["models"];
  auto differences = documented_differences();
  std::size_t reproduced = 0;
  std::size_t explained = 0;
  for (const auto& [slug, names] : seed.items()) {
    const auto* model = solkit::models::find_model(slug);
    INFO(slug);
    REQUIRE(model != nullptr);
    const auto planned = planned_names(*model);
    for (const auto& name_json : names) {
      const std::string name = name_json.get<std::string>();
      INFO(name);
      const auto documented = differences.find({slug, name});
      if (planned.contains(name)) {
        ++reproduced;
        CHECK(documented == differences.end());  // a stale row: the plan now has the name
      } else {
        REQUIRE(documented != differences.end());
        CHECK_FALSE(documented->second.empty());
        differences.erase(documented);
        ++explained;
      }
    }
  }
  for (const auto& [key, reason] : differences) {
    FAIL_CHECK("docs/seed_differences.md lists " << key.second << " for " << key.first
                                                 << ", which the seed page does not name");
  }
  CHECK(reproduced + explained == 319);
  CHECK(reproduced > explained);
}

}  // namespace solkit_test_models_test_seed_coverage
