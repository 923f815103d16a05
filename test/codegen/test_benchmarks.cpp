// solkit-codegen benchmarks and report: every plan and both suites give a benchmark source whose
// cases are exactly the definitions with kernels, each with its workload's var axes and cost; the
// report reads Google Benchmark and peer JSON, checks the targets and rejects malformed files.

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "codegen/bench_report.hpp"
#include "codegen/benchmarks.hpp"
#include "solkit/models/catalog.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_codegen_test_benchmarks {

using namespace solkit;
using namespace solkit::codegen;
namespace fs = std::filesystem;

namespace {
const fs::path source_dir{SOLKIT_SOURCE_DIR};

dataset catalog() {
  dataset data;
  data.add_catalog(models::catalog);
  return data;
}

fs::path write_temp(const std::string& name, const std::string& text) {
  const fs::path path = fs::temp_directory_path() / ("solkit_test_" + name);
  std::ofstream{path} << text;
  return path;
}
}  // namespace

TEST_CASE("every plan's benchmark times each definition with a kernel at each plan workload") {
  const dataset data = catalog();
  REQUIRE(data.plans().size() > 30);
  for (const serving_plan& p : data.plans()) {
    const bench_binary binary = plan_benchmarks(p);
    INFO(binary.id);
    CHECK(binary.id == "bench_" + plan_identifier(p.model->slug, p.serving));
    std::set<std::string> with_kernel;
    for (const auto& entry : p.plan.entries) {
      if (std::visit([](const auto& a) { return kernel_exists<std::decay_t<decltype(a)>>; }, entry.axes)) {
        with_kernel.insert(describe(entry.axes).name.str());
      }
    }
    std::set<std::string> benchmarked, names;
    for (const bench_case& c : binary.cases) {
      benchmarked.insert(c.definition);
      CHECK(names.insert(c.definition + "/" + c.workload).second);  // unique benchmark names
      CHECK(c.cost.bytes() > 0);
      CHECK(c.definition_type.starts_with("solkit::definition_of<solkit::"));
      for (const auto& [axis, value] : c.var_axes) CHECK(value > 0);
    }
    // Every definition with a kernel that some phase runs is benchmarked, and only those.
    for (const std::string& name : benchmarked) CHECK(with_kernel.contains(name));
    for (const std::string& name : with_kernel) {
      if (name.starts_with("rmsnorm") || name.starts_with("fused_add") || name.starts_with("gemma")) {
        CHECK(benchmarked.contains(name));
      }
    }
  }
}

TEST_CASE("a plan's norm benchmarks see one row per token, per-head norms one per token and head") {
  dataset data;
  data.add(*models::find_model("qwen3-8b"), {1, 1});
  const bench_binary binary = plan_benchmarks(data.plans().front());
  bool saw_per_head = false, saw_hidden = false;
  for (const bench_case& c : binary.cases) {
    if (c.workload != "decode_b64_ctx4096") continue;
    if (c.definition == "rmsnorm_h128") {  // q_norm: 64 tokens x 32 heads (the k_norm case repeats the name)
      REQUIRE(c.var_axes.size() == 1);
      CHECK(c.var_axes[0].second == 64 * 32);
      saw_per_head = true;
    }
    if (c.definition == "rmsnorm_h4096") {
      CHECK(c.var_axes[0] == std::pair<std::string, std::int64_t>{"batch_size", 64});
      // bytes: 64 rows read and written, and the weight: (2 x 64 + 1) x 4096 x 2.
      CHECK(c.cost.bytes() == Approx((2.0 * 64 + 1) * 4096 * 2));
      saw_hidden = true;
    }
  }
  CHECK(saw_per_head);
  CHECK(saw_hidden);
}

TEST_CASE("the suites' benchmarks cover the atrex shapes and captured workloads with kernels") {
  const bench_binary atrex = atrex_benchmarks(source_dir / "bench/suites/atrex");
  CHECK(atrex.id == "bench_suite_atrex");
  std::set<std::string> op_types;
  for (const bench_case& c : atrex.cases) {
    op_types.insert(c.op_type);
    CHECK(c.workload.starts_with("atrex_"));
    // Attention shapes set every var axis of their definition (batch, tokens, pages); the rest
    // set their one token/row axis.
    if (c.op_type.starts_with("gqa_")) {
      CHECK(c.var_axes.size() >= 3);
    } else {
      REQUIRE(c.var_axes.size() == 1);
    }
  }
  for (const char* op : {"rms_norm", "fused_add_rms_norm", "gqa_paged", "gqa_ragged"}) {
    CHECK(op_types.contains(op));
  }

  const bench_binary captured =
      flashinfer_bench_benchmarks(source_dir / "bench/suites/flashinfer-bench-workload-axes.json");
  CHECK(!captured.cases.empty());
  for (const bench_case& c : captured.cases) {
    // The workload's name lists its var axes in order: batch_size_1 or, for attention,
    // batch_size_1_num_pages_8_len_indptr_2_num_kv_indices_7.
    std::string expected;
    for (const auto& [axis, value] : c.var_axes) expected += (expected.empty() ? "" : "_") + axis + "_" + std::to_string(value);
    CHECK(c.workload == expected);
  }
}

