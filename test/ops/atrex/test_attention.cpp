// atrex-bench's attention operators mapped onto solkit's flashinfer-bench attention definitions
// (codegen/atrex/attention.hpp): the names they map to, hand-computed costs of a small and a
// large shape each, the grouping of unequal sequences, bad kwargs, and every shape converted.

#include <cstdint>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "codegen/atrex/attention.hpp"
#include "solkit/ops/gqa_ragged/cost.hpp"
#include "test/ops/atrex/atrex_test_support.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_atrex_test_attention {

using namespace solkit;
using Catch::Matchers::Contains;
using roofline::execution_unit;
using test::problems_of;

static_assert(gqa_ragged_prefill<gqa_ragged_prefill_axes{16, 16, 72}>::name == "gqa_ragged_prefill_h16_kv16_d72");
static_assert(gqa_ragged_prefill<gqa_ragged_prefill_axes{16, 16, 72}>::op_type == "gqa_ragged");
static_assert(gqa_paged_prefill_causal<gqa_paged_prefill_causal_axes{16, 16, 80, 16}>::name ==
              "gqa_paged_prefill_causal_h16_kv16_d80_ps16");

TEST_CASE("atrex attention: the bidirectional ragged definition is a valid file", "[atrex][attention]") {
  const definition_spec& spec = gqa_ragged_prefill<gqa_ragged_prefill_axes{32, 32, 128}>::spec;
  CHECK(problems_of(spec).empty());
  CHECK(dataset_path(spec) == "definitions/gqa_ragged/gqa_ragged_prefill_h32_kv32_d128.json");
  const std::string reference = to_json(spec)["reference"];
  CHECK(reference.find("causal=False") != std::string::npos);
  CHECK(reference.find("causal=True") == std::string::npos);
}

TEST_CASE("atrex paged_attention_decode: gqa_paged decode at page size 16", "[atrex][attention][cost]") {
  // Shape 5: 1 sequence of 128 tokens, 4/1 heads, D 128. Read q 4*128*2 = 1024, K and V
  // 128*1*128*2*2 = 65536, indptr 2*4 + 8 page ids *4 + 1 last-page length *4 = 44: 66604.
  // Write output 1024 + lse 4*4 = 1040. bf16 tensor 2*4 heads*128 pairs*(128+128) = 262144.
  const auto small = codegen::paged_attention_decode_from_atrex(
      nullptr, {{"num_seqs", 1}, {"num_query_heads", 4}, {"num_kv_heads", 1}, {"head_size", 128},
                {"block_size", 16}, {"ctx_len", 128}, {"dtype", "bf16"}});
  CHECK(small.spec.name == "gqa_paged_decode_h4_kv1_d128_ps16");
  CHECK(small.cost.bytes_read == 66604);
  CHECK(small.cost.bytes_written == 1040);
  CHECK(small.cost.flops_of(execution_unit::tensor_bf16) == 262144);
  CHECK(small.cost.flops_of(execution_unit::sfu) == 512);
  // Shape 0: 256 sequences of 64 tokens, 16/16 heads. q 256*16*128*2 = 1048576; K, V
  // 256*64*16*128*2*2 = 134217728; indptr 257*4 = 1028, 4 pages each 256*4*4 = 4096, last-page
  // lengths 1024: 135272452. Write 1048576 + lse 256*16*4 = 16384. Tensor 2*16*16384*256.
  const auto large = codegen::paged_attention_decode_from_atrex(
      nullptr, {{"num_seqs", 256}, {"ctx_len", 64}, {"num_query_heads", 16}, {"num_kv_heads", 16},
                {"head_size", 128}, {"block_size", 16}, {"dtype", "bf16"}});
  CHECK(large.cost.bytes_read == 135272452);
  CHECK(large.cost.bytes_written == 1064960);
  CHECK(large.cost.flops_of(execution_unit::tensor_bf16) == 134217728);
  // fp16 shapes map onto the bf16 definition: same element size, same tensor peak.
  const auto half = codegen::paged_attention_decode_from_atrex(
      nullptr, {{"num_seqs", 4}, {"ctx_len", 128}, {"num_query_heads", 32}, {"num_kv_heads", 8},
                {"head_size", 128}, {"block_size", 16}, {"dtype", "fp16"}});
  CHECK(half.spec.name == "gqa_paged_decode_h32_kv8_d128_ps16");
}

