// flashinfer-bench's captured workloads become costs of solkit's definitions of the same name.

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <unistd.h>

#include <catch2/catch.hpp>

#include "codegen/suites.hpp"

using namespace solkit;

TEST_CASE("every captured flashinfer-bench workload has a cost", "[codegen][suite]") {
  const auto rows =
      codegen::flashinfer_bench_suite(SOLKIT_SOURCE_DIR "/bench/suites/flashinfer-bench-workload-axes.json");
  CHECK(rows.size() == 663);
  std::set<std::string> definitions;
  for (const auto& row : rows) {
    INFO(row.definition << " " << row.axes);
    REQUIRE(row.cost.has_value());
    CHECK(row.cost->bytes() > 0);
    definitions.insert(row.definition);
  }
  CHECK(definitions.size() == 26);
  // gemm_n4096_k4096 at M = 1: the weight dominates, 4096*4096*2 + 4096*2 + 4096*2 bytes.
  bool found = false;
  for (const auto& row : rows) {
    if (row.definition == "gemm_n4096_k4096" && row.axes == R"({"M":1})") {
      CHECK(row.cost->bytes() == 4096.0 * 4096 * 2 + 4096 * 2 * 2);
      found = true;
    }
  }
  CHECK(found);
}

TEST_CASE("a malformed suite file is an input error naming it", "[codegen][suite]") {
  const auto path = std::filesystem::temp_directory_path() /
                    ("solkit_bad_suite_" + std::to_string(::getpid()) + ".json");
  std::ofstream{path} << R"({"workloads": {"gemm_n4096_k4096": [{"axes": {"N": 3}}]}})";
  CHECK_THROWS_WITH(codegen::flashinfer_bench_suite(path),
                    Catch::Contains("gemm_n4096_k4096: var axis 'M' is missing"));
  std::ofstream{path} << "[";
  CHECK_THROWS_WITH(codegen::flashinfer_bench_suite(path), Catch::Contains("not valid JSON"));
}
