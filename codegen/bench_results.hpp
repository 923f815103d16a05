#pragma once
// Reading what the GPU runs left in bench/results/: Google Benchmark JSON of the generated
// binaries (one row per definition/workload with T_us, T_SOL_us, S, ...), the peer script's JSON
// (tools/peers: one row per definition/workload and peer), and the GPU tests' logs (a line
// `passed <definition>` per definition whose randomized test passed). The report and the
// coverage document are computed from these files only, so they can be checked for freshness.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "codegen/atrex_suite.hpp"
#include "codegen/dataset.hpp"

namespace solkit::codegen {

struct measured_row {
  std::string name;        // definition/workload
  std::string definition;  // before the first '/'
  std::string error;       // why it did not run (then no times)
  double t_us = 0, t_sol_us = 0, s = 0, gb_per_s = 0, bytes = 0, t_graph_us = 0;
  int launches = 0;
  std::string bound;
};

struct peer_row {
  std::string peer;  // torch_eager, torch_compile, flashinfer
  double t_us = 0;
  std::string error;
};

struct result_file {
  std::filesystem::path path;
  std::string gpu, date, commit, driver;
  std::vector<measured_row> rows;
};

namespace detail {
/// The JSON of a results file, or an input_error naming it (the suites' reader).
inline nlohmann::json read_results_json(const std::filesystem::path& file) { return read_json(file); }

inline std::string strip_manual_time(std::string name) {
  const std::string suffix = "/manual_time";
  if (name.size() > suffix.size() && name.ends_with(suffix)) name.resize(name.size() - suffix.size());
  return name;
}

inline double number(const nlohmann::json& row, const char* key) {
  return row.contains(key) && row[key].is_number() ? row[key].get<double>() : 0.0;
}
}  // namespace detail

/// Whether `json` is a Google Benchmark output of a solkit benchmark binary.
inline bool is_benchmark_json(const nlohmann::json& json) {
  return json.is_object() && json.contains("context") && json.contains("benchmarks") &&
         json["context"].is_object() && json["context"].contains("solkit_commit");
}

/// One generated binary's Google Benchmark JSON.
inline result_file read_benchmark_json(const std::filesystem::path& file) {
  const nlohmann::json json = detail::read_results_json(file);
  if (!is_benchmark_json(json)) {
    throw input_error(file.string() + ": not a solkit benchmark JSON (needs context.solkit_commit and benchmarks)");
  }
  result_file result{file, json["context"].value("gpu", ""), json["context"].value("date", ""),
                     json["context"].value("solkit_commit", ""), json["context"].value("cuda_driver", ""), {}};
  for (const nlohmann::json& row : json["benchmarks"]) {
    if (!row.contains("name") || !row["name"].is_string()) throw input_error(file.string() + ": a benchmark has no name");
    if (row.value("run_type", "iteration") != "iteration") continue;  // aggregates of repetitions
    measured_row m;
    m.name = detail::strip_manual_time(row["name"].get<std::string>());
    m.definition = m.name.substr(0, m.name.find('/'));
    if (row.value("error_occurred", false)) {
      m.error = row.value("error_message", "error");
    } else {
      m.t_us = detail::number(row, "T_us");
      m.t_sol_us = detail::number(row, "T_SOL_us");
      m.s = detail::number(row, "S");
      m.gb_per_s = detail::number(row, "GB_per_s");
      m.bytes = detail::number(row, "bytes");
      m.t_graph_us = detail::number(row, "T_graph_us");
      m.launches = static_cast<int>(detail::number(row, "launches_per_event_pair"));
      const std::string label = row.value("label", "");
      if (const auto at = label.find("bound="); at != std::string::npos) {
        m.bound = label.substr(at + 6, label.find(' ', at) - at - 6);
      }
    }
    result.rows.push_back(std::move(m));
  }
  return result;
}

/// The peer script's JSON: name -> its peers' rows.
inline std::map<std::string, std::vector<peer_row>> read_peer_json(const std::filesystem::path& file) {
  const nlohmann::json json = detail::read_results_json(file);
  if (!json.is_object() || !json.contains("benchmarks") || !json["benchmarks"].is_array()) {
    throw input_error(file.string() + ": not a peer JSON (needs a 'benchmarks' list)");
  }
  std::map<std::string, std::vector<peer_row>> peers;
  for (const nlohmann::json& row : json["benchmarks"]) {
    if (!row.contains("name") || !row.contains("peer")) throw input_error(file.string() + ": a row lacks name or peer");
    peer_row p{row["peer"].get<std::string>(), detail::number(row, "T_us"), row.value("error", "")};
    if (p.error.empty() && !(p.t_us > 0)) p.error = "no time";
    peers[row["name"].get<std::string>()].push_back(std::move(p));
  }
  return peers;
}

/// What bench/results/ shows per definition, for the coverage document.
struct bench_evidence {
  std::set<std::string> gpu_tested;                 // a `passed <definition>` line in a GPU test log
  std::map<std::string, std::string> benchmarked;   // definition -> "S 0.89 (GPU, date)" at its largest workload
};

/// Every results file under `results_dir` (recursively): *.json benchmark outputs and
/// gpu-tests*.log test logs. Other JSON (peers, older formats) is ignored.
inline bench_evidence read_bench_evidence(const std::filesystem::path& results_dir) {
  bench_evidence evidence;
  if (!std::filesystem::is_directory(results_dir)) return evidence;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(results_dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());  // dated names: later runs override earlier ones
  std::map<std::string, double> largest;  // definition -> bytes of the workload quoted
  for (const std::filesystem::path& file : files) {
    const std::string name = file.filename().string();
    if (name.starts_with("gpu-tests") && file.extension() == ".log") {
      std::ifstream in{file};
      for (std::string line; std::getline(in, line);) {
        if (line.starts_with("passed ")) evidence.gpu_tested.insert(line.substr(7, line.find(' ', 7) - 7));
      }
    } else if (file.extension() == ".json") {
      const nlohmann::json json = detail::read_results_json(file);
      if (!is_benchmark_json(json)) continue;
      const result_file result = read_benchmark_json(file);
      const std::string gpu = result.gpu.find("H200") != std::string::npos ? "H200"
                              : result.gpu.find("H100") != std::string::npos ? "H100" : result.gpu;
      for (const measured_row& row : result.rows) {
        if (!row.error.empty() || row.t_us <= 0) continue;
        if (row.bytes < largest[row.definition]) continue;
        largest[row.definition] = row.bytes;
        char text[96];
        std::snprintf(text, sizeof text, "%.2f (%s, %s)", row.s, gpu.c_str(), result.date.substr(0, 10).c_str());
        evidence.benchmarked[row.definition] = text;
      }
    }
  }
  return evidence;
}

}  // namespace solkit::codegen
