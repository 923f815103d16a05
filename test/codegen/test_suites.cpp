// flashinfer-bench's captured workloads become costs of solkit's definitions of the same name.

#include <algorithm>
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

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_codegen_test_suites {

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

TEST_CASE("atrex's suite: all 440 shapes costed, a SOL on every GPU; H20 SOL = max(bytes / 4.0 TB/s, FLOPs / peak)",
          "[codegen][suite][atrex]") {
  const auto rows = codegen::atrex_suite(SOLKIT_SOURCE_DIR "/bench/suites/atrex");
  CHECK(rows.size() == 440);
  // The operators that move data and do little arithmetic: on H20 each of their shapes is bound
  // by HBM, and T_SOL is exactly its bytes at 4.0 TB/s (atrex's H20.yaml figure).
  const std::set<std::string> memory_bound_ops = {
      "rms_norm", "fused_add_rms_norm", "gated_rms_norm", "fused_qk_rmsnorm", "l2_norm", "layer_norm",
      "silu_and_mul", "fp8_dynamic_per_token_quant", "per_token_group_quant_fp8", "fused_rmsnorm_quant",
      "fused_qkv_rope", "mrope", "reshape_and_cache", "topk_filter", "moe_topk_gating_softmax",
      "moe_align_block_size", "moe_count_and_sort", "moe_sum_reduce", "causal_conv1d",
      "paged_attention_decode"};
  std::size_t mapped = 0, memory_bound_shapes = 0;
  std::set<std::string> operators;
  for (const auto& row : rows) {
    operators.insert(row.op);
    INFO(row.op << " shape " << row.shape);
    REQUIRE(row.mapped.has_value());
    ++mapped;
    CHECK(row.production_us.has_value());
    const roofline::cost& cost = row.mapped->cost;
    const auto on_h20 = roofline::sol(cost, roofline::h20);
    // H20's peaks (TFLOP/s): bf16 148, fp8 296, tf32 74, fp32 44, SFU 2.5; HBM 4.0 TB/s.
    double expected = cost.bytes() / 4.0e12;
    expected = std::max(expected, cost.flops_of(roofline::execution_unit::tensor_bf16) / 148e12);
    expected = std::max(expected, cost.flops_of(roofline::execution_unit::tensor_fp8) / 296e12);
    expected = std::max(expected, cost.flops_of(roofline::execution_unit::tensor_tf32) / 74e12);
    expected = std::max(expected, cost.flops_of(roofline::execution_unit::cuda_fp32) / 44e12);
    expected = std::max(expected, cost.flops_of(roofline::execution_unit::sfu) / 2.5e12);
    CHECK(on_h20.seconds == Approx(expected));
    // A SOL on every GPU of the table: positive, and finite unless the shape needs a unit the GPU
    // lacks (fp8 tensor cores on A100, which sol() makes 1e300 s).
    for (const roofline::hardware* gpu : roofline::all_hardware) {
      INFO(gpu->name);
      const auto on_gpu = roofline::sol(cost, *gpu);
      CHECK(on_gpu.seconds > 0);
      const bool lacks_unit = cost.flops_of(roofline::execution_unit::tensor_fp8) > 0 &&
                              gpu->peak(roofline::execution_unit::tensor_fp8) == 0;
      CHECK((on_gpu.seconds < 1.0) != lacks_unit);
    }
    if (memory_bound_ops.contains(row.op)) {
      ++memory_bound_shapes;
      CHECK(on_h20.memory_bound);
      CHECK(on_h20.seconds == Approx(cost.bytes() / 4.0e12));
    }
  }
  CHECK(operators.size() == 30);
  CHECK(mapped == 440);
  CHECK(memory_bound_shapes == 271);
}

}  // namespace solkit_test_codegen_test_suites
