// solkit-codegen: plans every catalog model (or a model read from a config.json) for its
// serving configurations and writes what follows from the plans.
//
//   dataset     [--root DIR] [--check]   DIR/definitions/{op_type}/{name}.json + manifest.json:
//                                        every plan's definitions and those of atrex-bench's
//                                        shapes (DIR/bench/suites/atrex), tagged suite:atrex
//   coverage    [--root DIR] [--check]   DIR/docs/model_coverage.md
//   plan        --model NAME --tp T --ep E            print one plan
//   instantiate (--model NAME | --config FILE --name NAME) --tp T --ep E --out DIR
//                                        DIR/{model}_tp{T}_ep{E}.hpp and .cu
//   import-hf   CONFIG.json --name NAME --tp T --ep E --out DIR
//                                        DIR/definitions/ (with manifest.json) and DIR/instantiate/
//   show        NAME                     print one catalog definition's JSON
//   sol         --model NAME --tp T --ep E [--hardware GPU|all] [--phase decode|prefill]
//               [--batch B] [--context C] [--page-size P] [--json]
//                                        T_SOL of each definition and of one forward pass
//   sol         --suite flashinfer-bench|atrex [--suite-file PATH] [--hardware GPU|all] [--json]
//                                        T_SOL of every captured workload or atrex shape
//   report      --results A.json[,B.json] [--peers P.json[,...]] --markdown FILE --svg FILE
//               [--root DIR] [--title TEXT]  the benchmark report: table, targets, SVG chart
//   benchmarks  --out DIR [--root DIR] [--only ID[,ID...]] [--list]
//                                        DIR/{id}.cu and {id}.workloads.json: one Google
//                                        Benchmark binary per plan and per workload suite
//
// Bad input (an unknown model, a malformed config.json, a parallelism that does not fit, an
// output folder that cannot be written) is reported with the file, field and value, exit status
// 2, and nothing written. --check compares with the files on disk instead: exit 1 if stale.

#include <charconv>
#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "codegen/bench_report.hpp"
#include "codegen/benchmarks.hpp"
#include "codegen/coverage.hpp"
#include "codegen/dataset.hpp"
#include "codegen/hf_config.hpp"
#include "codegen/instantiate.hpp"
#include "codegen/output.hpp"
#include "codegen/sol_report.hpp"
#include "codegen/atrex_suite.hpp"
#include "codegen/suites.hpp"
#include "solkit/models/catalog.hpp"

namespace {

namespace fs = std::filesystem;
using solkit::codegen::input_error;

/// The command line after the command: positional arguments and --option values.
struct arguments {
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;  // "--check" maps to ""

  static arguments parse(const std::vector<std::string_view>& args,
                         const std::set<std::string_view>& flags,
                         const std::set<std::string_view>& valued) {
    arguments parsed;
    for (std::size_t i = 0; i < args.size(); ++i) {
      const std::string_view arg = args[i];
      if (flags.contains(arg)) {
        parsed.options[std::string{arg}] = "";
      } else if (valued.contains(arg)) {
        if (i + 1 >= args.size()) throw input_error("option " + std::string{arg} + " needs a value");
        parsed.options[std::string{arg}] = std::string{args[++i]};
      } else if (arg.starts_with("--")) {
        throw input_error("unknown option " + std::string{arg});
      } else {
        parsed.positional.emplace_back(arg);
      }
    }
    return parsed;
  }

  bool has(const std::string& option) const { return options.contains(option); }

  std::string required(const std::string& option) const {
    const auto found = options.find(option);
    if (found == options.end()) throw input_error("option " + option + " is required");
    return found->second;
  }

  std::int64_t positive(const std::string& option) const {
    const std::string text = required(option);
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || value <= 0) {
      throw input_error("option " + option + " must be a positive integer, not '" + text + "'");
    }
    return value;
  }

  fs::path root() const { return has("--root") ? fs::path{options.at("--root")} : fs::path{"."}; }
};

