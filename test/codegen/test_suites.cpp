// flashinfer-bench's captured workloads become costs of solkit's definitions of the same name.

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <unistd.h>

#include <catch2/catch.hpp>

#include "codegen/atrex_suite.hpp"
#include "codegen/suites.hpp"
#include "solkit/roofline/hardware.hpp"
#include "solkit/roofline/sol.hpp"

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

TEST_CASE("atrex's suite: 440 shapes, the defined operators' costed, H20 SOL = bytes / 4.0 TB/s",
          "[codegen][suite][atrex]") {
  const auto rows = codegen::atrex_suite(SOLKIT_SOURCE_DIR "/bench/suites/atrex");
  CHECK(rows.size() == 440);
  std::size_t mapped = 0;
  std::set<std::string> operators;
  for (const auto& row : rows) {
    operators.insert(row.op);
    if (!row.mapped) continue;
    ++mapped;
    INFO(row.op << " shape " << row.shape);
    CHECK(row.production_us.has_value());
    const auto on_h20 = roofline::sol(row.mapped->cost, roofline::h20);
    // Every defined atrex operator is memory bound on H20; its T_SOL is its bytes at 4.0 TB/s.
    CHECK(on_h20.memory_bound);
    CHECK(on_h20.seconds == Approx(row.mapped->cost.bytes() / 4.0e12));
  }
  CHECK(operators.size() == 30);
  CHECK(mapped == 210);
}
