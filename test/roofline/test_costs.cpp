// Costs and speed of light: hand-computed costs of a small and a large workload of each op
// family (the arithmetic beside each), costs that grow with every var axis, bytes never below
// the unavoidable input and output, and T_SOL = max(bytes / bandwidth, flops / peak).

#include <catch2/catch.hpp>

#include "solkit/ops/costs.hpp"
#include "solkit/roofline/hardware.hpp"
#include "solkit/roofline/sol.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_roofline_test_costs {

using namespace solkit;
using roofline::execution_unit;

// Compile-time: costs are constexpr where the workload is known.
static_assert(cost_of(gemm_axes{4096, 4096}, gemm_workload{1}).flops_of(execution_unit::tensor_bf16) ==
              2.0 * 4096 * 4096);
static_assert(roofline::causal_pairs(4, 4) == 10);   // 1 + 2 + 3 + 4
static_assert(roofline::causal_pairs(2, 5) == 9);    // 4 + 5: queries see 4 and 5 keys
static_assert(roofline::causal_pairs(5, 2) == 3);    // 3 queries see nothing, then 1 and 2
static_assert(roofline::pages_of(100, 64) == 2 && roofline::pages_of(0, 64) == 0);

TEST_CASE("rmsnorm costs", "[roofline][cost]") {
  // 1 row of 4096: read x 8192 + weight 8192 B, write 8192 B; 4 flops/element; 1 rsqrt.
  const auto one = cost_of(rmsnorm_axes{4096}, rmsnorm_workload{1});
  CHECK(one.bytes_read == 16384);
  CHECK(one.bytes_written == 8192);
  CHECK(one.flops_of(execution_unit::cuda_fp32) == 16384);
  CHECK(one.flops_of(execution_unit::sfu) == 1);
  // 65536 rows: read 65536*4096*2 + 8192 = 536879104, write 536870912.
  const auto large = cost_of(rmsnorm_axes{4096}, rmsnorm_workload{65536});
  CHECK(large.bytes_read == 536879104);
  CHECK(large.bytes_written == 536870912);
  // Fused add, 2 rows: read x and residual 2*4096*2*2 + weight 8192 = 40960; 5 flops/element.
  const auto fused = cost_of(fused_add_rmsnorm_axes{4096}, rmsnorm_workload{2});
  CHECK(fused.bytes_read == 40960);
  CHECK(fused.flops_of(execution_unit::cuda_fp32) == 40960);
}

TEST_CASE("gemm costs", "[roofline][cost]") {
  // M=1: read (1*4096 + 4096*4096)*2 = 33562624, write 4096*2; 2*1*4096*4096 flops.
  const auto one = cost_of(gemm_axes{4096, 4096}, gemm_workload{1});
  CHECK(one.bytes_read == 33562624);
  CHECK(one.bytes_written == 8192);
  CHECK(one.flops_of(execution_unit::tensor_bf16) == 33554432);
  // M=8192: 2*8192*4096*4096 = 274877906944 flops.
  CHECK(cost_of(gemm_axes{4096, 4096}, gemm_workload{8192}).flops_of(execution_unit::tensor_bf16) ==
        274877906944.0);
}

