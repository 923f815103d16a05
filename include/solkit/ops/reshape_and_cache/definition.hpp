#pragma once
// KV-cache write (op_type "reshape_and_cache"): `reshape_and_cache_kv{Hkv}_d{D}_ps{block_size}`,
// atrex-bench's reshape_and_cache (vLLM's reshape_and_cache_flash). Each new token t's key and
// value rows [Hkv, D] are copied into the paged caches at slot s = slot_mapping[t]: block
// s / block_size, position s % block_size (flash/NHD layout [num_blocks, block_size, Hkv, D]).
// A negative slot is padding and writes nothing. A pure copy: bf16 in, bf16 cache, no fp8 path.
//   key, value [num_tokens, Hkv, D] bf16; slot_mapping [num_tokens] int64;
//   key_cache, value_cache [num_blocks, block_size, Hkv, D] bf16 (inputs) ->
//   new_key_cache, new_value_cache (same shapes, outputs).
// Production kernels update the caches in place. A definition's reference returns new tensors,
// so, as mamba_ssu's state / new_state and gdn's, the caches are inputs and their updated
// copies outputs (atrex's reference also returns clones, named key_cache / value_cache; solkit
// renames them because flashinfer-bench forbids a name that is both input and output). The cost
// counts only the written slots (cost.hpp); atrex counts both whole caches, read and written.
// Slots must be distinct (vLLM's are): a slot written twice would leave either row.

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/ops/reshape_and_cache/torch_reference.hpp"

namespace solkit {

namespace ops::reshape_and_cache::axis_errors {
inline constexpr char num_kv_heads_not_positive[] = "num_kv_heads must be positive";
inline constexpr char head_size_not_a_positive_multiple_of_8[] =
    "head_size must be a positive multiple of 8: a head row is copied as 16-byte vectors of bf16";
inline constexpr char block_size_not_positive[] = "block_size must be positive";
}  // namespace ops::reshape_and_cache::axis_errors

/// Axes of `reshape_and_cache_kv{num_kv_heads}_d{head_size}_ps{block_size}`:
/// key, value [N, Hkv, D] scattered into key_cache, value_cache [num_blocks, block_size, Hkv, D].
struct reshape_and_cache_axes {
  std::int64_t num_kv_heads = 0;
  std::int64_t head_size = 0;
  std::int64_t block_size = 0;  // tokens per cache block (page)
};

constexpr const char* check_axes(const reshape_and_cache_axes& a) {
  namespace e = ops::reshape_and_cache::axis_errors;
  if (a.num_kv_heads <= 0) return e::num_kv_heads_not_positive;
  if (a.head_size <= 0 || a.head_size % 8 != 0) return e::head_size_not_a_positive_multiple_of_8;
  if (a.block_size <= 0) return e::block_size_not_positive;
  return nullptr;
}

constexpr definition_spec describe(const reshape_and_cache_axes& a) {
  definition_spec spec{};
  spec.name = definition_name{"reshape_and_cache_kv"} + a.num_kv_heads + "_d" + a.head_size +
              "_ps" + a.block_size;
  spec.op_type = "reshape_and_cache";
  spec.description =
      "KV-cache write, atrex-bench's reshape_and_cache (vLLM reshape_and_cache_flash): for each "
      "token t with slot s = slot_mapping[t] >= 0, cache[s // block_size, s % block_size] = "
      "key[t] (and value[t] into the value cache); negative slots are skipped; slots are "
      "distinct. A bf16 copy. Kernels write the caches in place; new_key_cache and "
      "new_value_cache are the caches after the write (copies in the reference).";
  spec.tags = {"source:atrex-bench", "atrex:reshape_and_cache"};
  spec.axes = {
      var_axis("num_tokens", "New tokens whose key and value are written."),
      var_axis("num_blocks", "Blocks (pages) of the cache pool."),
      const_axis("block_size", a.block_size, "Tokens per cache block (page size)."),
      const_axis("num_kv_heads", a.num_kv_heads, "Key/value heads on this device."),
      const_axis("head_size", a.head_size, "Channels per head."),
  };
  spec.constraints = {"slot_mapping.max().item() < num_blocks * block_size"};
  spec.inputs = {
      tensor("key", {"num_tokens", "num_kv_heads", "head_size"}, dtype::bfloat16,
             "Keys of the new tokens."),
      tensor("value", {"num_tokens", "num_kv_heads", "head_size"}, dtype::bfloat16,
             "Values of the new tokens."),
      tensor("key_cache", {"num_blocks", "block_size", "num_kv_heads", "head_size"},
             dtype::bfloat16, "Paged key cache before the write (NHD layout)."),
      tensor("value_cache", {"num_blocks", "block_size", "num_kv_heads", "head_size"},
             dtype::bfloat16, "Paged value cache before the write (NHD layout)."),
      tensor("slot_mapping", {"num_tokens"}, dtype::int64,
             "Cache slot (block * block_size + position) of each token; negative = padding."),
  };
  spec.outputs = {
      tensor("new_key_cache", {"num_blocks", "block_size", "num_kv_heads", "head_size"},
             dtype::bfloat16, "key_cache with the tokens' slots written (in place in kernels)."),
      tensor("new_value_cache", {"num_blocks", "block_size", "num_kv_heads", "head_size"},
             dtype::bfloat16, "value_cache with the tokens' slots written (in place in kernels)."),
  };
  spec.reference = {ops::reshape_and_cache::torch_reference::reshape_and_cache};
  return spec;
}

template <reshape_and_cache_axes Axes>
struct reshape_and_cache : definition_of<Axes> {};

}  // namespace solkit
