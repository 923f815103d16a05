// PyTorch `run` source for the reshape_and_cache definitions' "reference" field; solkit
// prepends the constants preamble (BLOCK_SIZE, NUM_KV_HEADS, HEAD_SIZE).
#pragma once

#include <string_view>

namespace solkit::ops::reshape_and_cache::torch_reference {

inline constexpr std::string_view reshape_and_cache = R"py(@torch.no_grad()
def run(key, value, key_cache, value_cache, slot_mapping):
    """Writes each token's key and value rows into its slot of the paged caches.

    key, value:             [num_tokens, NUM_KV_HEADS, HEAD_SIZE] bf16
    key_cache, value_cache: [num_blocks, BLOCK_SIZE, NUM_KV_HEADS, HEAD_SIZE] bf16 (NHD)
    slot_mapping:           [num_tokens] int64; token t goes to block slot // BLOCK_SIZE at
                            position slot % BLOCK_SIZE; a negative slot is padding (skipped)
    returns new_key_cache, new_value_cache: copies of the caches with the slots written; every
    other entry is unchanged. Slots are distinct. Kernels do the same write in place.
    """
    num_tokens = key.shape[0]
    assert key.shape == (num_tokens, NUM_KV_HEADS, HEAD_SIZE) and value.shape == key.shape
    assert key_cache.shape[1:] == (BLOCK_SIZE, NUM_KV_HEADS, HEAD_SIZE)
    assert value_cache.shape == key_cache.shape
    assert slot_mapping.shape == (num_tokens,)
    tokens = torch.nonzero(slot_mapping >= 0).flatten()
    slots = slot_mapping[tokens].to(torch.int64)
    assert bool((slots < key_cache.shape[0] * BLOCK_SIZE).all()), "slot beyond the cache"
    blocks, positions = slots // BLOCK_SIZE, slots % BLOCK_SIZE
    new_key_cache = key_cache.clone()
    new_value_cache = value_cache.clone()
    new_key_cache[blocks, positions] = key[tokens].to(key_cache.dtype)
    new_value_cache[blocks, positions] = value[tokens].to(value_cache.dtype)
    return new_key_cache, new_value_cache
)py";

}  // namespace solkit::ops::reshape_and_cache::torch_reference