const solkit::models::model_config& catalog_model(const std::string& slug) {
  if (const auto* model = solkit::models::find_model(slug)) return *model;
  std::string known;
  for (const auto* model : solkit::models::catalog) known += (known.empty() ? "" : ", ") + std::string{model->slug};
  throw input_error("no catalog model named '" + slug + "'; the catalog has: " + known);
}

solkit::codegen::dataset catalog_dataset() {
  solkit::codegen::dataset data;
  data.add_catalog(solkit::models::catalog);
  return data;
}

/// Writes `files`, or with --check compares them with the disk.
int emit(const arguments& args, const solkit::codegen::file_set& files,
         const std::set<std::string>& replaced, std::string_view what) {
  if (args.has("--check")) {
    const int differences = solkit::codegen::compare_files(args.root(), files, replaced);
    if (differences != 0) {
      std::cerr << differences << " generated files differ from " << args.root() << "; run "
                << "`solkit-codegen " << what << " --root " << args.root().string() << "`\n";
      return 1;
    }
    std::cout << what << " is fresh (" << files.size() << " files)\n";
    return 0;
  }
  solkit::codegen::write_files(args.root(), files, replaced);
  std::cout << "wrote " << files.size() << " files under " << args.root() / *replaced.begin() << "\n";
  return 0;
}

int run_dataset(const arguments& args) {
  auto data = catalog_dataset();
  solkit::codegen::add_atrex_definitions(data, args.root() / "bench/suites/atrex");
  return emit(args, data.files(), {"definitions"}, "dataset");
}

int run_coverage(const arguments& args) {
  const auto data = catalog_dataset();
  const auto evidence = solkit::codegen::read_bench_evidence(args.root() / "bench/results");
  const auto atrex = solkit::codegen::atrex_suite(args.root() / "bench/suites/atrex");
  return emit(args, {{"docs/model_coverage.md", solkit::codegen::render_coverage(data, evidence, atrex)}},
              {"docs/model_coverage.md"}, "coverage");
}

int run_plan(const arguments& args) {
  const auto& model = catalog_model(args.required("--model"));
  solkit::codegen::dataset data;
  data.add(model, {args.positive("--tp"), args.positive("--ep")});
  const auto& p = data.plans().front();
  std::cout << model.display_name << " at TP=" << p.serving.tp << ", EP=" << p.serving.ep << "\n";
  for (const auto& entry : p.plan.entries) {
    std::cout << "  " << solkit::describe(entry.axes).name << "  " << entry.role << "  x" << entry.count << "\n";
  }
  for (const auto& entry : p.plan.unsupported) {
    std::cout << "  (no definition) " << entry.module << "  x" << entry.count << ": " << entry.reason << "\n";
  }
  return 0;
}

int run_instantiate(const arguments& args) {
  const solkit::models::serving_config serving{args.positive("--tp"), args.positive("--ep")};
  std::unique_ptr<solkit::codegen::imported_model> imported;
  const solkit::models::model_config* model = nullptr;
  if (args.has("--config")) {
    imported = solkit::codegen::import_hf_config(args.required("--config"), args.required("--name"), serving);
    model = &imported->config;
  } else {
    model = &catalog_model(args.required("--model"));
  }
  solkit::codegen::dataset data;
  data.add(*model, serving);
  const auto sources = solkit::codegen::instantiation_sources(data.plans().front());
  const fs::path out = args.required("--out");
  std::set<std::string> replaced;
  for (const auto& [name, text] : sources) replaced.insert(name);
  solkit::codegen::write_files(out, sources, replaced);
  std::cout << "wrote " << sources.size() << " instantiation files under " << out << "\n";
  return 0;
}