TEST_CASE("benchmark sources register each case and list it in the workloads manifest") {
  dataset data;
  data.add(*models::find_model("llama-3.1-8b"), {1, 1});
  const bench_binary binary = plan_benchmarks(data.plans().front());
  const auto files = benchmark_sources(binary);
  REQUIRE(files.contains("bench_llama_3_1_8b_tp1_ep1.cu"));
  const std::string& source = files.at("bench_llama_3_1_8b_tp1_ep1.cu");
  CHECK(source.find("register_benchmark<solkit::definition_of<solkit::rmsnorm_axes{4096}>>") != std::string::npos);
  CHECK(source.find("\"prefill_b1_t8192\", {8192}") != std::string::npos);
  const auto manifest = nlohmann::json::parse(files.at("bench_llama_3_1_8b_tp1_ep1.workloads.json"));
  CHECK(manifest["workloads"].size() == binary.cases.size());
  CHECK(manifest["workloads"][0]["name"].get<std::string>().find('/') != std::string::npos);
}

TEST_CASE("instantiation tables get a launcher where a kernel exists, nullptr elsewhere") {
  dataset data;
  data.add(*models::find_model("llama-3.1-8b"), {1, 1});
  const auto files = instantiation_sources(data.plans().front());
  const std::string& source = files.at("llama_3_1_8b_tp1_ep1.cu");
  const auto line_of = [&](const std::string& name) {
    const std::size_t at = source.find("{\"" + name + "\", ");
    return at == std::string::npos ? std::string{} : source.substr(at, source.find('\n', at) - at);
  };
  CHECK(line_of("rmsnorm_h4096").ends_with(", SOLKIT_LAUNCHER(solkit::definition_of<solkit::rmsnorm_axes{4096}>)},"));
  CHECK(line_of("gqa_paged_decode_h32_kv8_d128_ps64")
            .ends_with(", SOLKIT_LAUNCHER(solkit::definition_of<solkit::gqa_paged_decode_axes{32, 8, 128, 64}>)},"));
  CHECK(line_of("gemm_n6144_k4096").ends_with(", nullptr},  // no kernel yet"));
  CHECK(source.find("#define SOLKIT_LAUNCHER(...) &solkit::erased_launch<__VA_ARGS__>") != std::string::npos);
}

TEST_CASE("the report checks each target and names the misses") {
  const fs::path results = write_temp("bench.json", R"({
    "context": {"gpu": "NVIDIA H100 80GB HBM3", "date": "2026-11-22T05:00:00", "solkit_commit": "abc"},
    "benchmarks": [
      {"name": "rms_norm_h4096/atrex_1/manual_time", "run_type": "iteration", "T_us": 100, "T_SOL_us": 90,
       "S": 0.9, "GB_per_s": 3000, "bytes": 3e8, "label": "bound=memory sol_table=H100_SXM"},
      {"name": "rms_norm_h4096/atrex_2/manual_time", "run_type": "iteration", "T_us": 100, "T_SOL_us": 80,
       "S": 0.8, "GB_per_s": 2600, "bytes": 2.7e8},
      {"name": "rms_norm_h4096/atrex_3/manual_time", "run_type": "iteration", "T_us": 4, "T_SOL_us": 1,
       "S": 0.25, "GB_per_s": 200, "bytes": 8e5},
      {"name": "rms_norm_h4096/atrex_4/manual_time", "run_type": "iteration", "error_occurred": true,
       "error_message": "no SOL table entry"}
    ]})");
  const fs::path peers = write_temp("peers.json", R"({"benchmarks": [
      {"name": "rms_norm_h4096/atrex_1", "peer": "torch_eager", "T_us": 120},
      {"name": "rms_norm_h4096/atrex_1", "peer": "torch_compile", "T_us": 130},
      {"name": "rms_norm_h4096/atrex_2", "peer": "flashinfer", "error": "not installed"}]})");
  const auto report = render_report({read_benchmark_json(results)}, read_peer_json(peers),
                                    {{"rms_norm_h4096", "rms_norm"}}, {{"rms_norm", 0.5}});
  // S: one of two >= 64 MB rows meets 0.85; eager 1.2x misses 1.3x, compile 1.3x meets 1.1x;
  // the < 1 MB row takes 4 us > 3 us.
  CHECK(report.markdown.find("S >= 0.85 where a workload moves >= 64 MB: 1 of 2 met") != std::string::npos);
  CHECK(report.markdown.find("x PyTorch eager where it moves >= 1 MB: 0 of 1 met") != std::string::npos);
  CHECK(report.markdown.find("torch.compile: 1 of 1 met") != std::string::npos);
  CHECK(report.markdown.find("moves < 1 MB: 0 of 1 met with back-to-back launches, 0 of 1 in a CUDA graph") !=
        std::string::npos);
  CHECK(report.markdown.find("not run: no SOL table entry") != std::string::npos);
  // The weighted S is the mean of the operator's three measured shapes: (0.9 + 0.8 + 0.25) / 3.
  CHECK(report.markdown.find("weighted S = 0.650") != std::string::npos);
  CHECK(report.svg.starts_with("<svg"));
  CHECK(report.svg.find("rms_norm_h4096/atrex_1") != std::string::npos);
}

TEST_CASE("the report rejects files that are not benchmark or peer JSON") {
  CHECK_THROWS_AS(read_benchmark_json(write_temp("bad1.json", "{\"benchmarks\": []}")), input_error);
  CHECK_THROWS_AS(read_benchmark_json(write_temp("bad2.json", "not json")), input_error);
  CHECK_THROWS_AS(read_peer_json(write_temp("bad3.json", "{\"rows\": []}")), input_error);
  CHECK_THROWS_AS(read_benchmark_json(fs::temp_directory_path() / "solkit_missing.json"), input_error);
}

}  // namespace solkit_test_codegen_test_benchmarks