TEST_CASE("attention costs count used pages and unmasked pairs", "[roofline][cost]") {
  // Decode h32 kv8 d128 ps64, 1 sequence of 100 tokens: q 32*128*2 = 8192; K and V
  // 100*8*128*2*2 = 409600; indptr 8 + 2 page ids 8 + last-page length 4 = 20.
  const auto decode = cost_of(gqa_paged_decode_axes{32, 8, 128, 64}, gqa_paged_decode_workload{1, 100});
  CHECK(decode.bytes_read == 417812);
  CHECK(decode.bytes_written == 8192 + 32 * 4);  // output + lse
  CHECK(decode.flops_of(execution_unit::tensor_bf16) == 2.0 * 32 * 100 * 256);
  CHECK(decode.flops_of(execution_unit::sfu) == 3200);
  // Prefill ps1, q = kv = 4: 10 pairs; q 32768 + K,V 16384 + indptrs 16 + 4 page ids 16.
  const auto prefill =
      cost_of(gqa_paged_prefill_causal_axes{32, 8, 128, 1}, attention_prefill_workload{1, 4, 4});
  CHECK(prefill.bytes_read == 49184);
  CHECK(prefill.bytes_written == 32768 + 512);
  CHECK(prefill.flops_of(execution_unit::tensor_bf16) == 2.0 * 32 * 10 * 256);
  // Large: q = kv = 8192 gives 8192*8193/2 = 33558528 pairs.
  const auto large = cost_of(gqa_ragged_prefill_causal_axes{32, 8, 128}, attention_prefill_workload{1, 8192, 8192});
  CHECK(large.flops_of(execution_unit::tensor_bf16) == 2.0 * 32 * 33558528 * 256);
  // MLA decode h16, 64 tokens: q 16*576*2 = 18432; latent 64*576*2 = 73728; index 16.
  const auto mla = cost_of(mla_paged_decode_axes{16, 512, 64, 64}, gqa_paged_decode_workload{1, 64});
  CHECK(mla.bytes_read == 92176);
  CHECK(mla.bytes_written == 16 * 512 * 2 + 16 * 4);
  CHECK(mla.flops_of(execution_unit::tensor_bf16) == 2.0 * 16 * 64 * (576 + 512));
}

TEST_CASE("DSA, GDN, Mamba, MoE, sampling and RoPE costs", "[roofline][cost]") {
  // Indexer h64 d128, 1 sequence of 128 tokens: q 8192 (fp8) + keys 128*132 + weights 256 +
  // seq_len 4 + 2 block-table entries 8; top-2048 ids out.
  const auto indexer = cost_of(dsa_topk_indexer_fp8_axes{64, 128, 2048, 64}, dsa_topk_indexer_workload{1, 128});
  CHECK(indexer.bytes_read == 25356);
  CHECK(indexer.bytes_written == 8192);
  CHECK(indexer.flops_of(execution_unit::tensor_fp8) == 2.0 * 64 * 128 * 128);
  // Sparse attention h16 topk2048: decode of 4 tokens with 1000 cached each attends to 1000 rows
  // (fewer than topk): q 4*16*576*2, rows 4*1000*576*2, ids 4*2048*4.
  const dsa_sparse_attention_axes sparse{16, 512, 64, 2048, 64};
  const auto sparse_decode = cost_of(sparse, dsa_sparse_attention_workload{4, 1000});
  CHECK(sparse_decode.bytes_read == 4.0 * 16 * 576 * 2 + 4.0 * 1000 * 576 * 2 + 4.0 * 2048 * 4);
  CHECK(sparse_decode.flops_of(execution_unit::tensor_bf16) == 2.0 * 16 * 4000 * (576 + 512));
  // Prefill of one 4096-token sequence: the latent cache read once (4096 rows); pairs
  // 2048*2049/2 + 2048*2048 = 2098176 + 4194304 = 6292480.
  const auto sparse_prefill = cost_of(sparse, dsa_prefill_workload{1, 4096});
  CHECK(sparse_prefill.bytes_read == 4096.0 * 16 * 576 * 2 + 4096.0 * 576 * 2 + 4096.0 * 2048 * 4);
  CHECK(sparse_prefill.flops_of(execution_unit::sfu) == 16.0 * 6292480);
  // Indexer prefill of one 4096-token sequence: keys read once, 4096*4097/2 scored pairs.
  const auto indexer_prefill = cost_of(dsa_topk_indexer_fp8_axes{64, 128, 2048, 64}, dsa_prefill_workload{1, 4096});
  CHECK(indexer_prefill.flops_of(execution_unit::tensor_fp8) == 2.0 * 64 * (4096.0 * 4097 / 2) * 128);
  // GDN decode qk8 v16 d128, 1 sequence: q,k,v 8192 + a,b 64 + A_log,dt_bias 128; state 1 MiB
  // read and written; 7*16*128^2 flops.
  const auto gdn = cost_of(gdn_decode_axes{8, 16, 128}, gdn_decode_workload{1});
  CHECK(gdn.bytes_read == 8384 + 1048576);
  CHECK(gdn.bytes_written == 4096 + 1048576);
  CHECK(gdn.flops_of(execution_unit::cuda_fp32) == 1835008);
  // Mamba h128 d64 s128 ng8, 1 sequence: state 2 MiB each way; x, dt 32768; A 4 MiB; B, C
  // 4096; D, dt_bias 32768; index 4.
  const auto mamba = cost_of(mamba_ssu_decode_axes{128, 64, 128, 8}, mamba_ssu_decode_workload{1});
  CHECK(mamba.bytes_read == 6361092);
  CHECK(mamba.bytes_written == 2113536);
  // Renorm MoE top-8 of 128, h2048 i768, 1 token: 8 experts active, each 3*2048*768 fp8 bytes +
  // 3*16*6*4 scale bytes; logits 256, hidden 2048, hidden scales 64.
  const auto moe = cost_of(moe_fp8_block_scale_renorm_axes{8, 128, 128, 2048, 768}, moe_workload{1});
  CHECK(moe.bytes_read == Approx(37760320).epsilon(1e-12));
  CHECK(moe.bytes_written == 4096);
  CHECK(moe.flops_of(execution_unit::tensor_fp8) == Approx(8.0 * 6 * 2048 * 768));
  // Many tokens: every local expert active, its weights read once.
  const auto moe_large = cost_of(moe_fp8_block_scale_renorm_axes{8, 128, 128, 2048, 768}, moe_workload{16384});
  CHECK(moe_large.bytes_read > 128 * 4718592.0);
  CHECK(moe_large.bytes_read < 128 * 4718592.0 + 16384.0 * (256 + 2048 + 64) + 128 * 1152 + 1);
  // Sampling v128256, 4 rows, top-k and top-p: probs 2052096 + parameters 32; samples 32.
  const auto sample = cost_of(top_k_top_p_sampling_from_probs_axes{128256}, sampling_workload{4});
  CHECK(sample.bytes_read == 2052128);
  CHECK(sample.bytes_written == 32);
  // RoPE d128 rd64, 2 tokens, 4 + 2 heads: q,k 3072 + cache rows 512 + positions 16.
  const auto rope = cost_of(rope_with_cos_sin_cache_axes{rope_style::neox, 128, 64}, rope_workload{2, 4, 2});
  CHECK(rope.bytes_read == 3600);
  CHECK(rope.bytes_written == 3072);
  CHECK(rope.flops_of(execution_unit::cuda_fp32) == 2304);
}

