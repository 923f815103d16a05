// Every JSON solkit emits passes flashinfer-bench's rules: each public definition emitted in
// memory, and every file of the checked-in dataset under definitions/ (the catalog's plans and
// atrex-bench's shapes: one file per definition, plus manifest.json).

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "codegen/atrex_suite.hpp"
#include "codegen/dataset.hpp"
#include "solkit/core/json.hpp"
#include "solkit/core/validate.hpp"
#include "solkit/models/catalog.hpp"
#include "codegen/public_definitions.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_test_dataset {

TEST_CASE("every public definition emits valid JSON", "[dataset]") {
  std::set<std::string> names;
  solkit::codegen::for_each_public_definition([&](const auto& axes) {
    const auto spec = solkit::describe(axes);
    INFO(spec.name.view());
    const auto problems =
        solkit::validate_definition(solkit::to_json(spec), std::filesystem::path{dataset_path(spec)});
    for (const auto& problem : problems) FAIL_CHECK(problem);
    CHECK(names.insert(spec.name.str()).second);  // no name twice
  });
  CHECK(names.size() == 265);
}

TEST_CASE("every file of the checked-in dataset is valid, one per planned or atrex definition", "[dataset]") {
  const std::filesystem::path root{SOLKIT_SOURCE_DIR "/definitions"};
  REQUIRE(std::filesystem::is_directory(root));
  solkit::codegen::dataset planned;
  planned.add_catalog(solkit::models::catalog);
  const std::size_t plan_definitions = planned.definitions().size();
  solkit::codegen::add_atrex_definitions(planned, SOLKIT_SOURCE_DIR "/bench/suites/atrex");
  CHECK(plan_definitions == 375);
  // atrex's 440 shapes use 128 definitions; one of them is also planned (DeepSeek's MLA decode
  // at TP8, mla_paged_decode_h16_ckv512_kpe64_ps1).
  CHECK(planned.definitions().size() == plan_definitions + 127);

  std::size_t files = 0;
  for (const auto& folder : std::filesystem::directory_iterator(root)) {
    if (!folder.is_directory()) continue;
    for (const auto& entry : std::filesystem::directory_iterator(folder.path())) {
      INFO(entry.path().string());
      std::ifstream file{entry.path()};
      const auto definition = nlohmann::ordered_json::parse(file);
      for (const auto& problem : solkit::validate_definition(definition, entry.path())) {
        FAIL_CHECK(problem);
      }
      CHECK(planned.definitions().contains(definition["name"].get<std::string>()));
      ++files;
    }
  }
  CHECK(files == planned.definitions().size());

  // flashinfer-bench sizes a definition's outputs from the var axes its inputs carry: every var
  // axis must appear in an input's shape, except in the two atrex definitions whose buffer
  // lengths follow from constraints (docs/atrex.md, "Known limit").
  for (const auto& [name, record] : planned.definitions()) {
    const nlohmann::ordered_json json = solkit::to_json(record.spec);
    for (const auto& [axis, info] : json["axes"].items()) {
      if (info["type"] != "var") continue;
      bool in_an_input = false;
      for (const auto& [input, tensor] : json["inputs"].items()) {
        if (!tensor["shape"].is_array()) continue;
        for (const auto& dim : tensor["shape"]) in_an_input = in_an_input || dim == axis;
      }
      const bool known_limit = record.spec.op_type == "moe_align_block_size" ||
                               (record.spec.op_type == "chunk_gated_delta_rule_state" && axis == "num_chunks");
      INFO(name << " var axis " << axis);
      CHECK((in_an_input || known_limit));
    }
  }

  std::ifstream manifest_file{root / "manifest.json"};
  REQUIRE(manifest_file);
  const auto manifest = nlohmann::json::parse(manifest_file);
  CHECK(manifest["models"].size() == solkit::models::catalog.size());
}

}  // namespace solkit_test_ops_test_dataset
