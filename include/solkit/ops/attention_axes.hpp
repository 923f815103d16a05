#pragma once
// Axis rules shared by the attention families (gqa_paged, gqa_ragged, mla_paged, mla_ragged,
// dsa_paged): what the kernels support is decided once, here.

#include <cstdint>

namespace solkit::ops::attention {

namespace axis_errors {
inline constexpr char num_qo_heads_not_positive[] = "num_qo_heads must be positive";
inline constexpr char num_kv_heads_not_positive[] = "num_kv_heads must be positive";
inline constexpr char num_qo_heads_not_a_multiple_of_num_kv_heads[] =
    "num_qo_heads must be a multiple of num_kv_heads (each kv head serves a whole group of query "
    "heads)";
inline constexpr char head_dim_not_a_multiple_of_8_up_to_256[] =
    "head_dim must be a multiple of 8 from 8 to 256: a head row is loaded as 16-byte vectors of "
    "bf16 and one head's accumulator row must fit the kernels' register tile";
inline constexpr char page_size_not_a_power_of_two_up_to_128[] =
    "page_size must be a power of two from 1 to 128";
}  // namespace axis_errors

constexpr const char* check_gqa_heads(std::int64_t num_qo_heads, std::int64_t num_kv_heads) {
  if (num_qo_heads <= 0) return axis_errors::num_qo_heads_not_positive;
  if (num_kv_heads <= 0) return axis_errors::num_kv_heads_not_positive;
  if (num_qo_heads % num_kv_heads != 0) {
    return axis_errors::num_qo_heads_not_a_multiple_of_num_kv_heads;
  }
  return nullptr;
}

constexpr const char* check_head_dim(std::int64_t head_dim) {
  // flashinfer-bench's samples use 64, 128 and 256; production vision and MoE models add 72, 80,
  // 96 and 192 (atrex-bench's unified_attention and attention_forward shapes).
  if (head_dim < 8 || head_dim > 256 || head_dim % 8 != 0) {
    return axis_errors::head_dim_not_a_multiple_of_8_up_to_256;
  }
  return nullptr;
}

constexpr const char* check_page_size(std::int64_t page_size) {
  if (page_size < 1 || page_size > 128 || (page_size & (page_size - 1)) != 0) {
    return axis_errors::page_size_not_a_power_of_two_up_to_128;
  }
  return nullptr;
}

}  // namespace solkit::ops::attention