TEST_CASE("atrex unified_attention: causal paged prefill, sequences grouped by length",
          "[atrex][attention][cost]") {
  // Shape 15: one sequence of 7 tokens, 20/20 heads, D 64. Read q 7*20*64*2 = 17920, K and V
  // 7*20*64*4 = 35840, qo_ and kv_indptr 2*2*4 = 16, 1 page id 4, 1 last-page length 4: 53784.
  // Write 17920 + lse 7*20*4 = 560. Causal pairs 7*8/2 = 28: tensor 2*20*28*128 = 143360.
  const auto small = codegen::unified_attention_from_atrex(
      nullptr, {{"num_seqs", 1}, {"seq_lens", {7}}, {"num_query_heads", 20}, {"num_kv_heads", 20},
                {"head_size", 64}, {"block_size", 16}});
  CHECK(small.spec.name == "gqa_paged_prefill_causal_h20_kv20_d64_ps16");
  CHECK(small.cost.bytes_read == 53784);
  CHECK(small.cost.bytes_written == 18480);
  CHECK(small.cost.flops_of(execution_unit::tensor_bf16) == 143360);
  CHECK(small.cost.flops_of(execution_unit::sfu) == 560);
  // Shape 13: 3095 sequences of 256, 16/4 heads, D 128. q 3095*256*16*128*2 = 3245342720,
  // K, V 3095*256*4*128*4 = 1622671360, indptrs 2*3096*4 = 24768, page ids 3095*16*4 = 198080,
  // last-page lengths 12380: 4868249308. Write 3245342720 + lse 50708480 = 3296051200.
  // Pairs 3095 * 256*257/2 = 101813120; tensor 2*16*101813120*256 = 834053079040.
  nlohmann::json lengths = nlohmann::json::array();
  for (int i = 0; i < 3095; ++i) lengths.push_back(256);
  const auto large = codegen::unified_attention_from_atrex(
      nullptr, {{"num_seqs", 3095}, {"seq_lens", lengths}, {"num_query_heads", 16},
                {"num_kv_heads", 4}, {"head_size", 128}, {"block_size", 16}});
  CHECK(large.cost.bytes_read == 4868249308.0);
  CHECK(large.cost.bytes_written == 3296051200.0);
  CHECK(large.cost.flops_of(execution_unit::tensor_bf16) == 834053079040.0);
  // Unequal lengths {4, 4, 20}, 2/1 heads, D 8: q 28*2*8*2 = 896, K and V 28*8*4 = 896,
  // qo_ and kv_indptr 2*4*4 = 32 (one pair of arrays, not one per group), page ids (1+1+2)*4 =
  // 16, last-page lengths 12: 1852. Pairs 10+10+210 = 230: tensor 2*2*230*16 = 14720.
  const auto mixed = codegen::unified_attention_from_atrex(
      nullptr, {{"num_seqs", 3}, {"seq_lens", {4, 20, 4}}, {"num_query_heads", 2}, {"num_kv_heads", 1},
                {"head_size", 8}, {"block_size", 16}});
  CHECK(mixed.cost.bytes_read == 1852);
  CHECK(mixed.cost.flops_of(execution_unit::tensor_bf16) == 14720);
}

