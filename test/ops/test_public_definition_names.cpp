// Pins the name of every public flashinfer-bench definition of solkit's op types (the samples,
// the seed coverage page and the public dataset's definitions folder): each name is computed
// from the axes at compile time (static_assert) and again at run time (the test case).

#include <array>
#include <cstddef>
#include <string_view>

#include <catch2/catch.hpp>

#include "solkit/definitions.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_test_public_definition_names {

namespace {
using namespace solkit;

template <class Axes>
struct pinned_name {
  Axes axes;
  std::string_view name;
};

// clang-format off
static_assert(name_of(dsa_sparse_attention_axes{16, 512, 64, 2048, 1}) == "dsa_sparse_attention_h16_ckv512_kpe64_topk2048_ps1");
static_assert(name_of(dsa_sparse_attention_axes{16, 512, 64, 2048, 64}) == "dsa_sparse_attention_h16_ckv512_kpe64_topk2048_ps64");
static_assert(name_of(dsa_sparse_attention_axes{16, 512, 64, 256, 1}) == "dsa_sparse_attention_h16_ckv512_kpe64_topk256_ps1");
static_assert(name_of(dsa_sparse_attention_axes{16, 512, 64, 256, 64}) == "dsa_sparse_attention_h16_ckv512_kpe64_topk256_ps64");
static_assert(name_of(dsa_topk_indexer_fp8_axes{64, 128, 2048, 64}) == "dsa_topk_indexer_fp8_h64_d128_topk2048_ps64");
static_assert(name_of(dsa_topk_indexer_fp8_axes{64, 128, 256, 64}) == "dsa_topk_indexer_fp8_h64_d128_topk256_ps64");
static_assert(name_of(gemma_fused_add_rmsnorm_axes{2048}) == "gemma_fused_add_rmsnorm_h2048");
static_assert(name_of(gemma_rmsnorm_axes{2048}) == "gemma_rmsnorm_h2048");
static_assert(name_of(gemma_rmsnorm_axes{256}) == "gemma_rmsnorm_h256");
static_assert(name_of(fused_add_rmsnorm_axes{16384}) == "fused_add_rmsnorm_h16384");
static_assert(name_of(fused_add_rmsnorm_axes{2048}) == "fused_add_rmsnorm_h2048");
static_assert(name_of(fused_add_rmsnorm_axes{2560}) == "fused_add_rmsnorm_h2560");
static_assert(name_of(fused_add_rmsnorm_axes{2880}) == "fused_add_rmsnorm_h2880");
static_assert(name_of(fused_add_rmsnorm_axes{3072}) == "fused_add_rmsnorm_h3072");
static_assert(name_of(fused_add_rmsnorm_axes{3584}) == "fused_add_rmsnorm_h3584");
static_assert(name_of(fused_add_rmsnorm_axes{4096}) == "fused_add_rmsnorm_h4096");
static_assert(name_of(fused_add_rmsnorm_axes{5120}) == "fused_add_rmsnorm_h5120");
static_assert(name_of(fused_add_rmsnorm_axes{5376}) == "fused_add_rmsnorm_h5376");
static_assert(name_of(fused_add_rmsnorm_axes{6144}) == "fused_add_rmsnorm_h6144");
static_assert(name_of(fused_add_rmsnorm_axes{7168}) == "fused_add_rmsnorm_h7168");
static_assert(name_of(fused_add_rmsnorm_axes{8192}) == "fused_add_rmsnorm_h8192");
static_assert(name_of(gdn_decode_axes{16, 32, 128}) == "gdn_decode_qk16_v32_d128_k_last");
static_assert(name_of(gdn_decode_axes{4, 8, 128}) == "gdn_decode_qk4_v8_d128_k_last");
static_assert(name_of(gdn_decode_axes{8, 16, 128}) == "gdn_decode_qk8_v16_d128_k_last");
static_assert(name_of(gdn_mtp_axes{16, 32, 128}) == "gdn_mtp_qk16_v32_d128_k_last");
static_assert(name_of(gdn_mtp_axes{4, 8, 128}) == "gdn_mtp_qk4_v8_d128_k_last");
static_assert(name_of(gdn_mtp_axes{8, 16, 128}) == "gdn_mtp_qk8_v16_d128_k_last");
static_assert(name_of(gdn_prefill_axes{16, 32, 128}) == "gdn_prefill_qk16_v32_d128_k_last");
static_assert(name_of(gdn_prefill_axes{4, 8, 128}) == "gdn_prefill_qk4_v8_d128_k_last");
static_assert(name_of(gdn_prefill_axes{8, 16, 128}) == "gdn_prefill_qk8_v16_d128_k_last");
static_assert(name_of(gemm_axes{10240, 8192}) == "gemm_n10240_k8192");
static_assert(name_of(gemm_axes{106496, 16384}) == "gemm_n106496_k16384");
static_assert(name_of(gemm_axes{128, 2048}) == "gemm_n128_k2048");
static_assert(name_of(gemm_axes{16384, 16384}) == "gemm_n16384_k16384");
static_assert(name_of(gemm_axes{16384, 2048}) == "gemm_n16384_k2048");
static_assert(name_of(gemm_axes{16384, 3072}) == "gemm_n16384_k3072");
static_assert(name_of(gemm_axes{16384, 53248}) == "gemm_n16384_k53248");
static_assert(name_of(gemm_axes{16, 2048}) == "gemm_n16_k2048");
static_assert(name_of(gemm_axes{18432, 16384}) == "gemm_n18432_k16384");
static_assert(name_of(gemm_axes{19456, 2560}) == "gemm_n19456_k2560");
static_assert(name_of(gemm_axes{2048, 2048}) == "gemm_n2048_k2048");
static_assert(name_of(gemm_axes{2048, 256}) == "gemm_n2048_k256");
static_assert(name_of(gemm_axes{2048, 4096}) == "gemm_n2048_k4096");
static_assert(name_of(gemm_axes{2048, 5376}) == "gemm_n2048_k5376");
static_assert(name_of(gemm_axes{2048, 8192}) == "gemm_n2048_k8192");
static_assert(name_of(gemm_axes{21504, 5376}) == "gemm_n21504_k5376");
static_assert(name_of(gemm_axes{2560, 4096}) == "gemm_n2560_k4096");
static_assert(name_of(gemm_axes{2560, 9728}) == "gemm_n2560_k9728");
static_assert(name_of(gemm_axes{256, 2048}) == "gemm_n256_k2048");
static_assert(name_of(gemm_axes{256, 3072}) == "gemm_n256_k3072");
static_assert(name_of(gemm_axes{256, 7168}) == "gemm_n256_k7168");
static_assert(name_of(gemm_axes{28672, 4096}) == "gemm_n28672_k4096");
static_assert(name_of(gemm_axes{28672, 5120}) == "gemm_n28672_k5120");
static_assert(name_of(gemm_axes{28872, 5120}) == "gemm_n28872_k5120");
static_assert(name_of(gemm_axes{3072, 2048}) == "gemm_n3072_k2048");
static_assert(name_of(gemm_axes{3072, 3072}) == "gemm_n3072_k3072");
static_assert(name_of(gemm_axes{3072, 6144}) == "gemm_n3072_k6144");
static_assert(name_of(gemm_axes{3072, 8192}) == "gemm_n3072_k8192");
static_assert(name_of(gemm_axes{32768, 6144}) == "gemm_n32768_k6144");
static_assert(name_of(gemm_axes{34816, 5120}) == "gemm_n34816_k5120");
static_assert(name_of(gemm_axes{35840, 5120}) == "gemm_n35840_k5120");
static_assert(name_of(gemm_axes{3584, 18944}) == "gemm_n3584_k18944");
static_assert(name_of(gemm_axes{3584, 3584}) == "gemm_n3584_k3584");
static_assert(name_of(gemm_axes{37888, 3584}) == "gemm_n37888_k3584");
static_assert(name_of(gemm_axes{4096, 14336}) == "gemm_n4096_k14336");
static_assert(name_of(gemm_axes{4096, 2048}) == "gemm_n4096_k2048");
static_assert(name_of(gemm_axes{4096, 22016}) == "gemm_n4096_k22016");
static_assert(name_of(gemm_axes{4096, 4096}) == "gemm_n4096_k4096");
static_assert(name_of(gemm_axes{4096, 5376}) == "gemm_n4096_k5376");
static_assert(name_of(gemm_axes{44032, 4096}) == "gemm_n44032_k4096");
static_assert(name_of(gemm_axes{4608, 2048}) == "gemm_n4608_k2048");
static_assert(name_of(gemm_axes{4608, 3584}) == "gemm_n4608_k3584");
static_assert(name_of(gemm_axes{4608, 4096}) == "gemm_n4608_k4096");
static_assert(name_of(gemm_axes{5120, 14336}) == "gemm_n5120_k14336");
static_assert(name_of(gemm_axes{5120, 14436}) == "gemm_n5120_k14436");
static_assert(name_of(gemm_axes{5120, 17408}) == "gemm_n5120_k17408");
static_assert(name_of(gemm_axes{5120, 17920}) == "gemm_n5120_k17920");
static_assert(name_of(gemm_axes{5120, 2048}) == "gemm_n5120_k2048");
static_assert(name_of(gemm_axes{5120, 3072}) == "gemm_n5120_k3072");
static_assert(name_of(gemm_axes{5120, 4096}) == "gemm_n5120_k4096");
static_assert(name_of(gemm_axes{5120, 5120}) == "gemm_n5120_k5120");
static_assert(name_of(gemm_axes{512, 2048}) == "gemm_n512_k2048");
static_assert(name_of(gemm_axes{5376, 21504}) == "gemm_n5376_k21504");
static_assert(name_of(gemm_axes{5376, 4096}) == "gemm_n5376_k4096");
static_assert(name_of(gemm_axes{57344, 8192}) == "gemm_n57344_k8192");
static_assert(name_of(gemm_axes{59392, 8192}) == "gemm_n59392_k8192");
static_assert(name_of(gemm_axes{6144, 16384}) == "gemm_n6144_k16384");
static_assert(name_of(gemm_axes{6144, 2560}) == "gemm_n6144_k2560");
static_assert(name_of(gemm_axes{6144, 4096}) == "gemm_n6144_k4096");
static_assert(name_of(gemm_axes{6144, 5120}) == "gemm_n6144_k5120");
static_assert(name_of(gemm_axes{6144, 6144}) == "gemm_n6144_k6144");
static_assert(name_of(gemm_axes{7168, 5120}) == "gemm_n7168_k5120");
static_assert(name_of(gemm_axes{7680, 5120}) == "gemm_n7680_k5120");
static_assert(name_of(gemm_axes{8192, 28672}) == "gemm_n8192_k28672");
static_assert(name_of(gemm_axes{8192, 29696}) == "gemm_n8192_k29696");
static_assert(name_of(gemm_axes{8192, 3072}) == "gemm_n8192_k3072");
static_assert(name_of(gemm_axes{8192, 6144}) == "gemm_n8192_k6144");
static_assert(name_of(gemm_axes{8192, 8192}) == "gemm_n8192_k8192");
static_assert(name_of(gqa_paged_decode_axes{16, 1, 128, 1}) == "gqa_paged_decode_h16_kv1_d128_ps1");
static_assert(name_of(gqa_paged_decode_axes{16, 1, 128, 64}) == "gqa_paged_decode_h16_kv1_d128_ps64");
static_assert(name_of(gqa_paged_decode_axes{16, 1, 64, 1}) == "gqa_paged_decode_h16_kv1_d64_ps1");
static_assert(name_of(gqa_paged_decode_axes{16, 1, 64, 64}) == "gqa_paged_decode_h16_kv1_d64_ps64");
static_assert(name_of(gqa_paged_decode_axes{16, 2, 128, 1}) == "gqa_paged_decode_h16_kv2_d128_ps1");
static_assert(name_of(gqa_paged_decode_axes{16, 2, 128, 64}) == "gqa_paged_decode_h16_kv2_d128_ps64");
static_assert(name_of(gqa_paged_decode_axes{16, 2, 64, 1}) == "gqa_paged_decode_h16_kv2_d64_ps1");
static_assert(name_of(gqa_paged_decode_axes{16, 2, 64, 64}) == "gqa_paged_decode_h16_kv2_d64_ps64");
static_assert(name_of(gqa_paged_decode_axes{20, 4, 128, 1}) == "gqa_paged_decode_h20_kv4_d128_ps1");
static_assert(name_of(gqa_paged_decode_axes{20, 4, 128, 64}) == "gqa_paged_decode_h20_kv4_d128_ps64");
static_assert(name_of(gqa_paged_decode_axes{24, 4, 128, 1}) == "gqa_paged_decode_h24_kv4_d128_ps1");
static_assert(name_of(gqa_paged_decode_axes{24, 4, 128, 64}) == "gqa_paged_decode_h24_kv4_d128_ps64");
static_assert(name_of(gqa_paged_decode_axes{24, 8, 128, 1}) == "gqa_paged_decode_h24_kv8_d128_ps1");
static_assert(name_of(gqa_paged_decode_axes{24, 8, 128, 64}) == "gqa_paged_decode_h24_kv8_d128_ps64");
static_assert(name_of(gqa_paged_decode_axes{28, 4, 128, 1}) == "gqa_paged_decode_h28_kv4_d128_ps1");
static_assert(name_of(gqa_paged_decode_axes{28, 4, 128, 64}) == "gqa_paged_decode_h28_kv4_d128_ps64");
static_assert(name_of(gqa_paged_decode_axes{32, 16, 128, 1}) == "gqa_paged_decode_h32_kv16_d128_ps1");
static_assert(name_of(gqa_paged_decode_axes{32, 16, 128, 64}) == "gqa_paged_decode_h32_kv16_d128_ps64");
static_assert(name_of(gqa_paged_decode_axes{32, 2, 128, 1}) == "gqa_paged_decode_h32_kv2_d128_ps1");
static_assert(name_of(gqa_paged_decode_axes{32, 2, 128, 64}) == "gqa_paged_decode_h32_kv2_d128_ps64");
static_assert(name_of(gqa_paged_decode_axes{32, 4, 128, 1}) == "gqa_paged_decode_h32_kv4_d128_ps1");
static_assert(name_of(gqa_paged_decode_axes{32, 4, 128, 64}) == "gqa_paged_decode_h32_kv4_d128_ps64");
static_assert(name_of(gqa_paged_decode_axes{32, 8, 128, 1}) == "gqa_paged_decode_h32_kv8_d128_ps1");
static_assert(name_of(gqa_paged_decode_axes{32, 8, 128, 64}) == "gqa_paged_decode_h32_kv8_d128_ps64");
static_assert(name_of(gqa_paged_decode_axes{32, 8, 64, 1}) == "gqa_paged_decode_h32_kv8_d64_ps1");
static_assert(name_of(gqa_paged_decode_axes{32, 8, 64, 64}) == "gqa_paged_decode_h32_kv8_d64_ps64");
static_assert(name_of(gqa_paged_decode_axes{40, 10, 128, 1}) == "gqa_paged_decode_h40_kv10_d128_ps1");
static_assert(name_of(gqa_paged_decode_axes{40, 10, 128, 64}) == "gqa_paged_decode_h40_kv10_d128_ps64");
static_assert(name_of(gqa_paged_decode_axes{48, 8, 128, 1}) == "gqa_paged_decode_h48_kv8_d128_ps1");
static_assert(name_of(gqa_paged_decode_axes{48, 8, 128, 64}) == "gqa_paged_decode_h48_kv8_d128_ps64");
static_assert(name_of(gqa_paged_decode_axes{5, 1, 128, 1}) == "gqa_paged_decode_h5_kv1_d128_ps1");
static_assert(name_of(gqa_paged_decode_axes{5, 1, 128, 64}) == "gqa_paged_decode_h5_kv1_d128_ps64");
static_assert(name_of(gqa_paged_decode_axes{6, 1, 128, 1}) == "gqa_paged_decode_h6_kv1_d128_ps1");
static_assert(name_of(gqa_paged_decode_axes{6, 1, 128, 64}) == "gqa_paged_decode_h6_kv1_d128_ps64");
static_assert(name_of(gqa_paged_decode_axes{8, 1, 128, 1}) == "gqa_paged_decode_h8_kv1_d128_ps1");
static_assert(name_of(gqa_paged_decode_axes{8, 1, 128, 64}) == "gqa_paged_decode_h8_kv1_d128_ps64");
static_assert(name_of(gqa_paged_decode_axes{8, 1, 256, 1}) == "gqa_paged_decode_h8_kv1_d256_ps1");
static_assert(name_of(gqa_paged_prefill_causal_axes{16, 1, 128, 1}) == "gqa_paged_prefill_causal_h16_kv1_d128_ps1");
static_assert(name_of(gqa_paged_prefill_causal_axes{16, 1, 128, 64}) == "gqa_paged_prefill_causal_h16_kv1_d128_ps64");
static_assert(name_of(gqa_paged_prefill_causal_axes{16, 1, 64, 1}) == "gqa_paged_prefill_causal_h16_kv1_d64_ps1");
static_assert(name_of(gqa_paged_prefill_causal_axes{16, 1, 64, 64}) == "gqa_paged_prefill_causal_h16_kv1_d64_ps64");
static_assert(name_of(gqa_paged_prefill_causal_axes{16, 2, 128, 1}) == "gqa_paged_prefill_causal_h16_kv2_d128_ps1");
static_assert(name_of(gqa_paged_prefill_causal_axes{16, 2, 128, 64}) == "gqa_paged_prefill_causal_h16_kv2_d128_ps64");
static_assert(name_of(gqa_paged_prefill_causal_axes{16, 2, 64, 1}) == "gqa_paged_prefill_causal_h16_kv2_d64_ps1");
static_assert(name_of(gqa_paged_prefill_causal_axes{16, 2, 64, 64}) == "gqa_paged_prefill_causal_h16_kv2_d64_ps64");
static_assert(name_of(gqa_paged_prefill_causal_axes{20, 4, 128, 1}) == "gqa_paged_prefill_causal_h20_kv4_d128_ps1");
static_assert(name_of(gqa_paged_prefill_causal_axes{20, 4, 128, 64}) == "gqa_paged_prefill_causal_h20_kv4_d128_ps64");
static_assert(name_of(gqa_paged_prefill_causal_axes{24, 4, 128, 1}) == "gqa_paged_prefill_causal_h24_kv4_d128_ps1");
static_assert(name_of(gqa_paged_prefill_causal_axes{24, 4, 128, 64}) == "gqa_paged_prefill_causal_h24_kv4_d128_ps64");
static_assert(name_of(gqa_paged_prefill_causal_axes{24, 8, 128, 1}) == "gqa_paged_prefill_causal_h24_kv8_d128_ps1");
static_assert(name_of(gqa_paged_prefill_causal_axes{24, 8, 128, 64}) == "gqa_paged_prefill_causal_h24_kv8_d128_ps64");
static_assert(name_of(gqa_paged_prefill_causal_axes{28, 4, 128, 1}) == "gqa_paged_prefill_causal_h28_kv4_d128_ps1");
static_assert(name_of(gqa_paged_prefill_causal_axes{28, 4, 128, 64}) == "gqa_paged_prefill_causal_h28_kv4_d128_ps64");
static_assert(name_of(gqa_paged_prefill_causal_axes{32, 16, 128, 1}) == "gqa_paged_prefill_causal_h32_kv16_d128_ps1");
static_assert(name_of(gqa_paged_prefill_causal_axes{32, 16, 128, 64}) == "gqa_paged_prefill_causal_h32_kv16_d128_ps64");
static_assert(name_of(gqa_paged_prefill_causal_axes{32, 2, 128, 1}) == "gqa_paged_prefill_causal_h32_kv2_d128_ps1");
static_assert(name_of(gqa_paged_prefill_causal_axes{32, 2, 128, 64}) == "gqa_paged_prefill_causal_h32_kv2_d128_ps64");
static_assert(name_of(gqa_paged_prefill_causal_axes{32, 4, 128, 1}) == "gqa_paged_prefill_causal_h32_kv4_d128_ps1");
static_assert(name_of(gqa_paged_prefill_causal_axes{32, 4, 128, 64}) == "gqa_paged_prefill_causal_h32_kv4_d128_ps64");
static_assert(name_of(gqa_paged_prefill_causal_axes{32, 8, 128, 1}) == "gqa_paged_prefill_causal_h32_kv8_d128_ps1");
static_assert(name_of(gqa_paged_prefill_causal_axes{32, 8, 128, 64}) == "gqa_paged_prefill_causal_h32_kv8_d128_ps64");
static_assert(name_of(gqa_paged_prefill_causal_axes{32, 8, 64, 1}) == "gqa_paged_prefill_causal_h32_kv8_d64_ps1");
static_assert(name_of(gqa_paged_prefill_causal_axes{32, 8, 64, 64}) == "gqa_paged_prefill_causal_h32_kv8_d64_ps64");
static_assert(name_of(gqa_paged_prefill_causal_axes{40, 10, 128, 1}) == "gqa_paged_prefill_causal_h40_kv10_d128_ps1");
static_assert(name_of(gqa_paged_prefill_causal_axes{40, 10, 128, 64}) == "gqa_paged_prefill_causal_h40_kv10_d128_ps64");
static_assert(name_of(gqa_paged_prefill_causal_axes{48, 8, 128, 1}) == "gqa_paged_prefill_causal_h48_kv8_d128_ps1");
static_assert(name_of(gqa_paged_prefill_causal_axes{48, 8, 128, 64}) == "gqa_paged_prefill_causal_h48_kv8_d128_ps64");
static_assert(name_of(gqa_paged_prefill_causal_axes{5, 1, 128, 1}) == "gqa_paged_prefill_causal_h5_kv1_d128_ps1");
static_assert(name_of(gqa_paged_prefill_causal_axes{5, 1, 128, 64}) == "gqa_paged_prefill_causal_h5_kv1_d128_ps64");
static_assert(name_of(gqa_paged_prefill_causal_axes{6, 1, 128, 1}) == "gqa_paged_prefill_causal_h6_kv1_d128_ps1");
static_assert(name_of(gqa_paged_prefill_causal_axes{6, 1, 128, 64}) == "gqa_paged_prefill_causal_h6_kv1_d128_ps64");
static_assert(name_of(gqa_paged_prefill_causal_axes{8, 1, 128, 1}) == "gqa_paged_prefill_causal_h8_kv1_d128_ps1");
static_assert(name_of(gqa_paged_prefill_causal_axes{8, 1, 128, 64}) == "gqa_paged_prefill_causal_h8_kv1_d128_ps64");
static_assert(name_of(gqa_paged_prefill_causal_axes{8, 1, 256, 1}) == "gqa_paged_prefill_causal_h8_kv1_d256_ps1");
static_assert(name_of(gqa_ragged_prefill_causal_axes{16, 1, 128}) == "gqa_ragged_prefill_causal_h16_kv1_d128");
static_assert(name_of(gqa_ragged_prefill_causal_axes{16, 1, 64}) == "gqa_ragged_prefill_causal_h16_kv1_d64");
static_assert(name_of(gqa_ragged_prefill_causal_axes{16, 2, 128}) == "gqa_ragged_prefill_causal_h16_kv2_d128");
static_assert(name_of(gqa_ragged_prefill_causal_axes{16, 2, 64}) == "gqa_ragged_prefill_causal_h16_kv2_d64");
static_assert(name_of(gqa_ragged_prefill_causal_axes{20, 4, 128}) == "gqa_ragged_prefill_causal_h20_kv4_d128");
static_assert(name_of(gqa_ragged_prefill_causal_axes{24, 8, 128}) == "gqa_ragged_prefill_causal_h24_kv8_d128");
static_assert(name_of(gqa_ragged_prefill_causal_axes{28, 4, 128}) == "gqa_ragged_prefill_causal_h28_kv4_d128");
static_assert(name_of(gqa_ragged_prefill_causal_axes{32, 16, 128}) == "gqa_ragged_prefill_causal_h32_kv16_d128");
static_assert(name_of(gqa_ragged_prefill_causal_axes{32, 2, 128}) == "gqa_ragged_prefill_causal_h32_kv2_d128");
static_assert(name_of(gqa_ragged_prefill_causal_axes{32, 4, 128}) == "gqa_ragged_prefill_causal_h32_kv4_d128");
static_assert(name_of(gqa_ragged_prefill_causal_axes{32, 8, 128}) == "gqa_ragged_prefill_causal_h32_kv8_d128");
static_assert(name_of(gqa_ragged_prefill_causal_axes{32, 8, 64}) == "gqa_ragged_prefill_causal_h32_kv8_d64");
static_assert(name_of(gqa_ragged_prefill_causal_axes{40, 10, 128}) == "gqa_ragged_prefill_causal_h40_kv10_d128");
static_assert(name_of(gqa_ragged_prefill_causal_axes{48, 8, 128}) == "gqa_ragged_prefill_causal_h48_kv8_d128");
static_assert(name_of(gqa_ragged_prefill_causal_axes{5, 1, 128}) == "gqa_ragged_prefill_causal_h5_kv1_d128");
static_assert(name_of(gqa_ragged_prefill_causal_axes{64, 8, 128}) == "gqa_ragged_prefill_causal_h64_kv8_d128");
static_assert(name_of(gqa_ragged_prefill_causal_axes{64, 8, 64}) == "gqa_ragged_prefill_causal_h64_kv8_d64");
static_assert(name_of(gqa_ragged_prefill_causal_axes{6, 1, 128}) == "gqa_ragged_prefill_causal_h6_kv1_d128");
static_assert(name_of(gqa_ragged_prefill_causal_axes{8, 1, 128}) == "gqa_ragged_prefill_causal_h8_kv1_d128");
static_assert(name_of(gqa_ragged_prefill_causal_axes{8, 1, 256}) == "gqa_ragged_prefill_causal_h8_kv1_d256");
static_assert(name_of(mamba_ssu_decode_axes{128, 64, 128, 8}) == "mamba_ssu_decode_h128_d64_s128_ng8");
static_assert(name_of(mamba_ssu_decode_axes{64, 64, 128, 4}) == "mamba_ssu_decode_h64_d64_s128_ng4");
static_assert(name_of(mla_paged_decode_axes{16, 512, 64, 1}) == "mla_paged_decode_h16_ckv512_kpe64_ps1");
static_assert(name_of(mla_paged_decode_axes{16, 512, 64, 64}) == "mla_paged_decode_h16_ckv512_kpe64_ps64");
static_assert(name_of(mla_paged_decode_axes{8, 512, 64, 1}) == "mla_paged_decode_h8_ckv512_kpe64_ps1");
static_assert(name_of(mla_paged_decode_axes{8, 512, 64, 64}) == "mla_paged_decode_h8_ckv512_kpe64_ps64");
static_assert(name_of(mla_paged_prefill_causal_axes{16, 512, 64, 1}) == "mla_paged_prefill_causal_h16_ckv512_kpe64_ps1");
static_assert(name_of(mla_paged_prefill_causal_axes{16, 512, 64, 64}) == "mla_paged_prefill_causal_h16_ckv512_kpe64_ps64");
static_assert(name_of(mla_paged_prefill_causal_axes{8, 512, 64, 1}) == "mla_paged_prefill_causal_h8_ckv512_kpe64_ps1");
static_assert(name_of(mla_paged_prefill_causal_axes{8, 512, 64, 64}) == "mla_paged_prefill_causal_h8_ckv512_kpe64_ps64");
static_assert(name_of(mla_ragged_prefill_causal_axes{16, 192, 128}) == "mla_ragged_prefill_causal_h16_qk192_vo128");
static_assert(name_of(mla_ragged_prefill_causal_axes{8, 192, 128}) == "mla_ragged_prefill_causal_h8_qk192_vo128");
static_assert(name_of(moe_fp8_block_scale_ds_routing_axes{8, 1, 1, 256, 256, 3072, 1536}) == "moe_fp8_block_scale_ds_routing_topk8_ng1_kg1_e256_h3072_i1536");
static_assert(name_of(moe_fp8_block_scale_ds_routing_axes{8, 1, 1, 384, 384, 7168, 2048}) == "moe_fp8_block_scale_ds_routing_topk8_ng1_kg1_e384_h7168_i2048");
static_assert(name_of(moe_fp8_block_scale_ds_routing_axes{8, 1, 1, 384, 48, 7168, 2048}) == "moe_fp8_block_scale_ds_routing_topk8_ng1_kg1_e48_h7168_i2048");
static_assert(name_of(moe_fp8_block_scale_ds_routing_axes{8, 8, 4, 256, 32, 7168, 2048}) == "moe_fp8_block_scale_ds_routing_topk8_ng8_kg4_e32_h7168_i2048");
static_assert(name_of(moe_fp8_block_scale_renorm_axes{10, 512, 128, 2048, 512}) == "moe_fp8_block_scale_renorm_topk10_e128_h2048_i512");
static_assert(name_of(moe_fp8_block_scale_renorm_axes{8, 128, 128, 2048, 768}) == "moe_fp8_block_scale_renorm_topk8_e128_h2048_i768");
static_assert(name_of(moe_fp8_block_scale_renorm_axes{8, 128, 128, 4096, 1536}) == "moe_fp8_block_scale_renorm_topk8_e128_h4096_i1536");
static_assert(name_of(rmsnorm_axes{128}) == "rmsnorm_h128");
static_assert(name_of(rmsnorm_axes{1536}) == "rmsnorm_h1536");
static_assert(name_of(rmsnorm_axes{16384}) == "rmsnorm_h16384");
static_assert(name_of(rmsnorm_axes{2048}) == "rmsnorm_h2048");
static_assert(name_of(rmsnorm_axes{2560}) == "rmsnorm_h2560");
static_assert(name_of(rmsnorm_axes{2880}) == "rmsnorm_h2880");
static_assert(name_of(rmsnorm_axes{3072}) == "rmsnorm_h3072");
static_assert(name_of(rmsnorm_axes{3584}) == "rmsnorm_h3584");
static_assert(name_of(rmsnorm_axes{4096}) == "rmsnorm_h4096");
static_assert(name_of(rmsnorm_axes{512}) == "rmsnorm_h512");
static_assert(name_of(rmsnorm_axes{5120}) == "rmsnorm_h5120");
static_assert(name_of(rmsnorm_axes{5376}) == "rmsnorm_h5376");
static_assert(name_of(rmsnorm_axes{6144}) == "rmsnorm_h6144");
static_assert(name_of(rmsnorm_axes{7168}) == "rmsnorm_h7168");
static_assert(name_of(rmsnorm_axes{8192}) == "rmsnorm_h8192");
static_assert(name_of(rope_with_cos_sin_cache_axes{rope_style::neox, 128, 64}) == "rope_with_cos_sin_cache_neox_style_d128_rd64");
static_assert(name_of(top_k_sampling_from_probs_axes{100352}) == "top_k_sampling_from_probs_v100352");
static_assert(name_of(top_k_sampling_from_probs_axes{128256}) == "top_k_sampling_from_probs_v128256");
static_assert(name_of(top_k_sampling_from_probs_axes{129280}) == "top_k_sampling_from_probs_v129280");
static_assert(name_of(top_k_sampling_from_probs_axes{131072}) == "top_k_sampling_from_probs_v131072");
static_assert(name_of(top_k_sampling_from_probs_axes{151936}) == "top_k_sampling_from_probs_v151936");
static_assert(name_of(top_k_sampling_from_probs_axes{152064}) == "top_k_sampling_from_probs_v152064");
static_assert(name_of(top_k_sampling_from_probs_axes{160000}) == "top_k_sampling_from_probs_v160000");
static_assert(name_of(top_k_sampling_from_probs_axes{163840}) == "top_k_sampling_from_probs_v163840");
static_assert(name_of(top_k_sampling_from_probs_axes{200064}) == "top_k_sampling_from_probs_v200064");
static_assert(name_of(top_k_sampling_from_probs_axes{202048}) == "top_k_sampling_from_probs_v202048");
static_assert(name_of(top_k_sampling_from_probs_axes{262208}) == "top_k_sampling_from_probs_v262208");
static_assert(name_of(top_k_sampling_from_probs_axes{32000}) == "top_k_sampling_from_probs_v32000");
static_assert(name_of(top_k_sampling_from_probs_axes{32768}) == "top_k_sampling_from_probs_v32768");
static_assert(name_of(top_k_top_p_sampling_from_probs_axes{100352}) == "top_k_top_p_sampling_from_probs_v100352");
static_assert(name_of(top_k_top_p_sampling_from_probs_axes{128256}) == "top_k_top_p_sampling_from_probs_v128256");
static_assert(name_of(top_k_top_p_sampling_from_probs_axes{129280}) == "top_k_top_p_sampling_from_probs_v129280");
static_assert(name_of(top_k_top_p_sampling_from_probs_axes{131072}) == "top_k_top_p_sampling_from_probs_v131072");
static_assert(name_of(top_k_top_p_sampling_from_probs_axes{151936}) == "top_k_top_p_sampling_from_probs_v151936");
static_assert(name_of(top_k_top_p_sampling_from_probs_axes{152064}) == "top_k_top_p_sampling_from_probs_v152064");
static_assert(name_of(top_k_top_p_sampling_from_probs_axes{160000}) == "top_k_top_p_sampling_from_probs_v160000");
static_assert(name_of(top_k_top_p_sampling_from_probs_axes{163840}) == "top_k_top_p_sampling_from_probs_v163840");
static_assert(name_of(top_k_top_p_sampling_from_probs_axes{200064}) == "top_k_top_p_sampling_from_probs_v200064");
static_assert(name_of(top_k_top_p_sampling_from_probs_axes{202048}) == "top_k_top_p_sampling_from_probs_v202048");
static_assert(name_of(top_k_top_p_sampling_from_probs_axes{248320}) == "top_k_top_p_sampling_from_probs_v248320");
static_assert(name_of(top_k_top_p_sampling_from_probs_axes{262208}) == "top_k_top_p_sampling_from_probs_v262208");
static_assert(name_of(top_k_top_p_sampling_from_probs_axes{32000}) == "top_k_top_p_sampling_from_probs_v32000");
static_assert(name_of(top_k_top_p_sampling_from_probs_axes{32768}) == "top_k_top_p_sampling_from_probs_v32768");
static_assert(name_of(top_p_sampling_from_probs_axes{100352}) == "top_p_sampling_from_probs_v100352");
static_assert(name_of(top_p_sampling_from_probs_axes{128256}) == "top_p_sampling_from_probs_v128256");
static_assert(name_of(top_p_sampling_from_probs_axes{129280}) == "top_p_sampling_from_probs_v129280");
static_assert(name_of(top_p_sampling_from_probs_axes{131072}) == "top_p_sampling_from_probs_v131072");
static_assert(name_of(top_p_sampling_from_probs_axes{151936}) == "top_p_sampling_from_probs_v151936");
static_assert(name_of(top_p_sampling_from_probs_axes{152064}) == "top_p_sampling_from_probs_v152064");
static_assert(name_of(top_p_sampling_from_probs_axes{160000}) == "top_p_sampling_from_probs_v160000");
static_assert(name_of(top_p_sampling_from_probs_axes{163840}) == "top_p_sampling_from_probs_v163840");
static_assert(name_of(top_p_sampling_from_probs_axes{200064}) == "top_p_sampling_from_probs_v200064");
static_assert(name_of(top_p_sampling_from_probs_axes{202048}) == "top_p_sampling_from_probs_v202048");
static_assert(name_of(top_p_sampling_from_probs_axes{262208}) == "top_p_sampling_from_probs_v262208");
static_assert(name_of(top_p_sampling_from_probs_axes{32000}) == "top_p_sampling_from_probs_v32000");
static_assert(name_of(top_p_sampling_from_probs_axes{32768}) == "top_p_sampling_from_probs_v32768");

const std::array<pinned_name<dsa_sparse_attention_axes>, 4> dsa_sparse_attention_names{{
    {dsa_sparse_attention_axes{16, 512, 64, 2048, 1}, "dsa_sparse_attention_h16_ckv512_kpe64_topk2048_ps1"},
    {dsa_sparse_attention_axes{16, 512, 64, 2048, 64}, "dsa_sparse_attention_h16_ckv512_kpe64_topk2048_ps64"},
    {dsa_sparse_attention_axes{16, 512, 64, 256, 1}, "dsa_sparse_attention_h16_ckv512_kpe64_topk256_ps1"},
    {dsa_sparse_attention_axes{16, 512, 64, 256, 64}, "dsa_sparse_attention_h16_ckv512_kpe64_topk256_ps64"},
}};
const std::array<pinned_name<dsa_topk_indexer_fp8_axes>, 2> dsa_topk_indexer_fp8_names{{
    {dsa_topk_indexer_fp8_axes{64, 128, 2048, 64}, "dsa_topk_indexer_fp8_h64_d128_topk2048_ps64"},
    {dsa_topk_indexer_fp8_axes{64, 128, 256, 64}, "dsa_topk_indexer_fp8_h64_d128_topk256_ps64"},
}};
const std::array<pinned_name<gemma_rmsnorm_axes>, 2> gemma_rmsnorm_names{{
    {gemma_rmsnorm_axes{2048}, "gemma_rmsnorm_h2048"},
    {gemma_rmsnorm_axes{256}, "gemma_rmsnorm_h256"},
}};
const std::array<pinned_name<gemma_fused_add_rmsnorm_axes>, 1> gemma_fused_add_rmsnorm_names{{
    {gemma_fused_add_rmsnorm_axes{2048}, "gemma_fused_add_rmsnorm_h2048"},
}};
const std::array<pinned_name<fused_add_rmsnorm_axes>, 12> fused_add_rmsnorm_names{{
    {fused_add_rmsnorm_axes{16384}, "fused_add_rmsnorm_h16384"},
    {fused_add_rmsnorm_axes{2048}, "fused_add_rmsnorm_h2048"},
    {fused_add_rmsnorm_axes{2560}, "fused_add_rmsnorm_h2560"},
    {fused_add_rmsnorm_axes{2880}, "fused_add_rmsnorm_h2880"},
    {fused_add_rmsnorm_axes{3072}, "fused_add_rmsnorm_h3072"},
    {fused_add_rmsnorm_axes{3584}, "fused_add_rmsnorm_h3584"},
    {fused_add_rmsnorm_axes{4096}, "fused_add_rmsnorm_h4096"},
    {fused_add_rmsnorm_axes{5120}, "fused_add_rmsnorm_h5120"},
    {fused_add_rmsnorm_axes{5376}, "fused_add_rmsnorm_h5376"},
    {fused_add_rmsnorm_axes{6144}, "fused_add_rmsnorm_h6144"},
    {fused_add_rmsnorm_axes{7168}, "fused_add_rmsnorm_h7168"},
    {fused_add_rmsnorm_axes{8192}, "fused_add_rmsnorm_h8192"},
}};
const std::array<pinned_name<gdn_decode_axes>, 3> gdn_decode_names{{
    {gdn_decode_axes{16, 32, 128}, "gdn_decode_qk16_v32_d128_k_last"},
    {gdn_decode_axes{4, 8, 128}, "gdn_decode_qk4_v8_d128_k_last"},
    {gdn_decode_axes{8, 16, 128}, "gdn_decode_qk8_v16_d128_k_last"},
}};
const std::array<pinned_name<gdn_mtp_axes>, 3> gdn_mtp_names{{
    {gdn_mtp_axes{16, 32, 128}, "gdn_mtp_qk16_v32_d128_k_last"},
    {gdn_mtp_axes{4, 8, 128}, "gdn_mtp_qk4_v8_d128_k_last"},
    {gdn_mtp_axes{8, 16, 128}, "gdn_mtp_qk8_v16_d128_k_last"},
}};
const std::array<pinned_name<gdn_prefill_axes>, 3> gdn_prefill_names{{
    {gdn_prefill_axes{16, 32, 128}, "gdn_prefill_qk16_v32_d128_k_last"},
    {gdn_prefill_axes{4, 8, 128}, "gdn_prefill_qk4_v8_d128_k_last"},
    {gdn_prefill_axes{8, 16, 128}, "gdn_prefill_qk8_v16_d128_k_last"},
}};
const std::array<pinned_name<gemm_axes>, 68> gemm_names{{
    {gemm_axes{10240, 8192}, "gemm_n10240_k8192"},
    {gemm_axes{106496, 16384}, "gemm_n106496_k16384"},
    {gemm_axes{128, 2048}, "gemm_n128_k2048"},
    {gemm_axes{16384, 16384}, "gemm_n16384_k16384"},
    {gemm_axes{16384, 2048}, "gemm_n16384_k2048"},
    {gemm_axes{16384, 3072}, "gemm_n16384_k3072"},
    {gemm_axes{16384, 53248}, "gemm_n16384_k53248"},
    {gemm_axes{16, 2048}, "gemm_n16_k2048"},
    {gemm_axes{18432, 16384}, "gemm_n18432_k16384"},
    {gemm_axes{19456, 2560}, "gemm_n19456_k2560"},
    {gemm_axes{2048, 2048}, "gemm_n2048_k2048"},
    {gemm_axes{2048, 256}, "gemm_n2048_k256"},
    {gemm_axes{2048, 4096}, "gemm_n2048_k4096"},
    {gemm_axes{2048, 5376}, "gemm_n2048_k5376"},
    {gemm_axes{2048, 8192}, "gemm_n2048_k8192"},
    {gemm_axes{21504, 5376}, "gemm_n21504_k5376"},
    {gemm_axes{2560, 4096}, "gemm_n2560_k4096"},
    {gemm_axes{2560, 9728}, "gemm_n2560_k9728"},
    {gemm_axes{256, 2048}, "gemm_n256_k2048"},
    {gemm_axes{256, 3072}, "gemm_n256_k3072"},
    {gemm_axes{256, 7168}, "gemm_n256_k7168"},
    {gemm_axes{28672, 4096}, "gemm_n28672_k4096"},
    {gemm_axes{28672, 5120}, "gemm_n28672_k5120"},
    {gemm_axes{28872, 5120}, "gemm_n28872_k5120"},
    {gemm_axes{3072, 2048}, "gemm_n3072_k2048"},
    {gemm_axes{3072, 3072}, "gemm_n3072_k3072"},
    {gemm_axes{3072, 6144}, "gemm_n3072_k6144"},
    {gemm_axes{3072, 8192}, "gemm_n3072_k8192"},
    {gemm_axes{32768, 6144}, "gemm_n32768_k6144"},
    {gemm_axes{34816, 5120}, "gemm_n34816_k5120"},
    {gemm_axes{35840, 5120}, "gemm_n35840_k5120"},
    {gemm_axes{3584, 18944}, "gemm_n3584_k18944"},
    {gemm_axes{3584, 3584}, "gemm_n3584_k3584"},
    {gemm_axes{37888, 3584}, "gemm_n37888_k3584"},
    {gemm_axes{4096, 14336}, "gemm_n4096_k14336"},
    {gemm_axes{4096, 2048}, "gemm_n4096_k2048"},
    {gemm_axes{4096, 22016}, "gemm_n4096_k22016"},
    {gemm_axes{4096, 4096}, "gemm_n4096_k4096"},
    {gemm_axes{4096, 5376}, "gemm_n4096_k5376"},
    {gemm_axes{44032, 4096}, "gemm_n44032_k4096"},
    {gemm_axes{4608, 2048}, "gemm_n4608_k2048"},
    {gemm_axes{4608, 3584}, "gemm_n4608_k3584"},
    {gemm_axes{4608, 4096}, "gemm_n4608_k4096"},
    {gemm_axes{5120, 14336}, "gemm_n5120_k14336"},
    {gemm_axes{5120, 14436}, "gemm_n5120_k14436"},
    {gemm_axes{5120, 17408}, "gemm_n5120_k17408"},
    {gemm_axes{5120, 17920}, "gemm_n5120_k17920"},
    {gemm_axes{5120, 2048}, "gemm_n5120_k2048"},
    {gemm_axes{5120, 3072}, "gemm_n5120_k3072"},
    {gemm_axes{5120, 4096}, "gemm_n5120_k4096"},
    {gemm_axes{5120, 5120}, "gemm_n5120_k5120"},
    {gemm_axes{512, 2048}, "gemm_n512_k2048"},
    {gemm_axes{5376, 21504}, "gemm_n5376_k21504"},
    {gemm_axes{5376, 4096}, "gemm_n5376_k4096"},
    {gemm_axes{57344, 8192}, "gemm_n57344_k8192"},
    {gemm_axes{59392, 8192}, "gemm_n59392_k8192"},
    {gemm_axes{6144, 16384}, "gemm_n6144_k16384"},
    {gemm_axes{6144, 2560}, "gemm_n6144_k2560"},
    {gemm_axes{6144, 4096}, "gemm_n6144_k4096"},
    {gemm_axes{6144, 5120}, "gemm_n6144_k5120"},
    {gemm_axes{6144, 6144}, "gemm_n6144_k6144"},
    {gemm_axes{7168, 5120}, "gemm_n7168_k5120"},
    {gemm_axes{7680, 5120}, "gemm_n7680_k5120"},
    {gemm_axes{8192, 28672}, "gemm_n8192_k28672"},
    {gemm_axes{8192, 29696}, "gemm_n8192_k29696"},
    {gemm_axes{8192, 3072}, "gemm_n8192_k3072"},
    {gemm_axes{8192, 6144}, "gemm_n8192_k6144"},
    {gemm_axes{8192, 8192}, "gemm_n8192_k8192"},
}};
const std::array<pinned_name<gqa_paged_decode_axes>, 37> gqa_paged_decode_names{{
    {gqa_paged_decode_axes{16, 1, 128, 1}, "gqa_paged_decode_h16_kv1_d128_ps1"},
    {gqa_paged_decode_axes{16, 1, 128, 64}, "gqa_paged_decode_h16_kv1_d128_ps64"},
    {gqa_paged_decode_axes{16, 1, 64, 1}, "gqa_paged_decode_h16_kv1_d64_ps1"},
    {gqa_paged_decode_axes{16, 1, 64, 64}, "gqa_paged_decode_h16_kv1_d64_ps64"},
    {gqa_paged_decode_axes{16, 2, 128, 1}, "gqa_paged_decode_h16_kv2_d128_ps1"},
    {gqa_paged_decode_axes{16, 2, 128, 64}, "gqa_paged_decode_h16_kv2_d128_ps64"},
    {gqa_paged_decode_axes{16, 2, 64, 1}, "gqa_paged_decode_h16_kv2_d64_ps1"},
    {gqa_paged_decode_axes{16, 2, 64, 64}, "gqa_paged_decode_h16_kv2_d64_ps64"},
    {gqa_paged_decode_axes{20, 4, 128, 1}, "gqa_paged_decode_h20_kv4_d128_ps1"},
    {gqa_paged_decode_axes{20, 4, 128, 64}, "gqa_paged_decode_h20_kv4_d128_ps64"},
    {gqa_paged_decode_axes{24, 4, 128, 1}, "gqa_paged_decode_h24_kv4_d128_ps1"},
    {gqa_paged_decode_axes{24, 4, 128, 64}, "gqa_paged_decode_h24_kv4_d128_ps64"},
    {gqa_paged_decode_axes{24, 8, 128, 1}, "gqa_paged_decode_h24_kv8_d128_ps1"},
    {gqa_paged_decode_axes{24, 8, 128, 64}, "gqa_paged_decode_h24_kv8_d128_ps64"},
    {gqa_paged_decode_axes{28, 4, 128, 1}, "gqa_paged_decode_h28_kv4_d128_ps1"},
    {gqa_paged_decode_axes{28, 4, 128, 64}, "gqa_paged_decode_h28_kv4_d128_ps64"},
    {gqa_paged_decode_axes{32, 16, 128, 1}, "gqa_paged_decode_h32_kv16_d128_ps1"},
    {gqa_paged_decode_axes{32, 16, 128, 64}, "gqa_paged_decode_h32_kv16_d128_ps64"},
    {gqa_paged_decode_axes{32, 2, 128, 1}, "gqa_paged_decode_h32_kv2_d128_ps1"},
    {gqa_paged_decode_axes{32, 2, 128, 64}, "gqa_paged_decode_h32_kv2_d128_ps64"},
    {gqa_paged_decode_axes{32, 4, 128, 1}, "gqa_paged_decode_h32_kv4_d128_ps1"},
    {gqa_paged_decode_axes{32, 4, 128, 64}, "gqa_paged_decode_h32_kv4_d128_ps64"},
    {gqa_paged_decode_axes{32, 8, 128, 1}, "gqa_paged_decode_h32_kv8_d128_ps1"},
    {gqa_paged_decode_axes{32, 8, 128, 64}, "gqa_paged_decode_h32_kv8_d128_ps64"},
    {gqa_paged_decode_axes{32, 8, 64, 1}, "gqa_paged_decode_h32_kv8_d64_ps1"},
    {gqa_paged_decode_axes{32, 8, 64, 64}, "gqa_paged_decode_h32_kv8_d64_ps64"},
    {gqa_paged_decode_axes{40, 10, 128, 1}, "gqa_paged_decode_h40_kv10_d128_ps1"},
    {gqa_paged_decode_axes{40, 10, 128, 64}, "gqa_paged_decode_h40_kv10_d128_ps64"},
    {gqa_paged_decode_axes{48, 8, 128, 1}, "gqa_paged_decode_h48_kv8_d128_ps1"},
    {gqa_paged_decode_axes{48, 8, 128, 64}, "gqa_paged_decode_h48_kv8_d128_ps64"},
    {gqa_paged_decode_axes{5, 1, 128, 1}, "gqa_paged_decode_h5_kv1_d128_ps1"},
    {gqa_paged_decode_axes{5, 1, 128, 64}, "gqa_paged_decode_h5_kv1_d128_ps64"},
    {gqa_paged_decode_axes{6, 1, 128, 1}, "gqa_paged_decode_h6_kv1_d128_ps1"},
    {gqa_paged_decode_axes{6, 1, 128, 64}, "gqa_paged_decode_h6_kv1_d128_ps64"},
    {gqa_paged_decode_axes{8, 1, 128, 1}, "gqa_paged_decode_h8_kv1_d128_ps1"},
    {gqa_paged_decode_axes{8, 1, 128, 64}, "gqa_paged_decode_h8_kv1_d128_ps64"},
    {gqa_paged_decode_axes{8, 1, 256, 1}, "gqa_paged_decode_h8_kv1_d256_ps1"},
}};
const std::array<pinned_name<gqa_paged_prefill_causal_axes>, 37> gqa_paged_prefill_causal_names{{
    {gqa_paged_prefill_causal_axes{16, 1, 128, 1}, "gqa_paged_prefill_causal_h16_kv1_d128_ps1"},
    {gqa_paged_prefill_causal_axes{16, 1, 128, 64}, "gqa_paged_prefill_causal_h16_kv1_d128_ps64"},
    {gqa_paged_prefill_causal_axes{16, 1, 64, 1}, "gqa_paged_prefill_causal_h16_kv1_d64_ps1"},
    {gqa_paged_prefill_causal_axes{16, 1, 64, 64}, "gqa_paged_prefill_causal_h16_kv1_d64_ps64"},
    {gqa_paged_prefill_causal_axes{16, 2, 128, 1}, "gqa_paged_prefill_causal_h16_kv2_d128_ps1"},
    {gqa_paged_prefill_causal_axes{16, 2, 128, 64}, "gqa_paged_prefill_causal_h16_kv2_d128_ps64"},
    {gqa_paged_prefill_causal_axes{16, 2, 64, 1}, "gqa_paged_prefill_causal_h16_kv2_d64_ps1"},
    {gqa_paged_prefill_causal_axes{16, 2, 64, 64}, "gqa_paged_prefill_causal_h16_kv2_d64_ps64"},
    {gqa_paged_prefill_causal_axes{20, 4, 128, 1}, "gqa_paged_prefill_causal_h20_kv4_d128_ps1"},
    {gqa_paged_prefill_causal_axes{20, 4, 128, 64}, "gqa_paged_prefill_causal_h20_kv4_d128_ps64"},
    {gqa_paged_prefill_causal_axes{24, 4, 128, 1}, "gqa_paged_prefill_causal_h24_kv4_d128_ps1"},
    {gqa_paged_prefill_causal_axes{24, 4, 128, 64}, "gqa_paged_prefill_causal_h24_kv4_d128_ps64"},
    {gqa_paged_prefill_causal_axes{24, 8, 128, 1}, "gqa_paged_prefill_causal_h24_kv8_d128_ps1"},
    {gqa_paged_prefill_causal_axes{24, 8, 128, 64}, "gqa_paged_prefill_causal_h24_kv8_d128_ps64"},
    {gqa_paged_prefill_causal_axes{28, 4, 128, 1}, "gqa_paged_prefill_causal_h28_kv4_d128_ps1"},
    {gqa_paged_prefill_causal_axes{28, 4, 128, 64}, "gqa_paged_prefill_causal_h28_kv4_d128_ps64"},
    {gqa_paged_prefill_causal_axes{32, 16, 128, 1}, "gqa_paged_prefill_causal_h32_kv16_d128_ps1"},
    {gqa_paged_prefill_causal_axes{32, 16, 128, 64}, "gqa_paged_prefill_causal_h32_kv16_d128_ps64"},
    {gqa_paged_prefill_causal_axes{32, 2, 128, 1}, "gqa_paged_prefill_causal_h32_kv2_d128_ps1"},
    {gqa_paged_prefill_causal_axes{32, 2, 128, 64}, "gqa_paged_prefill_causal_h32_kv2_d128_ps64"},
    {gqa_paged_prefill_causal_axes{32, 4, 128, 1}, "gqa_paged_prefill_causal_h32_kv4_d128_ps1"},
    {gqa_paged_prefill_causal_axes{32, 4, 128, 64}, "gqa_paged_prefill_causal_h32_kv4_d128_ps64"},
    {gqa_paged_prefill_causal_axes{32, 8, 128, 1}, "gqa_paged_prefill_causal_h32_kv8_d128_ps1"},
    {gqa_paged_prefill_causal_axes{32, 8, 128, 64}, "gqa_paged_prefill_causal_h32_kv8_d128_ps64"},
    {gqa_paged_prefill_causal_axes{32, 8, 64, 1}, "gqa_paged_prefill_causal_h32_kv8_d64_ps1"},
    {gqa_paged_prefill_causal_axes{32, 8, 64, 64}, "gqa_paged_prefill_causal_h32_kv8_d64_ps64"},
    {gqa_paged_prefill_causal_axes{40, 10, 128, 1}, "gqa_paged_prefill_causal_h40_kv10_d128_ps1"},
    {gqa_paged_prefill_causal_axes{40, 10, 128, 64}, "gqa_paged_prefill_causal_h40_kv10_d128_ps64"},
    {gqa_paged_prefill_causal_axes{48, 8, 128, 1}, "gqa_paged_prefill_causal_h48_kv8_d128_ps1"},
    {gqa_paged_prefill_causal_axes{48, 8, 128, 64}, "gqa_paged_prefill_causal_h48_kv8_d128_ps64"},
    {gqa_paged_prefill_causal_axes{5, 1, 128, 1}, "gqa_paged_prefill_causal_h5_kv1_d128_ps1"},
    {gqa_paged_prefill_causal_axes{5, 1, 128, 64}, "gqa_paged_prefill_causal_h5_kv1_d128_ps64"},
    {gqa_paged_prefill_causal_axes{6, 1, 128, 1}, "gqa_paged_prefill_causal_h6_kv1_d128_ps1"},
    {gqa_paged_prefill_causal_axes{6, 1, 128, 64}, "gqa_paged_prefill_causal_h6_kv1_d128_ps64"},
    {gqa_paged_prefill_causal_axes{8, 1, 128, 1}, "gqa_paged_prefill_causal_h8_kv1_d128_ps1"},
    {gqa_paged_prefill_causal_axes{8, 1, 128, 64}, "gqa_paged_prefill_causal_h8_kv1_d128_ps64"},
    {gqa_paged_prefill_causal_axes{8, 1, 256, 1}, "gqa_paged_prefill_causal_h8_kv1_d256_ps1"},
}};
const std::array<pinned_name<gqa_ragged_prefill_causal_axes>, 20> gqa_ragged_prefill_causal_names{{
    {gqa_ragged_prefill_causal_axes{16, 1, 128}, "gqa_ragged_prefill_causal_h16_kv1_d128"},
    {gqa_ragged_prefill_causal_axes{16, 1, 64}, "gqa_ragged_prefill_causal_h16_kv1_d64"},
    {gqa_ragged_prefill_causal_axes{16, 2, 128}, "gqa_ragged_prefill_causal_h16_kv2_d128"},
    {gqa_ragged_prefill_causal_axes{16, 2, 64}, "gqa_ragged_prefill_causal_h16_kv2_d64"},
    {gqa_ragged_prefill_causal_axes{20, 4, 128}, "gqa_ragged_prefill_causal_h20_kv4_d128"},
    {gqa_ragged_prefill_causal_axes{24, 8, 128}, "gqa_ragged_prefill_causal_h24_kv8_d128"},
    {gqa_ragged_prefill_causal_axes{28, 4, 128}, "gqa_ragged_prefill_causal_h28_kv4_d128"},
    {gqa_ragged_prefill_causal_axes{32, 16, 128}, "gqa_ragged_prefill_causal_h32_kv16_d128"},
    {gqa_ragged_prefill_causal_axes{32, 2, 128}, "gqa_ragged_prefill_causal_h32_kv2_d128"},
    {gqa_ragged_prefill_causal_axes{32, 4, 128}, "gqa_ragged_prefill_causal_h32_kv4_d128"},
    {gqa_ragged_prefill_causal_axes{32, 8, 128}, "gqa_ragged_prefill_causal_h32_kv8_d128"},
    {gqa_ragged_prefill_causal_axes{32, 8, 64}, "gqa_ragged_prefill_causal_h32_kv8_d64"},
    {gqa_ragged_prefill_causal_axes{40, 10, 128}, "gqa_ragged_prefill_causal_h40_kv10_d128"},
    {gqa_ragged_prefill_causal_axes{48, 8, 128}, "gqa_ragged_prefill_causal_h48_kv8_d128"},
    {gqa_ragged_prefill_causal_axes{5, 1, 128}, "gqa_ragged_prefill_causal_h5_kv1_d128"},
    {gqa_ragged_prefill_causal_axes{64, 8, 128}, "gqa_ragged_prefill_causal_h64_kv8_d128"},
    {gqa_ragged_prefill_causal_axes{64, 8, 64}, "gqa_ragged_prefill_causal_h64_kv8_d64"},
    {gqa_ragged_prefill_causal_axes{6, 1, 128}, "gqa_ragged_prefill_causal_h6_kv1_d128"},
    {gqa_ragged_prefill_causal_axes{8, 1, 128}, "gqa_ragged_prefill_causal_h8_kv1_d128"},
    {gqa_ragged_prefill_causal_axes{8, 1, 256}, "gqa_ragged_prefill_causal_h8_kv1_d256"},
}};
const std::array<pinned_name<mamba_ssu_decode_axes>, 2> mamba_ssu_decode_names{{
    {mamba_ssu_decode_axes{128, 64, 128, 8}, "mamba_ssu_decode_h128_d64_s128_ng8"},
    {mamba_ssu_decode_axes{64, 64, 128, 4}, "mamba_ssu_decode_h64_d64_s128_ng4"},
}};
const std::array<pinned_name<mla_paged_decode_axes>, 4> mla_paged_decode_names{{
    {mla_paged_decode_axes{16, 512, 64, 1}, "mla_paged_decode_h16_ckv512_kpe64_ps1"},
    {mla_paged_decode_axes{16, 512, 64, 64}, "mla_paged_decode_h16_ckv512_kpe64_ps64"},
    {mla_paged_decode_axes{8, 512, 64, 1}, "mla_paged_decode_h8_ckv512_kpe64_ps1"},
    {mla_paged_decode_axes{8, 512, 64, 64}, "mla_paged_decode_h8_ckv512_kpe64_ps64"},
}};
const std::array<pinned_name<mla_paged_prefill_causal_axes>, 4> mla_paged_prefill_causal_names{{
    {mla_paged_prefill_causal_axes{16, 512, 64, 1}, "mla_paged_prefill_causal_h16_ckv512_kpe64_ps1"},
    {mla_paged_prefill_causal_axes{16, 512, 64, 64}, "mla_paged_prefill_causal_h16_ckv512_kpe64_ps64"},
    {mla_paged_prefill_causal_axes{8, 512, 64, 1}, "mla_paged_prefill_causal_h8_ckv512_kpe64_ps1"},
    {mla_paged_prefill_causal_axes{8, 512, 64, 64}, "mla_paged_prefill_causal_h8_ckv512_kpe64_ps64"},
}};
const std::array<pinned_name<mla_ragged_prefill_causal_axes>, 2> mla_ragged_prefill_causal_names{{
    {mla_ragged_prefill_causal_axes{16, 192, 128}, "mla_ragged_prefill_causal_h16_qk192_vo128"},
    {mla_ragged_prefill_causal_axes{8, 192, 128}, "mla_ragged_prefill_causal_h8_qk192_vo128"},
}};
const std::array<pinned_name<moe_fp8_block_scale_ds_routing_axes>, 4> moe_fp8_block_scale_ds_routing_names{{
    {moe_fp8_block_scale_ds_routing_axes{8, 1, 1, 256, 256, 3072, 1536}, "moe_fp8_block_scale_ds_routing_topk8_ng1_kg1_e256_h3072_i1536"},
    {moe_fp8_block_scale_ds_routing_axes{8, 1, 1, 384, 384, 7168, 2048}, "moe_fp8_block_scale_ds_routing_topk8_ng1_kg1_e384_h7168_i2048"},
    {moe_fp8_block_scale_ds_routing_axes{8, 1, 1, 384, 48, 7168, 2048}, "moe_fp8_block_scale_ds_routing_topk8_ng1_kg1_e48_h7168_i2048"},
    {moe_fp8_block_scale_ds_routing_axes{8, 8, 4, 256, 32, 7168, 2048}, "moe_fp8_block_scale_ds_routing_topk8_ng8_kg4_e32_h7168_i2048"},
}};
const std::array<pinned_name<moe_fp8_block_scale_renorm_axes>, 3> moe_fp8_block_scale_renorm_names{{
    {moe_fp8_block_scale_renorm_axes{10, 512, 128, 2048, 512}, "moe_fp8_block_scale_renorm_topk10_e128_h2048_i512"},
    {moe_fp8_block_scale_renorm_axes{8, 128, 128, 2048, 768}, "moe_fp8_block_scale_renorm_topk8_e128_h2048_i768"},
    {moe_fp8_block_scale_renorm_axes{8, 128, 128, 4096, 1536}, "moe_fp8_block_scale_renorm_topk8_e128_h4096_i1536"},
}};
const std::array<pinned_name<rmsnorm_axes>, 15> rmsnorm_names{{
    {rmsnorm_axes{128}, "rmsnorm_h128"},
    {rmsnorm_axes{1536}, "rmsnorm_h1536"},
    {rmsnorm_axes{16384}, "rmsnorm_h16384"},
    {rmsnorm_axes{2048}, "rmsnorm_h2048"},
    {rmsnorm_axes{2560}, "rmsnorm_h2560"},
    {rmsnorm_axes{2880}, "rmsnorm_h2880"},
    {rmsnorm_axes{3072}, "rmsnorm_h3072"},
    {rmsnorm_axes{3584}, "rmsnorm_h3584"},
    {rmsnorm_axes{4096}, "rmsnorm_h4096"},
    {rmsnorm_axes{512}, "rmsnorm_h512"},
    {rmsnorm_axes{5120}, "rmsnorm_h5120"},
    {rmsnorm_axes{5376}, "rmsnorm_h5376"},
    {rmsnorm_axes{6144}, "rmsnorm_h6144"},
    {rmsnorm_axes{7168}, "rmsnorm_h7168"},
    {rmsnorm_axes{8192}, "rmsnorm_h8192"},
}};
const std::array<pinned_name<rope_with_cos_sin_cache_axes>, 1> rope_with_cos_sin_cache_names{{
    {rope_with_cos_sin_cache_axes{rope_style::neox, 128, 64}, "rope_with_cos_sin_cache_neox_style_d128_rd64"},
}};
const std::array<pinned_name<top_k_sampling_from_probs_axes>, 13> top_k_sampling_from_probs_names{{
    {top_k_sampling_from_probs_axes{100352}, "top_k_sampling_from_probs_v100352"},
    {top_k_sampling_from_probs_axes{128256}, "top_k_sampling_from_probs_v128256"},
    {top_k_sampling_from_probs_axes{129280}, "top_k_sampling_from_probs_v129280"},
    {top_k_sampling_from_probs_axes{131072}, "top_k_sampling_from_probs_v131072"},
    {top_k_sampling_from_probs_axes{151936}, "top_k_sampling_from_probs_v151936"},
    {top_k_sampling_from_probs_axes{152064}, "top_k_sampling_from_probs_v152064"},
    {top_k_sampling_from_probs_axes{160000}, "top_k_sampling_from_probs_v160000"},
    {top_k_sampling_from_probs_axes{163840}, "top_k_sampling_from_probs_v163840"},
    {top_k_sampling_from_probs_axes{200064}, "top_k_sampling_from_probs_v200064"},
    {top_k_sampling_from_probs_axes{202048}, "top_k_sampling_from_probs_v202048"},
    {top_k_sampling_from_probs_axes{262208}, "top_k_sampling_from_probs_v262208"},
    {top_k_sampling_from_probs_axes{32000}, "top_k_sampling_from_probs_v32000"},
    {top_k_sampling_from_probs_axes{32768}, "top_k_sampling_from_probs_v32768"},
}};
const std::array<pinned_name<top_k_top_p_sampling_from_probs_axes>, 14> top_k_top_p_sampling_from_probs_names{{
    {top_k_top_p_sampling_from_probs_axes{100352}, "top_k_top_p_sampling_from_probs_v100352"},
    {top_k_top_p_sampling_from_probs_axes{128256}, "top_k_top_p_sampling_from_probs_v128256"},
    {top_k_top_p_sampling_from_probs_axes{129280}, "top_k_top_p_sampling_from_probs_v129280"},
    {top_k_top_p_sampling_from_probs_axes{131072}, "top_k_top_p_sampling_from_probs_v131072"},
    {top_k_top_p_sampling_from_probs_axes{151936}, "top_k_top_p_sampling_from_probs_v151936"},
    {top_k_top_p_sampling_from_probs_axes{152064}, "top_k_top_p_sampling_from_probs_v152064"},
    {top_k_top_p_sampling_from_probs_axes{160000}, "top_k_top_p_sampling_from_probs_v160000"},
    {top_k_top_p_sampling_from_probs_axes{163840}, "top_k_top_p_sampling_from_probs_v163840"},
    {top_k_top_p_sampling_from_probs_axes{200064}, "top_k_top_p_sampling_from_probs_v200064"},
    {top_k_top_p_sampling_from_probs_axes{202048}, "top_k_top_p_sampling_from_probs_v202048"},
    {top_k_top_p_sampling_from_probs_axes{248320}, "top_k_top_p_sampling_from_probs_v248320"},
    {top_k_top_p_sampling_from_probs_axes{262208}, "top_k_top_p_sampling_from_probs_v262208"},
    {top_k_top_p_sampling_from_probs_axes{32000}, "top_k_top_p_sampling_from_probs_v32000"},
    {top_k_top_p_sampling_from_probs_axes{32768}, "top_k_top_p_sampling_from_probs_v32768"},
}};
const std::array<pinned_name<top_p_sampling_from_probs_axes>, 13> top_p_sampling_from_probs_names{{
    {top_p_sampling_from_probs_axes{100352}, "top_p_sampling_from_probs_v100352"},
    {top_p_sampling_from_probs_axes{128256}, "top_p_sampling_from_probs_v128256"},
    {top_p_sampling_from_probs_axes{129280}, "top_p_sampling_from_probs_v129280"},
    {top_p_sampling_from_probs_axes{131072}, "top_p_sampling_from_probs_v131072"},
    {top_p_sampling_from_probs_axes{151936}, "top_p_sampling_from_probs_v151936"},
    {top_p_sampling_from_probs_axes{152064}, "top_p_sampling_from_probs_v152064"},
    {top_p_sampling_from_probs_axes{160000}, "top_p_sampling_from_probs_v160000"},
    {top_p_sampling_from_probs_axes{163840}, "top_p_sampling_from_probs_v163840"},
    {top_p_sampling_from_probs_axes{200064}, "top_p_sampling_from_probs_v200064"},
    {top_p_sampling_from_probs_axes{202048}, "top_p_sampling_from_probs_v202048"},
    {top_p_sampling_from_probs_axes{262208}, "top_p_sampling_from_probs_v262208"},
    {top_p_sampling_from_probs_axes{32000}, "top_p_sampling_from_probs_v32000"},
    {top_p_sampling_from_probs_axes{32768}, "top_p_sampling_from_probs_v32768"},
}};
// clang-format on

/// Describes each pinned definition at run time and compares its name.
template <class Axes, std::size_t N>
std::size_t check_names(const std::array<pinned_name<Axes>, N>& pins) {
  for (const auto& pinned : pins) {
    INFO(pinned.name);
    const auto described = try_describe(pinned.axes);
    REQUIRE(described.error == nullptr);
    CHECK(described.spec->name.view() == pinned.name);
  }
  return N;
}
}  // namespace

