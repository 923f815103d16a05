// The attention batch helpers (solkit/ops/common/attention_batch.hpp): index arrays built for
// tests and benchmarks, the debug-check validation of an engine's arrays, and the var axes the
// generated attention benchmarks get (codegen/attention_cases.hpp, the atrex mapping).

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "codegen/atrex/attention.hpp"
#include "codegen/attention_cases.hpp"
#include "codegen/benchmarks.hpp"
#include "solkit/ops/common/attention_batch.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_test_attention_batch {

using namespace solkit;
using std::int32_t;
using std::int64_t;

TEST_CASE("paged_batch: pages per sequence, last-page lengths and distinct scattered page ids") {
  const std::vector<int64_t> q_lens{1, 3, 0, 5};
  const std::vector<int64_t> kv_lens{16, 17, 0, 40};
  const attention::batch_arrays a = attention::paged_batch(q_lens, kv_lens, 16, 100, 7);
  CHECK(a.qo_indptr == std::vector<int32_t>{0, 1, 4, 4, 9});
  CHECK(a.kv_indptr == std::vector<int32_t>{0, 1, 3, 3, 6});  // 1, 2, 0 and 3 pages
  CHECK(a.kv_last_page_len == std::vector<int32_t>{16, 1, 1, 8});
  REQUIRE(a.kv_indices.size() == 6);
  CHECK(std::set<int32_t>(a.kv_indices.begin(), a.kv_indices.end()).size() == 6);
  CHECK(std::all_of(a.kv_indices.begin(), a.kv_indices.end(), [](int32_t p) { return p >= 0 && p < 100; }));
  for (std::size_t b = 0; b < kv_lens.size(); ++b) {
    CHECK(attention::paged_kv_len(a.kv_indptr, a.kv_last_page_len, b, 16) == kv_lens[b]);
  }
  // A pool smaller than the pages used reuses pages, still in range.
  const auto reused = attention::scattered_pages(10, 3, 1);
  CHECK(std::all_of(reused.begin(), reused.end(), [](int32_t p) { return p >= 0 && p < 3; }));
}

TEST_CASE("even_split spreads the remainder over the first parts") {
  CHECK(attention::even_split(10, 4) == std::vector<int64_t>{3, 3, 2, 2});
  CHECK(attention::even_split(0, 2) == std::vector<int64_t>{0, 0});
}

TEST_CASE("check_indptr and check_pages name the first fault, and accept valid arrays") {
  const std::vector<int32_t> good{0, 2, 2, 5};
  CHECK(attention::check_indptr("kv_indptr", good, 5, "num_kv_indices").empty());
  CHECK(attention::check_indptr("kv_indptr", std::vector<int32_t>{1, 2, 5}, 5, "num_kv_indices") ==
        "kv_indptr[0] is 1; it must be 0");
  CHECK(attention::check_indptr("qo_indptr", std::vector<int32_t>{0, 3, 2}, 2, "total_q") ==
        "qo_indptr decreases at entry 2 (3 then 2)");
  CHECK(attention::check_indptr("qo_indptr", good, 6, "total_q") == "qo_indptr ends at 5; total_q is 6");

  const std::vector<int32_t> indices{0, 3, 1, 2, 4};
  CHECK(attention::check_pages(good, indices, std::vector<int32_t>{4, 1, 16}, 5, 16).empty());
  CHECK(attention::check_pages(good, std::vector<int32_t>{0, 3, 5, 2, 4}, {}, 5, 16) ==
        "kv_indices[2] is 5; num_pages is 5");
  CHECK(attention::check_pages(good, indices, std::vector<int32_t>{4, 1, 17}, 5, 16) ==
        "kv_last_page_len[2] is 17; it must be in [1, page_size = 16]");
  // A sequence without pages: its last-page length is not read.
  CHECK(attention::check_pages(good, indices, std::vector<int32_t>{4, 0, 16}, 5, 16).empty());
}

TEST_CASE("attention benchmarks get the var axes of equal sequences") {
  const auto decode = codegen::attention_var_axes(describe(gqa_paged_decode_axes{32, 8, 128, 64}), 16, 1, 4096);
  CHECK(decode == std::vector<std::pair<std::string, int64_t>>{
                      {"batch_size", 16}, {"num_pages", 1024}, {"len_indptr", 17}, {"num_kv_indices", 1024}});
  const auto ragged = codegen::attention_var_axes(describe(gqa_ragged_prefill_causal_axes{32, 8, 128}), 4, 100, 100);
  CHECK(ragged ==
        std::vector<std::pair<std::string, int64_t>>{{"len_indptr", 5}, {"total_q", 400}, {"total_kv", 400}});
  // A partial last page still takes a page.
  const auto paged = codegen::attention_var_axes(describe(gqa_paged_prefill_causal_axes{16, 2, 256, 16}), 1, 875, 875);
  CHECK(paged == std::vector<std::pair<std::string, int64_t>>{{"len_indptr", 2},
                                                              {"total_q", 875},
                                                              {"num_kv_indices", 55},
                                                              {"num_pages", 55},
                                                              {"batch_size", 1}});
}

TEST_CASE("atrex attention shapes carry benchmark cases; the attention suite has the issue's workloads") {
  const nlohmann::json decode_input = {{"num_seqs", 4},    {"ctx_len", 128},   {"num_query_heads", 32},
                                       {"num_kv_heads", 8}, {"head_size", 128}, {"block_size", 16},
                                       {"dtype", "bf16"}};
  const auto decode = codegen::paged_attention_decode_from_atrex(nullptr, decode_input);
  REQUIRE(decode.kernel);
  CHECK(decode.kernel->axes_expression == "solkit::gqa_paged_decode_axes{32, 8, 128, 16}");
  CHECK(decode.kernel->var_axes == std::vector<std::pair<std::string, int64_t>>{
                                       {"batch_size", 4}, {"num_pages", 32}, {"len_indptr", 5}, {"num_kv_indices", 32}});
  const nlohmann::json forward_input = {{"num_heads", 4}, {"head_dim", 72}, {"seq_lens", {276}}};
  const auto forward = codegen::attention_forward_from_atrex(nullptr, forward_input);
  REQUIRE(forward.kernel);
  CHECK(forward.kernel->var_axes ==
        std::vector<std::pair<std::string, int64_t>>{{"len_indptr", 2}, {"total_q", 276}, {"total_kv", 276}});

  const codegen::bench_binary suite = codegen::attention_benchmarks();
  std::set<std::string> names;
  for (const auto& c : suite.cases) names.insert(c.definition + "/" + c.workload);
  CHECK(names.count("gqa_paged_decode_h32_kv8_d128_ps64/decode_b16_ctx4096") == 1);
  CHECK(names.count("gqa_paged_decode_h32_kv8_d128_ps1/decode_b1_ctx32768") == 1);
  CHECK(names.count("gqa_paged_prefill_causal_h20_kv20_d64_ps16/prefill_b1_t8192") == 1);
  CHECK(names.count("gqa_ragged_prefill_causal_h16_kv2_d256/prefill_b4_t4096") == 1);
}

}  // namespace solkit_test_ops_test_attention_batch