int run_import(const arguments& args) {
  if (args.positional.size() != 1) throw input_error("import-hf takes one config.json");
  const solkit::models::serving_config serving{args.positive("--tp"), args.positive("--ep")};
  const auto imported =
      solkit::codegen::import_hf_config(args.positional[0], args.required("--name"), serving);
  solkit::codegen::dataset data;
  data.add(imported->config, serving);
  solkit::codegen::file_set files = data.files();
  for (const auto& [name, text] : solkit::codegen::instantiation_sources(data.plans().front())) {
    files["instantiate/" + name] = text;
  }
  const fs::path out = args.required("--out");
  solkit::codegen::write_files(out, files, {"definitions", "instantiate"});
  std::cout << imported->slug << " (" << imported->architecture << ") at TP=" << serving.tp
            << ", EP=" << serving.ep << ": " << data.definitions().size() << " definitions, "
            << data.plans().front().plan.unsupported.size() << " modules without one; wrote "
            << files.size() << " files under " << out << "\n";
  return 0;
}

std::vector<const solkit::roofline::hardware*> hardware_of(const arguments& args) {
  std::vector<const solkit::roofline::hardware*> gpus;
  const std::string name = args.has("--hardware") ? args.options.at("--hardware") : "H100_SXM";
  if (name == "all") {
    gpus.assign(solkit::roofline::all_hardware.begin(), solkit::roofline::all_hardware.end());
  } else if (const auto* gpu = solkit::roofline::find_hardware(name)) {
    gpus.push_back(gpu);
  } else {
    std::string known;
    for (const auto* gpu : solkit::roofline::all_hardware) known += (known.empty() ? "" : ", ") + std::string{gpu->name};
    throw input_error("no hardware named '" + name + "'; known: " + known + ", all");
  }
  return gpus;
}