TEST_CASE("public definition names are computed from their axes at run time", "[names]") {
  std::size_t checked = 0;
  checked += check_names(dsa_sparse_attention_names);
  checked += check_names(dsa_topk_indexer_fp8_names);
  checked += check_names(fused_add_rmsnorm_names);
  checked += check_names(gemma_rmsnorm_names);
  checked += check_names(gemma_fused_add_rmsnorm_names);
  checked += check_names(gdn_decode_names);
  checked += check_names(gdn_mtp_names);
  checked += check_names(gdn_prefill_names);
  checked += check_names(gemm_names);
  checked += check_names(gqa_paged_decode_names);
  checked += check_names(gqa_paged_prefill_causal_names);
  checked += check_names(gqa_ragged_prefill_causal_names);
  checked += check_names(mamba_ssu_decode_names);
  checked += check_names(mla_paged_decode_names);
  checked += check_names(mla_paged_prefill_causal_names);
  checked += check_names(mla_ragged_prefill_causal_names);
  checked += check_names(moe_fp8_block_scale_ds_routing_names);
  checked += check_names(moe_fp8_block_scale_renorm_names);
  checked += check_names(rmsnorm_names);
  checked += check_names(rope_with_cos_sin_cache_names);
  checked += check_names(top_k_sampling_from_probs_names);
  checked += check_names(top_k_top_p_sampling_from_probs_names);
  checked += check_names(top_p_sampling_from_probs_names);
  CHECK(checked == 267);
}

}  // namespace solkit_test_ops_test_public_definition_names
