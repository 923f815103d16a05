#pragma once
// The Google Benchmark sources codegen writes: one binary per (model, TP, EP) plan and one per
// workload suite (atrex, flashinfer-bench's captured axes). Each registers one benchmark per
// definition x workload whose definition has a kernel (kernel_exists), named
// `definition/workload`, with the workload's var axes and its cost computed here by the same
// cost_of the SOL report uses. Beside each source goes `<id>.workloads.json`, the same list as
// data, which the peer script (tools/peers) reads to time PyTorch and FlashInfer on the same
// workloads.

#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "codegen/atrex_suite.hpp"
#include "codegen/attention_cases.hpp"
#include "codegen/dataset.hpp"
#include "codegen/instantiate.hpp"
#include "codegen/suites.hpp"
#include "solkit/core/kernel_exists.hpp"
#include "solkit/models/forward_cost.hpp"

namespace solkit::codegen {

struct bench_case {
  std::string definition;       // its name
  std::string op_type;
  std::string definition_type;  // C++: solkit::definition_of<solkit::rmsnorm_axes{4096}>
  std::string workload;         // unique within the definition
  std::vector<std::pair<std::string, std::int64_t>> var_axes;  // in the spec's order
  roofline::cost cost;
};

struct bench_binary {
  std::string id;           // file stem and target suffix
  std::string description;  // one line for the banner
  std::vector<bench_case> cases;
};

namespace detail {

/// The var axes of `spec`, in order, valued by `value_of(name)`.
template <class ValueOf>
std::vector<std::pair<std::string, std::int64_t>> var_axes_of(const definition_spec& spec, ValueOf&& value_of) {
  std::vector<std::pair<std::string, std::int64_t>> values;
  for (const axis_spec& axis : spec.axes) {
    if (!axis.is_constant()) values.emplace_back(std::string{axis.name}, value_of(axis.name));
  }
  return values;
}

/// Adds `c` unless a case of the same benchmark name is there already (two roles of a plan
/// often run one definition: the benchmark is the same).
inline void add_case(bench_binary& binary, std::set<std::string>& seen, bench_case c) {
  if (seen.insert(c.definition + "/" + c.workload).second) binary.cases.push_back(std::move(c));
}

/// The forward workloads a plan's benchmark times: decode steps of 1, 64 and 512 sequences with
/// 4096 cached tokens each, and a prefill of one 8192-token sequence.
inline std::vector<std::pair<std::string, models::forward_workload>> plan_workloads() {
  using models::phase;
  return {{"decode_b1_ctx4096", {phase::decode, 1, 4096, 64}},
          {"decode_b64_ctx4096", {phase::decode, 64, 4096, 64}},
          {"decode_b512_ctx4096", {phase::decode, 512, 4096, 64}},
          {"prefill_b1_t8192", {phase::prefill, 1, 8192, 64}}};
}

}  // namespace detail

/// The benchmark of one plan: each entry whose definition has a kernel, at each plan workload,
/// with the cost the forward pass gives it (phases that do not run an entry skip it).
inline bench_binary plan_benchmarks(const serving_plan& p) {
  bench_binary binary{"bench_" + plan_identifier(p.model->slug, p.serving),
                      std::string{p.model->slug} + " at TP=" + std::to_string(p.serving.tp) + ", EP=" +
                          std::to_string(p.serving.ep),
                      {}};
  std::set<std::string> seen;
  const models::parallel_config parallel{p.serving.tp, p.serving.ep};
  for (const auto& [workload_name, workload] : detail::plan_workloads()) {
    const auto entries = models::forward_entries(p.plan, *p.model, parallel, workload);
    for (const models::forward_entry& row : entries) {
      if (!row.cost) continue;
      const models::plan_entry& entry = *row.entry;
      std::visit(
          [&](const auto& axes) {
            using A = std::decay_t<decltype(axes)>;
            if constexpr (kernel_exists<A>) {
              const definition_spec spec = describe(axes);
              const std::int64_t tokens = workload.step == models::phase::decode ? workload.batch
                                                                                 : workload.batch * workload.context;
              const models::model_config& m = *p.model;
              const bool gqa = m.attention == models::attention_kind::gqa;
              const std::int64_t q_heads = (gqa ? m.gqa.num_heads : m.mla.num_heads) / p.serving.tp;
              const std::int64_t kv_heads =
                  !gqa ? 1 : m.gqa.num_kv_heads >= p.serving.tp ? m.gqa.num_kv_heads / p.serving.tp : 1;
              auto value_of = [&](std::string_view axis) -> std::int64_t {
                if (axis == "num_tokens") return tokens;
                if (axis == "num_qo_heads") return q_heads;
                if (axis == "num_kv_heads") return kv_heads;
                if (axis == "max_seq_len") return workload.context + 1;
                // batch_size and the other row counts of the norm family: a row per token, or
                // per token and head for the per-head q/k norms (as forward_entries counts them).
                if (entry.role == "q_norm") return tokens * q_heads;
                if (entry.role == "k_norm") return tokens * kv_heads;
                return tokens;
              };
              // Attention: `batch` sequences of one query (decode) or `context` queries (prefill)
              // over `context` cached tokens.
              const bool decode = workload.step == models::phase::decode;
              detail::add_case(binary, seen,
                               {spec.name.str(), std::string{spec.op_type},
                                "solkit::definition_of<" + detail::axes_expression{}(axes) + ">", workload_name,
                                is_attention_op(spec.op_type)
                                    ? attention_var_axes(spec, workload.batch, decode ? 1 : workload.context,
                                                         workload.context)
                                    : detail::var_axes_of(spec, value_of),
                                *row.cost});
            }
          },
          entry.axes);
    }
  }
  return binary;
}

/// Issue 6's target workloads of the attention kernels (bench_suite_attention): decode with
/// pages of 64, 16 and 1 token at batch 16 and 64 with 4096 cached tokens and batch 1 with 32768,
/// for group sizes 4 to 8 and head dims 128 and 256; causal prefill of 1 x 8192 and 4 x 4096
/// tokens, paged and ragged, at head dims 64, 128 and 256.
inline bench_binary attention_benchmarks() {
  bench_binary binary{"bench_suite_attention", "issue 6's attention target workloads (codegen/benchmarks.hpp)", {}};
  std::set<std::string> seen;
  const auto add = [&](const auto& axes, std::int64_t sequences, std::int64_t q_len, std::int64_t kv_len,
                       const roofline::cost& cost) {
    const definition_spec spec = describe(axes);
    const std::string workload = q_len == 1 ? "decode_b" + std::to_string(sequences) + "_ctx" + std::to_string(kv_len)
                                            : "prefill_b" + std::to_string(sequences) + "_t" + std::to_string(q_len);
    detail::add_case(binary, seen,
                     {spec.name.str(), std::string{spec.op_type},
                      "solkit::definition_of<" + detail::axes_expression{}(axes) + ">", workload,
                      attention_var_axes(spec, sequences, q_len, kv_len), cost});
  };
  const std::pair<std::int64_t, std::int64_t> decode_batches[] = {{16, 4096}, {64, 4096}, {1, 32768}};
  for (const gqa_paged_decode_axes axes : {gqa_paged_decode_axes{32, 8, 128, 64}, gqa_paged_decode_axes{32, 8, 128, 16},
                                           gqa_paged_decode_axes{32, 8, 128, 1}, gqa_paged_decode_axes{32, 4, 128, 64},
                                           gqa_paged_decode_axes{40, 8, 128, 64}, gqa_paged_decode_axes{16, 2, 256, 64},
                                           gqa_paged_decode_axes{16, 2, 256, 1}}) {
    for (const auto& [batch, context] : decode_batches) {
      add(axes, batch, 1, context, cost_of(axes, gqa_paged_decode_workload{batch, context}));
    }
  }
  const std::pair<std::int64_t, std::int64_t> prefill_batches[] = {{1, 8192}, {4, 4096}};
  for (const auto& [batch, tokens] : prefill_batches) {
    const attention_prefill_workload w{batch, tokens, tokens};
    for (const gqa_paged_prefill_causal_axes axes :
         {gqa_paged_prefill_causal_axes{32, 8, 128, 16}, gqa_paged_prefill_causal_axes{32, 8, 128, 64},
          gqa_paged_prefill_causal_axes{20, 20, 64, 16}, gqa_paged_prefill_causal_axes{16, 2, 256, 16}}) {
      add(axes, batch, tokens, tokens, cost_of(axes, w));
    }
    for (const gqa_ragged_prefill_causal_axes axes :
         {gqa_ragged_prefill_causal_axes{32, 8, 128}, gqa_ragged_prefill_causal_axes{16, 2, 256}}) {
      add(axes, batch, tokens, tokens, cost_of(axes, w));
    }
  }
  return binary;
}

/// The sampling targets of docs/sampling.md: the three sampling kinds at the largest vocabularies
/// of the catalog, batch 1 and 8 (latency) and 64 and 256 (bandwidth); top_k 50 and top_p 0.9 a row.
inline bench_binary sampling_benchmarks() {
  bench_binary binary{"bench_suite_sampling", "issue 7's sampling target workloads (codegen/benchmarks.hpp)", {}};
  std::set<std::string> seen;
  const auto add = [&](const auto& axes, std::int64_t batch) {
    const definition_spec spec = describe(axes);
    detail::add_case(binary, seen,
                     {spec.name.str(), std::string{spec.op_type},
                      "solkit::definition_of<" + detail::axes_expression{}(axes) + ">", "batch_" + std::to_string(batch),
                      {{"batch_size", batch}}, cost_of(axes, sampling_workload{batch})});
  };
  for (const std::int64_t vocab : {128256, 151936, 262208}) {
    for (const std::int64_t batch : {1, 8, 64, 256}) {
      add(top_k_sampling_from_probs_axes{vocab}, batch);
      add(top_p_sampling_from_probs_axes{vocab}, batch);
      add(top_k_top_p_sampling_from_probs_axes{vocab}, batch);
    }
  }
  return binary;
}

/// The atrex suite's benchmark: every shape whose definition has a kernel, named atrex_<shape>.
inline bench_binary atrex_benchmarks(const std::filesystem::path& suite_root) {
  bench_binary binary{"bench_suite_atrex", "atrex-bench's production shapes (bench/suites/atrex)", {}};
  std::set<std::string> seen;
  for (const atrex_workload& row : atrex_suite(suite_root)) {
    if (!row.mapped || !row.mapped->kernel) continue;
    const atrex_shape& shape = *row.mapped;
    detail::add_case(binary, seen,
                     {shape.spec.name.str(), std::string{shape.spec.op_type},
                      "solkit::definition_of<" + shape.kernel->axes_expression + ">", "atrex_" + row.shape,
                      shape.kernel->var_axes, shape.cost});
  }
  return binary;
}

/// flashinfer-bench's captured workloads whose definition has a kernel, named by their var
/// axes (`batch_size_6`); a value captured several times is one benchmark.
inline bench_binary flashinfer_bench_benchmarks(const std::filesystem::path& file) {
  bench_binary binary{"bench_suite_flashinfer_bench",
                      "flashinfer-bench's captured workload axes (bench/suites/flashinfer-bench-workload-axes.json)", {}};
  std::set<std::string> seen;
  const nlohmann::json root = detail::read_json(file);
  if (!root.contains("workloads") || !root["workloads"].is_object()) {
    throw input_error(file.string() + ": field 'workloads' is missing or not an object");
  }
  std::map<std::string, any_definition_axes> known;
  for_each_public_definition([&known](const auto& axes) { known.emplace(describe(axes).name.str(), axes); });
  for (const auto& [name, workloads] : root["workloads"].items()) {
    const auto found = known.find(name);
    if (found == known.end()) continue;
    std::visit(
        [&](const auto& axes) {
          using A = std::decay_t<decltype(axes)>;
          if constexpr (kernel_exists<A>) {
            const definition_spec spec = describe(axes);
            for (const nlohmann::json& workload : workloads) {
              const std::string where = file.filename().string() + ": " + name;
              if (!workload.contains("axes")) throw input_error(where + ": a workload has no 'axes'");
              const std::optional<roofline::cost> cost = detail::captured_cost(found->second, workload["axes"], where);
              if (!cost) continue;
              std::string workload_name;
              auto values = detail::var_axes_of(spec, [&](std::string_view axis) {
                const std::int64_t value = detail::axis(workload["axes"], std::string{axis}.c_str(), where);
                workload_name += (workload_name.empty() ? "" : "_") + std::string{axis} + "_" + std::to_string(value);
                return value;
              });
              detail::add_case(binary, seen,
                               {spec.name.str(), std::string{spec.op_type},
                                "solkit::definition_of<" + detail::axes_expression{}(axes) + ">", workload_name,
                                std::move(values), *cost});
            }
          }
        },
        found->second);
  }
  return binary;
}

namespace detail {
inline std::string exact(double value) {
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}
}  // namespace detail

/// `<id>.cu` and `<id>.workloads.json` for `binary`, keyed by file name.
inline std::map<std::string, std::string> benchmark_sources(const bench_binary& binary) {
  std::ostringstream source;
  source << "// Generated by solkit-codegen benchmarks: " << binary.description << "; do not edit.\n"
         << "// One Google Benchmark per definition x workload with a kernel, named definition/workload,\n"
            "// timed against T_SOL (solkit/bench/harness.cuh). "
         << binary.cases.size() << " benchmarks.\n\n"
         << "#include <benchmark/benchmark.h>\n\n#include \"solkit/bench/harness.cuh\"\n"
            "#include \"solkit/definitions.hpp\"\n#include \"solkit/atrex_definitions.hpp\"\n"
            "#include \"solkit/kernels.cuh\"\n\n"
            "#ifndef SOLKIT_COMMIT\n#define SOLKIT_COMMIT \"unknown\"\n#endif\n\nnamespace {\n\n"
            "void register_all() {\n  using solkit::roofline::cost;\n";
  for (const bench_case& c : binary.cases) {
    source << "  solkit::bench::register_benchmark<" << c.definition_type << ">(\n      \"" << c.workload << "\", {";
    for (std::size_t i = 0; i < c.var_axes.size(); ++i) source << (i ? ", " : "") << c.var_axes[i].second;
    source << "}, cost{" << detail::exact(c.cost.bytes_read) << ", " << detail::exact(c.cost.bytes_written) << ", {";
    for (std::size_t i = 0; i < c.cost.flops.size(); ++i) source << (i ? ", " : "") << detail::exact(c.cost.flops[i]);
    source << "}});\n";
  }
  source << "}\n\n}  // namespace\n\nint main(int argc, char** argv) {\n"
            "  solkit::bench::add_context(SOLKIT_COMMIT);\n  register_all();\n"
            "  benchmark::Initialize(&argc, argv);\n"
            "  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;\n"
            "  benchmark::RunSpecifiedBenchmarks();\n  benchmark::Shutdown();\n  return 0;\n}\n";

  nlohmann::ordered_json workloads = nlohmann::ordered_json::array();
  for (const bench_case& c : binary.cases) {
    nlohmann::ordered_json axes = nlohmann::ordered_json::object();
    for (const auto& [name, value] : c.var_axes) axes[name] = value;
    nlohmann::ordered_json flops = nlohmann::ordered_json::object();
    for (roofline::execution_unit unit : roofline::all_execution_units) {
      if (c.cost.flops_of(unit) > 0) flops[std::string{roofline::name_of(unit)}] = c.cost.flops_of(unit);
    }
    workloads.push_back({{"name", c.definition + "/" + c.workload},
                         {"definition", c.definition},
                         {"op_type", c.op_type},
                         {"workload", c.workload},
                         {"var_axes", axes},
                         {"bytes", c.cost.bytes()},
                         {"flops", flops}});
  }
  const nlohmann::ordered_json manifest{{"binary", binary.id}, {"description", binary.description},
                                        {"workloads", workloads}};
  return {{binary.id + ".cu", source.str()}, {binary.id + ".workloads.json", manifest.dump(2) + "\n"}};
}

}  // namespace solkit::codegen
