// import-hf: config.json files written from reference/models.md give the catalog's plans (GQA,
// MLA + MoE, GDN hybrid, Mamba2 hybrid), and every kind of bad input is an input_error that names
// the file, the field and the value.

#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>
#include <vector>

#include <unistd.h>

#include <catch2/catch.hpp>

#include "codegen/hf_config.hpp"
#include "solkit/models/catalog.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_codegen_test_import_hf {

using namespace solkit;
namespace fs = std::filesystem;

namespace {
const fs::path configs{SOLKIT_TEST_DATA_DIR "/hf_configs"};

struct planned_row {
  std::string name;
  std::string role;
  std::int64_t count;
  friend bool operator==(const planned_row&, const planned_row&) = default;
  friend std::ostream& operator<<(std::ostream& out, const planned_row& row) {
    return out << row.name << " (" << row.role << " x" << row.count << ")";
  }
};

std::vector<planned_row> rows(const models::model_plan& p) {
  std::vector<planned_row> result;
  for (const auto& entry : p.entries) {
    result.push_back({describe(entry.axes).name.str(), std::string{entry.role}, entry.count});
  }
  return result;
}

/// A config.json in a scratch folder, for the bad-input cases.
fs::path write_config(const std::string& name, const std::string& text) {
  // One folder per process: two build trees may run this test at once.
  static const fs::path dir =
      fs::temp_directory_path() / ("solkit_test_import_hf_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path path = dir / name;
  std::ofstream{path} << text;
  return path;
}

std::string import_error(const fs::path& path) {
  try {
    codegen::import_hf_config(path, "bad-model", {1, 1});
  } catch (const codegen::input_error& error) {
    return error.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("a config.json gives the catalog entry's plans", "[codegen][import]") {
  const std::string slug = GENERATE("llama-3.1-8b", "deepseek-v3", "qwen3-next-80b-a3b", "nemotron-h-8b");
  const models::model_config* catalog_entry = models::find_model(slug);
  REQUIRE(catalog_entry != nullptr);
  for (const models::serving_config& serving : catalog_entry->serving) {
    INFO(slug << " tp=" << serving.tp << " ep=" << serving.ep);
    const auto imported = codegen::import_hf_config(configs / (slug + ".json"), slug, serving);
    const auto ours = models::plan(imported->config, {serving.tp, serving.ep});
    const auto expected = models::plan(*catalog_entry, {serving.tp, serving.ep});
    REQUIRE(ours.error == nullptr);
    CHECK(rows(ours) == rows(expected));
    CHECK(ours.unsupported.size() == expected.unsupported.size());
  }
}

TEST_CASE("bad config.json files are refused with file, field and value", "[codegen][import]") {
  CHECK_THAT(import_error(write_config("broken.json", "{\"architectures\": [")),
             Catch::Contains("broken.json: not valid JSON"));
  CHECK_THAT(import_error(write_config("array.json", "[1, 2]")), Catch::Contains("not a JSON object"));
  CHECK_THAT(import_error(write_config("no_arch.json", "{\"hidden_size\": 4096}")),
             Catch::Contains("field 'architectures' is missing"));
  CHECK_THAT(import_error(write_config("unknown.json", R"({"architectures": ["GPT2LMHeadModel"]})")),
             Catch::Contains("\"GPT2LMHeadModel\", which solkit cannot plan; supported: LlamaForCausalLM"));
  CHECK_THAT(import_error(write_config("missing.json",
                                       R"({"architectures": ["LlamaForCausalLM"], "hidden_size": 4096,
                                           "vocab_size": 32000, "num_hidden_layers": 4})")),
             Catch::Contains("missing.json: field 'num_attention_heads' is missing"));
  CHECK_THAT(import_error(write_config("negative.json",
                                       R"({"architectures": ["LlamaForCausalLM"], "hidden_size": -4096})")),
             Catch::Contains("field 'hidden_size' must be a positive integer up to 2^31, not -4096"));
  CHECK_THAT(import_error(write_config("text.json",
                                       R"({"architectures": ["LlamaForCausalLM"], "hidden_size": "4096"})")),
             Catch::Contains("field 'hidden_size' must be a positive integer up to 2^31, not \"4096\""));
  CHECK_THAT(import_error(write_config("huge.json",
                                       R"({"architectures": ["LlamaForCausalLM"], "hidden_size": 4611686018427387904})")),
             Catch::Contains("field 'hidden_size' must be a positive integer up to 2^31, not 4611686018427387904"));
  CHECK_THAT(import_error(write_config("kv.json",
                                       R"({"architectures": ["LlamaForCausalLM"], "hidden_size": 4096,
                                           "vocab_size": 32000, "num_hidden_layers": 4,
                                           "num_attention_heads": 32, "num_key_value_heads": 6})")),
             Catch::Contains("field 'num_key_value_heads' (6) must divide num_attention_heads (32)"));
  CHECK_THAT(import_error(write_config("pattern.json",
                                       R"({"architectures": ["NemotronHForCausalLM"], "hidden_size": 4096,
                                           "vocab_size": 32000, "num_hidden_layers": 3,
                                           "hybrid_override_pattern": "M*-M"})")),
             Catch::Contains("'hybrid_override_pattern' has 4 blocks but num_hidden_layers is 3"));
  CHECK_THAT(import_error(configs / "does-not-exist.json"), Catch::Contains("cannot be read"));
}

}  // namespace solkit_test_codegen_test_import_hf
