// The validator enforces flashinfer-bench's definition rules: each mutation of a valid
// definition below breaks one rule and must be reported.

#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "solkit/core/validate.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_core_test_validate {

namespace {
nlohmann::ordered_json valid_definition() {
  return nlohmann::ordered_json::parse(R"({
    "name": "rmsnorm_h64",
    "op_type": "rmsnorm",
    "axes": {"batch_size": {"type": "var"}, "hidden_size": {"type": "const", "value": 64}},
    "constraints": ["hidden_size % 8 == 0"],
    "inputs": {
      "hidden_states": {"shape": ["batch_size", "hidden_size"], "dtype": "bfloat16"},
      "weight": {"shape": ["hidden_size"], "dtype": "bfloat16"},
      "eps": {"shape": null, "dtype": "float32"}
    },
    "outputs": {"output": {"shape": ["batch_size", "hidden_size"], "dtype": "bfloat16"}},
    "reference": "import torch\n\ndef run(hidden_states, weight, eps=1e-5):\n    return hidden_states\n"
  })");
}

bool mentions(const std::vector<std::string>& problems, const std::string& text) {
  for (const auto& problem : problems) {
    if (problem.find(text) != std::string::npos) return true;
  }
  return false;
}
}  // namespace

TEST_CASE("a valid definition passes", "[core][validate]") {
  const auto problems = solkit::validate_definition(
      valid_definition(), std::filesystem::path{"x/definitions/rmsnorm/rmsnorm_h64.json"});
  CHECK(problems.empty());
}

TEST_CASE("each broken rule is reported", "[core][validate]") {
  auto definition = valid_definition();
  std::string expected;
  SECTION("unknown dtype") {
    definition["inputs"]["weight"]["dtype"] = "float64";
    expected = "not one of flashinfer-bench's dtypes";
  }
  SECTION("undeclared shape axis") {
    definition["inputs"]["weight"]["shape"] = {"hidden"};
    expected = "undefined axis";
  }
  SECTION("input and output share a name") {
    definition["outputs"]["weight"] = definition["inputs"]["weight"];
    expected = "both an input and an output";
  }
  SECTION("constraint is not Python") {
    definition["constraints"] = {"hidden_size %% 8"};
    expected = "is not a Python expression";
  }
  SECTION("no top-level run") {
    definition["reference"] = "def forward(x):\n    return x\n    def run(x): pass\n";
    expected = "does not define a top-level 'def run";
  }
  SECTION("run parameters differ from the inputs") {
    definition["reference"] = "def run(weight, hidden_states, eps):\n    return weight\n";
    expected = "reference run() takes (weight, hidden_states, eps)";
  }
  SECTION("const axis without a value") {
    definition["axes"]["hidden_size"].erase("value");
    expected = "non-negative integer 'value'";
  }
  SECTION("axis of an unknown type") {
    definition["axes"]["batch_size"]["type"] = "expr";
    expected = "'type' must be";
  }
  SECTION("missing name") {
    definition.erase("name");
    expected = "'name' must be a non-empty string";
  }
  SECTION("tensor without a shape") {
    definition["inputs"]["weight"].erase("shape");
    expected = "'shape' is missing";
  }
  const auto problems = solkit::validate_definition(definition);
  INFO(expected);
  CHECK(mentions(problems, expected));
}

TEST_CASE("the file must sit at definitions/{op_type}/{name}.json", "[core][validate]") {
  const auto definition = valid_definition();
  CHECK(mentions(solkit::validate_definition(
                     definition, std::filesystem::path{"definitions/rmsnorm/rmsnorm_h32.json"}),
                 "differs from name"));
  CHECK(mentions(solkit::validate_definition(
                     definition, std::filesystem::path{"definitions/gemm/rmsnorm_h64.json"}),
                 "differs from op_type"));
  CHECK(mentions(solkit::validate_definition(
                     definition, std::filesystem::path{"defs/rmsnorm/rmsnorm_h64.json"}),
                 "not under definitions/"));
}

}  // namespace solkit_test_core_test_validate
