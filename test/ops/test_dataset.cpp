// Every JSON solkit emits passes flashinfer-bench's rules: the checked-in dataset under
// definitions/, and each public definition emitted in memory.

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "codegen/public_definitions.hpp"
#include "solkit/core/json.hpp"
#include "solkit/core/validate.hpp"

TEST_CASE("every emitted definition is valid", "[dataset]") {
  std::set<std::string> names;
  solkit::codegen::for_each_public_definition([&](const auto& axes) {
    const auto spec = solkit::describe(axes);
    INFO(spec.name.view());
    const auto problems =
        solkit::validate_definition(solkit::to_json(spec), std::filesystem::path{dataset_path(spec)});
    for (const auto& problem : problems) FAIL_CHECK(problem);
    CHECK(names.insert(spec.name.str()).second);  // no name twice
  });
  CHECK(names.size() == 262);
}

TEST_CASE("every file of the checked-in dataset is valid", "[dataset]") {
  const std::filesystem::path root{SOLKIT_SOURCE_DIR "/definitions"};
  REQUIRE(std::filesystem::is_directory(root));
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.path().extension() != ".json") continue;
    INFO(entry.path().string());
    std::ifstream file{entry.path()};
    const auto definition = nlohmann::ordered_json::parse(file);
    for (const auto& problem : solkit::validate_definition(definition, entry.path())) {
      FAIL_CHECK(problem);
    }
    ++files;
  }
  CHECK(files == 262);
}
