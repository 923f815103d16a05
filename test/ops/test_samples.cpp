// solkit's JSON for each public sample's axes equals the sample in everything but the
// `reference`, `description` and `tags` text: same name, op_type, axes (names, kinds, values,
// order), constraints, and inputs and outputs (names, order, shapes, dtypes, optional flags).

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <catch2/catch.hpp>

#include "codegen/public_definitions.hpp"
#include "solkit/core/json.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_test_samples {

namespace {
using json = nlohmann::ordered_json;

/// The comparable part of a definition: descriptions dropped at every level, a missing
/// constraints list read as empty (the dataset writes both forms).
json signature(const json& definition) {
  json result;
  for (const char* field : {"name", "op_type", "axes", "constraints", "inputs", "outputs"}) {
    json value = definition.contains(field) ? definition[field] : json::array();
    if (value.is_object()) {
      for (auto& [key, entry] : value.items()) {
        if (entry.is_object()) entry.erase("description");
      }
    }
    result[field] = value;
  }
  return result;
}

std::map<std::string, json> solkit_public_definitions() {
  std::map<std::string, json> by_name;
  solkit::codegen::for_each_public_definition([&](const auto& axes) {
    const auto spec = solkit::describe(axes);
    by_name.emplace(spec.name.str(), solkit::to_json(spec));
  });
  return by_name;
}
}  // namespace

TEST_CASE("every public sample is reproduced exactly", "[ops][samples]") {
  const auto ours = solkit_public_definitions();
  const std::filesystem::path samples{SOLKIT_TEST_DATA_DIR "/flashinfer-bench-samples"};
  std::size_t compared = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(samples)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream file{entry.path()};
    const json sample = json::parse(file);
    const std::string name = sample["name"];
    INFO(name);
    const auto found = ours.find(name);
    REQUIRE(found != ours.end());
    CHECK(signature(found->second).dump(1) == signature(sample).dump(1));
    CHECK(found->second["op_type"] == entry.path().parent_path().filename().string());
    ++compared;
  }
  CHECK(compared == 23);  // one or more samples per op type: all of them were read
}

}  // namespace solkit_test_ops_test_samples