TEST_CASE("costs grow with every var axis", "[roofline][cost]") {
  const auto grows = [](const roofline::cost& small, const roofline::cost& large) {
    CHECK(large.bytes() > small.bytes());
    for (execution_unit unit : roofline::all_execution_units) {
      if (small.flops_of(unit) > 0) CHECK(large.flops_of(unit) > small.flops_of(unit));
    }
  };
  grows(cost_of(rmsnorm_axes{2048}, rmsnorm_workload{7}), cost_of(rmsnorm_axes{2048}, rmsnorm_workload{8}));
  grows(cost_of(gemm_axes{256, 7168}, gemm_workload{1}), cost_of(gemm_axes{256, 7168}, gemm_workload{2}));
  const gqa_paged_decode_axes decode{32, 8, 128, 64};
  grows(cost_of(decode, gqa_paged_decode_workload{4, 1000}), cost_of(decode, gqa_paged_decode_workload{5, 1000}));
  grows(cost_of(decode, gqa_paged_decode_workload{4, 1000}), cost_of(decode, gqa_paged_decode_workload{4, 1001}));
  const gqa_paged_prefill_causal_axes prefill{32, 8, 128, 64};
  grows(cost_of(prefill, attention_prefill_workload{2, 100, 300}), cost_of(prefill, attention_prefill_workload{3, 100, 300}));
  grows(cost_of(prefill, attention_prefill_workload{2, 100, 300}), cost_of(prefill, attention_prefill_workload{2, 101, 300}));
  grows(cost_of(prefill, attention_prefill_workload{2, 100, 300}), cost_of(prefill, attention_prefill_workload{2, 100, 301}));
  const dsa_topk_indexer_fp8_axes indexer{64, 128, 2048, 64};
  grows(cost_of(indexer, dsa_topk_indexer_workload{2, 4096}), cost_of(indexer, dsa_topk_indexer_workload{2, 4097}));
  grows(cost_of(gdn_prefill_axes{8, 16, 128}, gdn_prefill_workload{2, 64}),
        cost_of(gdn_prefill_axes{8, 16, 128}, gdn_prefill_workload{2, 65}));
  grows(cost_of(gdn_mtp_axes{8, 16, 128}, gdn_mtp_workload{2, 3}), cost_of(gdn_mtp_axes{8, 16, 128}, gdn_mtp_workload{2, 4}));
  const moe_fp8_block_scale_ds_routing_axes moe{8, 8, 4, 256, 32, 7168, 2048};
  grows(cost_of(moe, moe_workload{16}), cost_of(moe, moe_workload{17}));
  grows(cost_of(rope_with_cos_sin_cache_axes{rope_style::gptj, 64, 64}, rope_workload{8, 16, 1}),
        cost_of(rope_with_cos_sin_cache_axes{rope_style::gptj, 64, 64}, rope_workload{8, 17, 1}));
}