/// `sol --suite atrex`: T_SOL of every shape of the atrex operators solkit defines, and the S of
/// atrex's production kernels on its XPU-A: T_SOL(XPU-A) / T_production.
int run_sol_atrex(const arguments& args) {
  const fs::path root = args.has("--suite-file") ? fs::path{args.options.at("--suite-file")}
                                                 : args.root() / "bench/suites/atrex";
  const auto rows = solkit::codegen::atrex_suite(root);
  const auto& xpu = solkit::roofline::xpu_a;
  nlohmann::ordered_json json = nlohmann::ordered_json::array();
  for (const auto* gpu : hardware_of(args)) {
    std::map<std::string, std::pair<double, int>> s_by_op;  // sum of S, shapes
    std::map<std::string, double> importance;
    std::set<std::string> undefined;
    if (!args.has("--json")) {
      std::cout << "atrex-bench shapes on " << gpu->name << " (S_prod: atrex's production kernel on XPU-A)\n\n"
                << "| operator | shape | definition | T_SOL (us) | bound | bytes | bf16 TC | fp8 TC | fp32 | SFU "
                   "| T_SOL XPU-A (us) | T_prod XPU-A (us) | S_prod |\n"
                   "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    }
    for (const auto& row : rows) {
      importance[row.op] = row.importance;
      nlohmann::ordered_json entry{{"hardware", gpu->name}, {"operator", row.op}, {"shape", row.shape},
                                   {"description", row.description}, {"importance", row.importance}};
      if (!row.mapped) {
        undefined.insert(row.op);
        entry["definition"] = nullptr;
        json.push_back(std::move(entry));
        continue;
      }
      const auto sol = solkit::roofline::sol(row.mapped->cost, *gpu);
      const auto on_xpu = solkit::roofline::sol(row.mapped->cost, xpu);
      entry["definition"] = row.mapped->spec.name.view();
      entry["t_sol_us"] = sol.seconds * 1e6;
      entry["bound"] = sol.bound();
      entry["bytes"] = row.mapped->cost.bytes();
      for (const auto unit : solkit::roofline::all_execution_units) {
        entry["flops"][std::string{solkit::roofline::name_of(unit)}] = row.mapped->cost.flops_of(unit);
      }
      entry["t_sol_xpu_a_us"] = on_xpu.seconds * 1e6;
      std::string s_text = "-";
      if (row.production_us && *row.production_us > 0) {
        const double s_prod = on_xpu.score(*row.production_us * 1e-6);
        entry["production_xpu_a_us"] = *row.production_us;
        entry["production_s"] = s_prod;
        s_by_op[row.op].first += s_prod;
        s_by_op[row.op].second += 1;
        s_text = solkit::codegen::format(s_prod, "%.3f");
      }
      if (!args.has("--json")) {
        std::cout << "| " << row.op << " | " << row.shape << " | " << row.mapped->spec.name << " | "
                  << solkit::codegen::format(sol.seconds * 1e6, "%.3f") << " | " << sol.bound() << " | "
                  << solkit::codegen::format(row.mapped->cost.bytes(), "%.4g") << " | ";
        using solkit::roofline::execution_unit;
        for (const auto unit : {execution_unit::tensor_bf16, execution_unit::tensor_fp8,
                                execution_unit::cuda_fp32, execution_unit::sfu}) {
          std::cout << solkit::codegen::format(row.mapped->cost.flops_of(unit), "%.3g") << " | ";
        }
        std::cout << solkit::codegen::format(on_xpu.seconds * 1e6, "%.3f") << " | "
                  << (row.production_us ? solkit::codegen::format(*row.production_us, "%.2f") : "-") << " | "
                  << s_text << " |\n";
      }
      json.push_back(std::move(entry));
    }
    if (!args.has("--json")) {
      double weighted = 0, weights = 0;
      std::cout << "\n| operator | importance | shapes | mean S_prod |\n|---|---|---|---|\n";
      for (const auto& [op, sum] : s_by_op) {
        const double mean = sum.first / sum.second;
        weighted += importance[op] * mean;
        weights += importance[op];
        std::cout << "| " << op << " | " << importance[op] << " | " << sum.second << " | "
                  << solkit::codegen::format(mean, "%.3f") << " |\n";
      }
      std::cout << "\nImportance-weighted S of the production kernels over these " << s_by_op.size()
                << " operators: " << solkit::codegen::format(weights > 0 ? weighted / weights : 0, "%.3f")
                << "\n";
      if (!undefined.empty()) {
        std::cout << "Not yet solkit definitions (" << undefined.size() << "):";
        for (const auto& op : undefined) std::cout << " " << op;
        std::cout << "\n";
      }
      std::cout << "\n";
    }
  }
  if (args.has("--json")) std::cout << json.dump(2) << "\n";
  return 0;
}

/// `sol --suite flashinfer-bench`: T_SOL of every captured workload.
int run_sol_suite(const arguments& args) {
  const std::string suite = args.options.at("--suite");
  if (suite == "atrex") return run_sol_atrex(args);
  if (suite != "flashinfer-bench") {
    throw input_error("option --suite must be flashinfer-bench or atrex, not '" + suite + "'");
  }
  const fs::path file = args.has("--suite-file") ? fs::path{args.options.at("--suite-file")}
                                                 : args.root() / "bench/suites/flashinfer-bench-workload-axes.json";
  const auto rows = solkit::codegen::flashinfer_bench_suite(file);
  nlohmann::ordered_json json = nlohmann::ordered_json::array();
  for (const auto* gpu : hardware_of(args)) {
    if (!args.has("--json")) {
      std::cout << "flashinfer-bench captured workloads on " << gpu->name << "\n\n"
                << "| definition | workload | T_SOL (us) | bound | bytes | tensor bf16 | tensor fp8 | cuda fp32 |\n"
                   "|---|---|---|---|---|---|---|---|\n";
    }
    for (const auto& row : rows) {
      nlohmann::ordered_json entry{{"hardware", gpu->name}, {"definition", row.definition},
                                   {"workload", nlohmann::json::parse(row.axes)}};
      if (!row.cost) {
        entry["unsupported"] = row.unsupported;
        if (!args.has("--json")) std::cout << "| " << row.definition << " | " << row.axes << " | - | " << row.unsupported << " | | | | |\n";
      } else {
        using solkit::roofline::execution_unit;
        const auto sol = solkit::roofline::sol(*row.cost, *gpu);
        entry["t_sol_us"] = sol.seconds * 1e6;
        entry["bound"] = sol.bound();
        entry["bytes"] = row.cost->bytes();
        for (execution_unit unit : solkit::roofline::all_execution_units) {
          entry["flops"][std::string{solkit::roofline::name_of(unit)}] = row.cost->flops_of(unit);
        }
        if (!args.has("--json")) {
          std::cout << "| " << row.definition << " | " << row.axes << " | "
                    << solkit::codegen::format(sol.seconds * 1e6, "%.3f") << " | " << sol.bound() << " | "
                    << solkit::codegen::format(row.cost->bytes(), "%.4g") << " | "
                    << solkit::codegen::format(row.cost->flops_of(execution_unit::tensor_bf16), "%.3g") << " | "
                    << solkit::codegen::format(row.cost->flops_of(execution_unit::tensor_fp8), "%.3g") << " | "
                    << solkit::codegen::format(row.cost->flops_of(execution_unit::cuda_fp32), "%.3g") << " |\n";
        }
      }
      json.push_back(std::move(entry));
    }
    if (!args.has("--json")) std::cout << "\n" << rows.size() << " workloads\n\n";
  }
  if (args.has("--json")) std::cout << json.dump(2) << "\n";
  return 0;
}

int run_sol(const arguments& args) {
  if (args.has("--suite")) return run_sol_suite(args);
  const auto& model = catalog_model(args.required("--model"));
  solkit::codegen::dataset data;
  data.add(model, {args.positive("--tp"), args.positive("--ep")});
  solkit::models::forward_workload w;
  const std::string phase = args.has("--phase") ? args.options.at("--phase") : "decode";
  if (phase != "decode" && phase != "prefill") {
    throw input_error("option --phase must be decode or prefill, not '" + phase + "'");
  }
  w.step = phase == "decode" ? solkit::models::phase::decode : solkit::models::phase::prefill;
  w.batch = args.has("--batch") ? args.positive("--batch") : 1;
  w.context = args.has("--context") ? args.positive("--context") : 4096;
  w.page_size = args.has("--page-size") ? args.positive("--page-size") : 64;
  if (w.page_size != 1 && w.page_size != 64) {
    throw input_error("option --page-size must be 1 or 64 (the page sizes plans hold)");
  }
  const auto gpus = hardware_of(args);
  const auto& p = data.plans().front();
  if (args.has("--json")) {
    nlohmann::ordered_json reports = nlohmann::ordered_json::array();
    for (const auto* gpu : gpus) reports.push_back(solkit::codegen::sol_json(p, *gpu, w));
    std::cout << (reports.size() == 1 ? reports[0] : reports).dump(2) << "\n";
  } else {
    for (const auto* gpu : gpus) std::cout << solkit::codegen::sol_table(p, *gpu, w) << "\n";
  }
  return 0;
}

int run_show(const arguments& args) {
  if (args.positional.size() != 1) throw input_error("show takes one definition name");
  const auto data = catalog_dataset();
  const auto found = data.definitions().find(args.positional[0]);
  if (found == data.definitions().end()) {
    std::cerr << "solkit-codegen show: no catalog definition named '" << args.positional[0] << "'\n";
    return 1;
  }
  const std::vector<std::string> tags(found->second.tags.begin(), found->second.tags.end());
  std::cout << solkit::to_json(found->second.spec, tags).dump(2) << "\n";
  return 0;
}

/// Every benchmark binary: one per catalog plan, then the suites.
std::vector<solkit::codegen::bench_binary> all_benchmarks(const fs::path& root) {
  std::vector<solkit::codegen::bench_binary> binaries;
  const auto data = catalog_dataset();
  for (const auto& p : data.plans()) binaries.push_back(solkit::codegen::plan_benchmarks(p));
  binaries.push_back(solkit::codegen::atrex_benchmarks(root / "bench/suites/atrex"));
  binaries.push_back(solkit::codegen::attention_benchmarks());
  binaries.push_back(solkit::codegen::sampling_benchmarks());
  binaries.push_back(
      solkit::codegen::flashinfer_bench_benchmarks(root / "bench/suites/flashinfer-bench-workload-axes.json"));
  return binaries;
}

int run_benchmarks(const arguments& args) {
  const auto binaries = all_benchmarks(args.root());
  if (args.has("--list")) {
    for (const auto& binary : binaries) std::cout << binary.id << "  " << binary.cases.size() << " benchmarks  " << binary.description << "\n";
    return 0;
  }
  std::set<std::string> wanted;
  if (args.has("--only")) {
    std::string list = args.options.at("--only");
    for (std::size_t start = 0; start <= list.size();) {
      const std::size_t end = std::min(list.find(',', start), list.size());
      if (end > start) wanted.insert(list.substr(start, end - start));
      start = end + 1;
    }
    for (const std::string& id : wanted) {
      bool known = false;
      for (const auto& binary : binaries) known = known || binary.id == id;
      if (!known) throw input_error("--only: no benchmark binary named '" + id + "' (see --list)");
    }
  }
  const fs::path out = args.required("--out");
  solkit::codegen::file_set files;
  for (const auto& binary : binaries) {
    if (!wanted.empty() && !wanted.contains(binary.id)) continue;
    for (auto& [name, text] : solkit::codegen::benchmark_sources(binary)) files[name] = std::move(text);
  }
  std::set<std::string> replaced;
  for (const auto& [name, text] : files) replaced.insert(name);
  solkit::codegen::write_files(out, files, replaced);
  std::cout << "wrote " << files.size() << " benchmark files under " << out << "\n";
  return 0;
}

std::vector<std::string> comma_list(const std::string& text) {
  std::vector<std::string> items;
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t end = std::min(text.find(',', start), text.size());
    if (end > start) items.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return items;
}

int run_report(const arguments& args) {
  std::vector<solkit::codegen::result_file> results;
  for (const std::string& file : comma_list(args.required("--results"))) {
    results.push_back(solkit::codegen::read_benchmark_json(file));
  }
  std::map<std::string, std::vector<solkit::codegen::peer_row>> peers;
  if (args.has("--peers")) {
    for (const std::string& file : comma_list(args.options.at("--peers"))) {
      for (auto& [name, rows] : solkit::codegen::read_peer_json(file)) {
        auto& into = peers[name];
        into.insert(into.end(), rows.begin(), rows.end());
      }
    }
  }
  auto data = catalog_dataset();
  solkit::codegen::add_atrex_definitions(data, args.root() / "bench/suites/atrex");
  std::map<std::string, std::string> op_type_of;
  for (const auto& [name, record] : data.definitions()) op_type_of[name] = std::string{record.spec.op_type};
  const auto report = solkit::codegen::render_report(results, peers, op_type_of,
                                                     solkit::codegen::detail::atrex_importance(args.root() / "bench/suites/atrex"));
  const std::string title = args.has("--title") ? args.options.at("--title") : "solkit benchmarks";
  const fs::path markdown = args.required("--markdown"), svg = args.required("--svg");
  std::string sources;
  for (const auto& file : results) sources += (sources.empty() ? "" : ", ") + file.path.filename().string();
  const std::string text = "# " + title + "\n\nGenerated by `solkit-codegen report` from " + sources +
                           "; do not edit. Chart: [" + svg.filename().string() + "](" + svg.filename().string() +
                           ").\n\n" + report.markdown;
  solkit::codegen::write_files(markdown.parent_path().empty() ? fs::path{"."} : markdown.parent_path(),
                               {{markdown.filename().string(), text}, {svg.filename().string(), report.svg}},
                               {markdown.filename().string(), svg.filename().string()});
  std::cout << "wrote " << markdown << " and " << svg << "\n";
  return 0;
}

int usage(std::ostream& out, int status) {
  out << "usage:\n"
         "  solkit-codegen dataset  [--root DIR] [--check]\n"
         "  solkit-codegen coverage [--root DIR] [--check]\n"
         "  solkit-codegen plan --model NAME --tp T --ep E\n"
         "  solkit-codegen instantiate (--model NAME | --config FILE --name NAME) --tp T --ep E --out DIR\n"
         "  solkit-codegen import-hf CONFIG.json --name NAME --tp T --ep E --out DIR\n"
         "  solkit-codegen show NAME\n"
         "  solkit-codegen sol --model NAME --tp T --ep E [--hardware H100_SXM|H200_SXM|H20|B200|"
         "A100_SXM_80GB|L40S|XPU-A|all]\n"
         "                     [--phase decode|prefill] [--batch B] [--context C] [--page-size 1|64] [--json]\n"
         "  solkit-codegen sol --suite flashinfer-bench|atrex [--suite-file PATH] [--hardware GPU|all] [--json]\n"
         "  solkit-codegen benchmarks --out DIR [--root DIR] [--only ID[,ID...]] [--list]\n"
         "  solkit-codegen report --results A.json[,B.json] [--peers P.json[,...]] --markdown FILE --svg FILE\n"
         "                        [--root DIR] [--title TEXT]\n";
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> all(argv + 1, argv + argc);
  if (all.empty()) return usage(std::cerr, 2);
  const std::string_view command = all.front();
  const std::vector<std::string_view> rest(all.begin() + 1, all.end());
  try {
    if (command == "dataset") return run_dataset(arguments::parse(rest, {"--check"}, {"--root"}));
    if (command == "coverage") return run_coverage(arguments::parse(rest, {"--check"}, {"--root"}));
    if (command == "plan") return run_plan(arguments::parse(rest, {}, {"--model", "--tp", "--ep"}));
    if (command == "instantiate") {
      return run_instantiate(
          arguments::parse(rest, {}, {"--model", "--config", "--name", "--tp", "--ep", "--out"}));
    }
    if (command == "import-hf") {
      return run_import(arguments::parse(rest, {}, {"--name", "--tp", "--ep", "--out"}));
    }
    if (command == "show") return run_show(arguments::parse(rest, {}, {}));
    if (command == "sol") {
      return run_sol(arguments::parse(rest, {"--json"},
                                      {"--model", "--tp", "--ep", "--hardware", "--phase", "--batch",
                                       "--context", "--page-size", "--suite", "--suite-file", "--root"}));
    }
    if (command == "report") {
      return run_report(arguments::parse(rest, {}, {"--results", "--peers", "--markdown", "--svg", "--root", "--title"}));
    }
    if (command == "benchmarks") {
      return run_benchmarks(arguments::parse(rest, {"--list"}, {"--out", "--root", "--only"}));
    }
    if (command == "--help" || command == "-h") return usage(std::cout, 0);
    std::cerr << "solkit-codegen: unknown command '" << command << "'\n";
    return usage(std::cerr, 2);
  } catch (const input_error& error) {
    std::cerr << "solkit-codegen " << command << ": " << error.what() << "\n";
    return 2;
  } catch (const std::filesystem::filesystem_error& error) {
    std::cerr << "solkit-codegen " << command << ": " << error.path1().string()
              << ": cannot be written (" << error.code().message() << ")\n";
    return 2;
  } catch (const std::exception& error) {
    // Not the user's input: a solkit bug (a definition that breaks a rule, a full static_vector).
    std::cerr << "solkit-codegen " << command << ": internal error: " << error.what() << "\n";
    return 1;
  }
}