TEST_CASE("atrex attention_forward: bidirectional ragged attention", "[atrex][attention][cost]") {
  // Shape 20: one token, 8 heads, D 128. Read q 2048, K and V 4096, 2 indptrs 16: 6160.
  // Write 2048 + lse 32. One pair per head: tensor 2*8*1*256 = 4096.
  const auto small = codegen::attention_forward_from_atrex(
      nullptr, {{"num_heads", 8}, {"head_dim", 128}, {"seq_lens", {1}}});
  CHECK(small.spec.name == "gqa_ragged_prefill_h8_kv8_d128");
  CHECK(small.cost.bytes_read == 6160);
  CHECK(small.cost.bytes_written == 2080);
  CHECK(small.cost.flops_of(execution_unit::tensor_bf16) == 4096);
  // Shape 8: 65556 tokens, 16 heads, D 72. q 65556*16*72*2 = 151041024, K and V 302082048,
  // indptrs 16: 453123088. Write 151041024 + lse 65556*16*4 = 155236608. Every pair:
  // 65556^2 = 4297589136 per head; tensor 2*16*144 per pair = 19803290738688; SFU 16 per pair.
  const auto large = codegen::attention_forward_from_atrex(
      nullptr, {{"num_heads", 16}, {"head_dim", 72}, {"seq_lens", {65556}}});
  CHECK(large.cost.bytes_read == 453123088);
  CHECK(large.cost.bytes_written == 155236608);
  CHECK(large.cost.flops_of(execution_unit::tensor_bf16) == 19803290738688.0);
  CHECK(large.cost.flops_of(execution_unit::sfu) == 68761426176.0);
  // No mask: twice the pairs of the causal definition, less the diagonal.
  const auto causal = cost_of(gqa_ragged_prefill_causal_axes{16, 16, 72}, attention_prefill_workload{1, 65556, 65556});
  CHECK(large.cost.flops_of(execution_unit::sfu) == 2 * causal.flops_of(execution_unit::sfu) - 16 * 65556.0);
}

TEST_CASE("atrex mla_decode_attention: MLA decode at page size 1", "[atrex][attention][cost]") {
  // Shape 1: 1 sequence of 256, 16 heads. Read q 16*576*2 = 18432, latent rows 256*576*2 =
  // 294912, indptr 8 + page ids 1024: 314376. Write 16*512*2 + lse 64 = 16448.
  // Tensor 2*16*256*(576+512) = 8912896.
  const nlohmann::json dims = {{"nhead", 16}, {"kv_lora_rank", 512}, {"qk_rope_head_dim", 64}};
  nlohmann::json input = dims;
  input["batch_size"] = 1;
  input["ctx_len"] = 256;
  const auto small = codegen::mla_decode_attention_from_atrex(dims, input);
  CHECK(small.spec.name == "mla_paged_decode_h16_ckv512_kpe64_ps1");
  CHECK(small.cost.bytes_read == 314376);
  CHECK(small.cost.bytes_written == 16448);
  CHECK(small.cost.flops_of(execution_unit::tensor_bf16) == 8912896);
  // Shape 0: 4 sequences of 128, 128 heads. q 4*128*576*2 = 589824, rows 4*128*576*2 = 589824,
  // indptr 20 + page ids 2048: 1181716. Write 4*128*512*2 + 4*128*4 = 526336.
  // Tensor 2*128*512*1088 = 142606336.
  const nlohmann::json wide = {{"nhead", 128}, {"kv_lora_rank", 512}, {"qk_rope_head_dim", 64}};
  nlohmann::json wide_input = wide;
  wide_input["batch_size"] = 4;
  wide_input["ctx_len"] = 128;
  const auto large = codegen::mla_decode_attention_from_atrex(wide, wide_input);
  CHECK(large.spec.name == "mla_paged_decode_h128_ckv512_kpe64_ps1");
  CHECK(large.cost.bytes_read == 1181716);
  CHECK(large.cost.bytes_written == 526336);
  CHECK(large.cost.flops_of(execution_unit::tensor_bf16) == 142606336);
}

