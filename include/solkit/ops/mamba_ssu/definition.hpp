#pragma once
// Mamba2 selective state update for decode (op_type "mamba_ssu"):
// `mamba_ssu_decode_h{nheads}_d{head_dim}_s{dstate}_ng{ngroups}`. For each sequence's state slot:
//   dt' = softplus(dt + dt_bias), state <- state * exp(A dt') + dt' x B, out = state . C + D x,
// with B and C shared by the nheads / ngroups heads of a group (NemotronH's Mamba2 layers).

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/ops/mamba_ssu/torch_reference.hpp"

namespace solkit {

/// Axes of `mamba_ssu_decode_h{nheads}_d{head_dim}_s{dstate}_ng{ngroups}`.
struct mamba_ssu_decode_axes {
  std::int64_t nheads = 0;
  std::int64_t head_dim = 0;
  std::int64_t dstate = 0;
  std::int64_t ngroups = 0;
};

namespace ops::mamba_ssu::axis_errors {
inline constexpr char nheads_not_positive[] = "nheads must be positive";
inline constexpr char ngroups_does_not_divide_nheads[] =
    "ngroups must be positive and divide nheads (each group's B and C serve whole heads)";
inline constexpr char head_dim_not_a_multiple_of_8[] =
    "head_dim must be a positive multiple of 8: rows are loaded as 16-byte vectors of bf16";
inline constexpr char dstate_not_a_multiple_of_8[] =
    "dstate must be a positive multiple of 8: state rows are loaded as 16-byte vectors of bf16";
}  // namespace ops::mamba_ssu::axis_errors

constexpr const char* check_axes(const mamba_ssu_decode_axes& a) {
  namespace e = ops::mamba_ssu::axis_errors;
  if (a.nheads <= 0) return e::nheads_not_positive;
  if (a.ngroups <= 0 || a.nheads % a.ngroups != 0) return e::ngroups_does_not_divide_nheads;
  if (a.head_dim <= 0 || a.head_dim % 8 != 0) return e::head_dim_not_a_multiple_of_8;
  if (a.dstate <= 0 || a.dstate % 8 != 0) return e::dstate_not_a_multiple_of_8;
  return nullptr;
}

constexpr definition_spec describe(const mamba_ssu_decode_axes& a) {
  definition_spec spec{};
  spec.name = definition_name{"mamba_ssu_decode_h"} + a.nheads + "_d" + a.head_dim + "_s" +
              a.dstate + "_ng" + a.ngroups;
  spec.op_type = "mamba_ssu";
  spec.description =
      "Mamba2 selective state update (decode, one token per sequence): dt' = softplus(dt + "
      "dt_bias); state[slot] <- state[slot] * exp(A * dt') + dt' * x * B; output = sum over dstate "
      "of state * C + D * x. B and C are per group, repeated to the heads of the group; fp32 math, "
      "state stored in bf16. No z gate.";
  spec.tags = {"stage:decode", "fi_api:flashinfer.mamba.selective_state_update"};
  spec.axes = {
      var_axis("batch_size", "Number of sequences decoded together."),
      var_axis("state_cache_size", "Slots of the state cache."),
      const_axis("nheads", a.nheads, "Mamba heads on this device."),
      const_axis("head_dim", a.head_dim, "Channels per head."),
      const_axis("dstate", a.dstate, "State size per channel."),
      const_axis("ngroups", a.ngroups, "Groups sharing B and C."),
  };
  spec.constraints = {"nheads % ngroups == 0", "state_cache_size >= batch_size"};
  spec.inputs = {
      tensor("state", {"state_cache_size", "nheads", "head_dim", "dstate"}, dtype::bfloat16,
             "State cache."),
      tensor("x", {"batch_size", "nheads", "head_dim"}, dtype::bfloat16, "Input of the token."),
      tensor("dt", {"batch_size", "nheads", "head_dim"}, dtype::bfloat16, "Time step before softplus."),
      tensor("A", {"nheads", "head_dim", "dstate"}, dtype::float32, "State transition (negative)."),
      tensor("B", {"batch_size", "ngroups", "dstate"}, dtype::bfloat16, "Input projection per group."),
      tensor("C", {"batch_size", "ngroups", "dstate"}, dtype::bfloat16, "Output projection per group."),
      tensor("D", {"nheads", "head_dim"}, dtype::bfloat16, "Skip connection weight."),
      tensor("dt_bias", {"nheads", "head_dim"}, dtype::bfloat16, "Bias added to dt before softplus."),
      tensor("state_batch_indices", {"batch_size"}, dtype::int32,
             "State slot of each sequence; a negative slot is padding (no update, zero output)."),
  };
  spec.outputs = {
      tensor("output", {"batch_size", "nheads", "head_dim"}, dtype::bfloat16, "Output of the token."),
      tensor("new_state", {"state_cache_size", "nheads", "head_dim", "dstate"}, dtype::bfloat16,
             "State cache with the batch's slots updated."),
  };
  spec.reference = {ops::mamba_ssu::torch_reference::decode};
  return spec;
}

template <mamba_ssu_decode_axes Axes>
struct mamba_ssu_decode : definition_of<Axes> {};

}  // namespace solkit
