#pragma once
// What every atrex operator's test needs: the flashinfer-bench rules a definition breaks, and
// the operator's shapes from bench/suites/atrex (which travels with the repository).

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "solkit/core/json.hpp"
#include "solkit/core/validate.hpp"

namespace solkit::test {

/// The rules `spec` breaks, one per line; empty when its JSON is a valid definition file.
inline std::string problems_of(const definition_spec& spec) {
  std::string text;
  for (const std::string& problem :
       validate_definition(to_json(spec), std::filesystem::path{dataset_path(spec)})) {
    text += problem + "\n";
  }
  return text;
}

/// The shapes.json of atrex operator `op`.
inline nlohmann::json atrex_shapes(std::string_view op) {
  const std::filesystem::path file =
      std::filesystem::path{SOLKIT_SOURCE_DIR "/bench/suites/atrex"} / op / "shapes.json";
  REQUIRE(std::filesystem::exists(file));
  std::ifstream in{file};
  return nlohmann::json::parse(in);
}

}  // namespace solkit::test