TEST_CASE("atrex attention: bad kwargs name the operator and the key", "[atrex][attention]") {
  const nlohmann::json decode = {{"num_seqs", 4}, {"ctx_len", 128}, {"num_query_heads", 32}, {"num_kv_heads", 8},
                                 {"head_size", 128}, {"block_size", 16}, {"dtype", "bf16"}};
  nlohmann::json fp32 = decode;
  fp32["dtype"] = "fp32";
  CHECK_THROWS_WITH(codegen::paged_attention_decode_from_atrex(nullptr, fp32),
                    Contains("paged_attention_decode") && Contains("dtype"));
  nlohmann::json no_ctx = decode;
  no_ctx.erase("ctx_len");
  CHECK_THROWS_WITH(codegen::paged_attention_decode_from_atrex(nullptr, no_ctx), Contains("ctx_len"));
  nlohmann::json odd_heads = decode;
  odd_heads["num_kv_heads"] = 6;
  CHECK_THROWS_WITH(codegen::paged_attention_decode_from_atrex(nullptr, odd_heads),
                    Contains("multiple of num_kv_heads"));
  CHECK_THROWS_WITH(codegen::unified_attention_from_atrex(
                        nullptr, {{"num_seqs", 2}, {"seq_lens", {4}}, {"num_query_heads", 2},
                                  {"num_kv_heads", 1}, {"head_size", 8}, {"block_size", 16}}),
                    Contains("unified_attention") && Contains("num_seqs"));
  CHECK_THROWS_WITH(codegen::attention_forward_from_atrex(
                        nullptr, {{"num_heads", 2}, {"head_dim", 8}, {"seq_lens", {4, 0}}}),
                    Contains("attention_forward") && Contains("seq_lens"));
  CHECK_THROWS_WITH(codegen::attention_forward_from_atrex(nullptr, {{"num_heads", 2}, {"head_dim", 100},
                                                                    {"seq_lens", {4}}}),
                    Contains("head_dim"));
  const nlohmann::json dims = {{"nhead", 16}, {"kv_lora_rank", 512}, {"qk_rope_head_dim", 64}};
  nlohmann::json other = dims;
  other["nhead"] = 128;
  other["batch_size"] = 1;
  other["ctx_len"] = 8;
  CHECK_THROWS_WITH(codegen::mla_decode_attention_from_atrex(dims, other),
                    Contains("mla_decode_attention") && Contains("nhead"));
}

TEST_CASE("atrex attention: cost grows with every var quantity", "[atrex][attention][cost]") {
  const gqa_paged_decode_axes decode{32, 8, 128, 16};
  const auto d = [&](std::int64_t b, std::int64_t l) { return cost_of(decode, gqa_paged_decode_workload{b, l}); };
  CHECK(d(2, 128).bytes() > d(1, 128).bytes());
  CHECK(d(1, 129).bytes() > d(1, 128).bytes());
  CHECK(d(1, 129).total_flops() > d(1, 128).total_flops());
  const gqa_ragged_prefill_axes bidirectional{16, 16, 72};
  const auto r = [&](std::int64_t len) { return cost_of(bidirectional, attention_prefill_workload{1, len, len}); };
  CHECK(r(101).bytes() > r(100).bytes());
  CHECK(r(101).total_flops() > r(100).total_flops());
  // Never below the inputs and outputs themselves: q, k, v in, output out (100 tokens).
  CHECK(r(100).bytes_read >= 3 * 100 * 16 * 72 * 2);
  CHECK(r(100).bytes_written >= 100 * 16 * 72 * 2);
}

TEST_CASE("atrex attention: every shape converts", "[atrex][attention]") {
  struct op_shapes {
    const char* op;
    codegen::atrex_shape (*convert)(const nlohmann::json&, const nlohmann::json&);
    std::size_t count;
    const char* prefix;
  };
  const op_shapes ops[] = {
      {"paged_attention_decode", codegen::paged_attention_decode_from_atrex, 8, "gqa_paged_decode_h"},
      {"unified_attention", codegen::unified_attention_from_atrex, 25, "gqa_paged_prefill_causal_h"},
      {"attention_forward", codegen::attention_forward_from_atrex, 21, "gqa_ragged_prefill_h"},
      {"mla_decode_attention", codegen::mla_decode_attention_from_atrex, 3, "mla_paged_decode_h"},
  };
  for (const op_shapes& op : ops) {
    const nlohmann::json shapes = test::atrex_shapes(op.op);
    CHECK(shapes.size() == op.count);
    for (const auto& [index, shape] : shapes.items()) {
      INFO(op.op << " shape " << index);
      const auto converted = op.convert(shape["init_kwargs"], shape["input_kwargs"]);
      CHECK(converted.spec.name.view().starts_with(op.prefix));
      CHECK(problems_of(converted.spec).empty());
      CHECK(converted.cost.bytes_read > 0);
      CHECK(converted.cost.flops_of(execution_unit::tensor_bf16) > 0);
    }
  }
}

}  // namespace solkit_test_ops_atrex_test_attention