TEST_CASE("bytes are never below the unavoidable input and output", "[roofline][cost]") {
  // Decode must read q, the used K and V, and write the output and lse.
  const auto decode = cost_of(gqa_paged_decode_axes{8, 1, 128, 16}, gqa_paged_decode_workload{16, 2048});
  CHECK(decode.bytes() >= 16 * 8 * 128 * 2 + 16 * 2048 * 1 * 128 * 4 + 16 * 8 * 128 * 2 + 16 * 8 * 4);
  // A GEMM reads A and B and writes C.
  const auto gemm = cost_of(gemm_axes{28672, 4096}, gemm_workload{37});
  CHECK(gemm.bytes() >= (37.0 * 4096 + 28672.0 * 4096 + 37.0 * 28672) * 2);
  // MoE reads at least the hidden states and writes the output.
  const auto moe = cost_of(moe_fp8_block_scale_renorm_axes{10, 512, 128, 2048, 512}, moe_workload{3});
  CHECK(moe.bytes() >= 3 * 2048 + 3 * 2048 * 2);
}

TEST_CASE("T_SOL is the larger of memory and compute time", "[roofline][sol]") {
  // Memory bound on H20: bytes / 4.0 TB/s.
  const auto norm = cost_of(rmsnorm_axes{4096}, rmsnorm_workload{8192});
  const auto on_h20 = roofline::sol(norm, roofline::h20);
  CHECK(on_h20.memory_bound);
  CHECK(on_h20.bound() == "memory");
  CHECK(on_h20.seconds == Approx(norm.bytes() / 4.0e12));
  // Compute bound on H100: 2*8192*4096*4096 / 989.4 TFLOP/s.
  const auto gemm = cost_of(gemm_axes{4096, 4096}, gemm_workload{8192});
  const auto on_h100 = roofline::sol(gemm, roofline::h100_sxm);
  CHECK_FALSE(on_h100.memory_bound);
  CHECK(on_h100.bound() == "tensor_bf16");
  CHECK(on_h100.seconds == Approx(274877906944.0 / 989.4e12));
  CHECK(on_h100.score(on_h100.seconds * 2) == Approx(0.5));
  CHECK(roofline::achieved_flops(gemm, execution_unit::tensor_bf16, 1e-3) == Approx(274877906944.0 / 1e-3));
  // fp8 work on a GPU without fp8 tensor cores cannot reach any finite bound.
  const auto fp8 = cost_of(dsa_topk_indexer_fp8_axes{64, 128, 2048, 64}, dsa_topk_indexer_workload{64, 8192});
  CHECK(roofline::sol(fp8, roofline::a100_sxm_80gb).seconds > 1e100);
  // The table has every listed GPU.
  for (const char* name : {"H100_SXM", "H200_SXM", "H20", "B200", "A100_SXM_80GB", "L40S"}) {
    INFO(name);
    const auto* gpu = roofline::find_hardware(name);
    REQUIRE(gpu != nullptr);
    CHECK(gpu->hbm_bytes_per_second > 0);
    CHECK(gpu->peak(execution_unit::tensor_bf16) > 0);
    CHECK_FALSE(gpu->source.empty());
  }
  CHECK(roofline::find_hardware("H100") == nullptr);
}

}  // namespace solkit_test_roofline_test_costs
