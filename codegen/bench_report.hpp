#pragma once
// `solkit-codegen report`: benchmark JSON (and the peers' JSON of the same workloads) turned
// into a markdown table and an SVG chart of S per definition/workload with the peers beside it,
// plus the targets checked row by row: S >= 0.85 where a workload moves >= 64 MB, >= 1.3x
// PyTorch eager and >= 1.1x torch.compile where it moves >= 1 MB, <= 3 us where it moves < 1 MB,
// and the importance-weighted S over the atrex operators measured.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "codegen/bench_results.hpp"

namespace solkit::codegen {

struct report_targets {
  double min_s = 0.85, s_from_bytes = 64e6;  // S target and the workloads it applies to
  double min_vs_eager = 1.3, min_vs_compile = 1.1, speedup_from_bytes = 1e6;
  double max_small_us = 3.0;  // workloads under speedup_from_bytes
};

struct rendered_report {
  std::string markdown;
  std::string svg;
};

namespace detail {
inline std::string fixed(double value, int digits) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}

inline std::string xml_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else out += c;
  }
  return out;
}

inline const peer_row* find_peer(const std::vector<peer_row>* peers, const std::string& name) {
  if (peers == nullptr) return nullptr;
  for (const peer_row& p : *peers) {
    if (p.peer == name) return &p;
  }
  return nullptr;
}

/// "12.3 (1.45x)" for a peer that ran, "-" with the reason's first words otherwise.
inline std::string peer_cell(const peer_row* peer, double solkit_us) {
  if (peer == nullptr) return "not run";
  if (!peer->error.empty()) return "n/a";
  return fixed(peer->t_us, 2) + " (" + fixed(peer->t_us / solkit_us, 2) + "x)";
}

/// The `atrex_<shape>` workloads' op types: the definition's op type is the atrex operator for
/// solkit's own op types (rms_norm, silu_and_mul, ...).
inline std::map<std::string, double> atrex_importance(const std::filesystem::path& suite_root) {
  std::map<std::string, double> importance;
  const std::filesystem::path file = suite_root / "operator_importance.json";
  if (!std::filesystem::exists(file)) return importance;
  const nlohmann::json json = read_results_json(file);
  const nlohmann::json operators = json.value("operators", nlohmann::json::object());  // kept: items() refers to it
  for (const auto& [op, info] : operators.items()) {
    importance[op] = info.value("importance_score", 0.0);
  }
  return importance;
}
}  // namespace detail

/// The report of `results` (one or more binaries' JSON) with `peers` (may be empty).
/// `op_type_of` maps a definition to its op type (from the workloads manifests or the dataset).
inline rendered_report render_report(const std::vector<result_file>& results,
                                     const std::map<std::string, std::vector<peer_row>>& peers,
                                     const std::map<std::string, std::string>& op_type_of,
                                     const std::map<std::string, double>& atrex_importance,
                                     const report_targets& targets = {}) {
  std::ostringstream md;
  int s_checked = 0, s_missed = 0, eager_checked = 0, eager_missed = 0, compile_checked = 0, compile_missed = 0,
      small_checked = 0, small_missed = 0, small_graph_missed = 0;
  std::ostringstream rows_md;
  struct bar {
    std::string label;
    double s;
    std::vector<std::pair<std::string, double>> peer_s;
  };
  std::vector<bar> bars;
  std::map<std::string, std::pair<double, int>> atrex_s;  // op -> (sum of S, shapes)
  std::set<std::string> gpus, dates, commits;
  for (const result_file& file : results) {
    gpus.insert(file.gpu);
    dates.insert(file.date.substr(0, 10));
    commits.insert(file.commit);
    for (const measured_row& row : file.rows) {
      const auto found = peers.find(row.name);
      const std::vector<peer_row>* row_peers = found == peers.end() ? nullptr : &found->second;
      if (!row.error.empty()) {
        rows_md << "| `" << row.name << "` | | | | not run: " << row.error << " | | | | |\n";
        continue;
      }
      std::string verdict;
      if (row.bytes >= targets.s_from_bytes) {
        ++s_checked;
        if (row.s < targets.min_s) {
          ++s_missed;
          verdict += "S<" + detail::fixed(targets.min_s, 2) + " ";
        }
      }
      const peer_row* eager = detail::find_peer(row_peers, "torch_eager");
      const peer_row* compiled = detail::find_peer(row_peers, "torch_compile");
      const peer_row* flashinfer = detail::find_peer(row_peers, "flashinfer");
      if (row.bytes >= targets.speedup_from_bytes) {
        if (eager != nullptr && eager->error.empty()) {
          ++eager_checked;
          if (eager->t_us / row.t_us < targets.min_vs_eager) {
            ++eager_missed;
            verdict += "eager<" + detail::fixed(targets.min_vs_eager, 1) + "x ";
          }
        }
        if (compiled != nullptr && compiled->error.empty()) {
          ++compile_checked;
          if (compiled->t_us / row.t_us < targets.min_vs_compile) {
            ++compile_missed;
            verdict += "compile<" + detail::fixed(targets.min_vs_compile, 1) + "x ";
          }
        }
      } else {
        ++small_checked;
        if (row.t_us > targets.max_small_us) {
          ++small_missed;
          verdict += ">" + detail::fixed(targets.max_small_us, 0) + "us ";
        }
        // In a CUDA graph (the host's launch cost removed), where the harness measured one.
        const double graph_us = row.t_graph_us > 0 ? row.t_graph_us : row.t_us;
        if (graph_us > targets.max_small_us) {
          ++small_graph_missed;
          verdict += "(graph too) ";
        }
      }
      rows_md << "| `" << row.name << "` | " << detail::fixed(row.bytes / 1e6, 3) << " | "
              << detail::fixed(row.t_sol_us, 2) << " | " << detail::fixed(row.t_us, 2)
              << (row.t_graph_us > 0 ? " (graph " + detail::fixed(row.t_graph_us, 2) + ")" : "") << " | "
              << detail::fixed(row.s, 3) << " | " << detail::fixed(row.gb_per_s, 0) << " | "
              << detail::peer_cell(eager, row.t_us) << " | " << detail::peer_cell(compiled, row.t_us) << " | "
              << detail::peer_cell(flashinfer, row.t_us) << " | " << (verdict.empty() ? "ok" : verdict) << " |\n";
      bar b{row.name, row.s, {}};
      for (const peer_row* p : {eager, compiled, flashinfer}) {
        if (p != nullptr && p->error.empty()) b.peer_s.emplace_back(p->peer, row.t_sol_us / p->t_us);
      }
      bars.push_back(std::move(b));
      const auto op = op_type_of.find(row.definition);
      if (row.name.find("/atrex_") != std::string::npos && op != op_type_of.end() &&
          atrex_importance.contains(op->second)) {
        atrex_s[op->second].first += row.s;
        atrex_s[op->second].second += 1;
      }
    }
  }
  const auto joined = [](const std::set<std::string>& values) {
    std::string text;
    for (const std::string& v : values) text += (text.empty() ? "" : ", ") + v;
    return text;
  };
  md << "Device: " << joined(gpus) << "; date: " << joined(dates) << "; solkit commit: " << joined(commits)
     << ".\n\nTargets (each row's last column names what it misses): S >= " << detail::fixed(targets.min_s, 2)
     << " where a workload moves >= " << detail::fixed(targets.s_from_bytes / 1e6, 0) << " MB: "
     << s_checked - s_missed << " of " << s_checked << " met; >= " << detail::fixed(targets.min_vs_eager, 1)
     << "x PyTorch eager where it moves >= 1 MB: " << eager_checked - eager_missed << " of " << eager_checked
     << " met; >= " << detail::fixed(targets.min_vs_compile, 1) << "x torch.compile: "
     << compile_checked - compile_missed << " of " << compile_checked << " met; <= "
     << detail::fixed(targets.max_small_us, 0) << " us where it moves < 1 MB: " << small_checked - small_missed
     << " of " << small_checked << " met with back-to-back launches, " << small_checked - small_graph_missed << " of "
     << small_checked << " in a CUDA graph of the same launches.\n\n";
  if (!atrex_s.empty()) {
    double weighted = 0, weights = 0;
    md << "Importance-weighted S over the atrex operators measured (mean S of each operator's shapes, "
          "weighted by atrex's importance score):";
    for (const auto& [op, sum] : atrex_s) {
      const double w = atrex_importance.at(op);
      weighted += w * sum.first / sum.second;
      weights += w;
      md << " " << op << " " << detail::fixed(sum.first / sum.second, 3) << " (w " << detail::fixed(w, 2) << ");";
    }
    md << " **weighted S = " << detail::fixed(weights > 0 ? weighted / weights : 0, 3) << "**.\n\n";
  }
  md << "| benchmark | MB moved | T_SOL us | solkit us | S | GB/s | torch eager us (solkit speedup) | "
        "torch.compile us | FlashInfer us | targets |\n|---|---|---|---|---|---|---|---|---|---|\n"
     << rows_md.str();

  // SVG: one row per benchmark, solkit's S as a bar, each peer's S (T_SOL / T_peer) as a tick.
  const int row_height = 14, label_width = 430, chart_width = 420, top = 40;
  const int height = top + static_cast<int>(bars.size()) * row_height + 30;
  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << label_width + chart_width + 20 << "\" height=\""
      << height << "\" font-family=\"monospace\" font-size=\"10\">\n"
      << "<text x=\"4\" y=\"14\" font-size=\"12\">S = T_SOL / T per definition/workload on "
      << detail::xml_escape(joined(gpus)) << ": bar solkit; ticks: torch eager (red), torch.compile (orange), "
         "FlashInfer (blue)</text>\n";
  for (double s = 0; s <= 1.0001; s += 0.25) {
    const double x = label_width + s * chart_width;
    svg << "<line x1=\"" << x << "\" y1=\"" << top - 8 << "\" x2=\"" << x << "\" y2=\"" << height - 24
        << "\" stroke=\"#ccc\"/><text x=\"" << x - 8 << "\" y=\"" << height - 10 << "\">" << detail::fixed(s, 2)
        << "</text>\n";
  }
  const double target_x = label_width + targets.min_s * chart_width;
  svg << "<line x1=\"" << target_x << "\" y1=\"" << top - 8 << "\" x2=\"" << target_x << "\" y2=\"" << height - 24
      << "\" stroke=\"#2a2\" stroke-dasharray=\"3,2\"/>\n";
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const int y = top + static_cast<int>(i) * row_height;
    svg << "<text x=\"4\" y=\"" << y + 10 << "\">" << detail::xml_escape(bars[i].label) << "</text>"
        << "<rect x=\"" << label_width << "\" y=\"" << y + 2 << "\" width=\""
        << std::clamp(bars[i].s, 0.0, 1.2) * chart_width << "\" height=\"" << row_height - 4
        << "\" fill=\"#555\"/>\n";
    for (const auto& [peer, s] : bars[i].peer_s) {
      const char* colour = peer == "torch_eager" ? "#d33" : peer == "torch_compile" ? "#e90" : "#36c";
      const double x = label_width + std::clamp(s, 0.0, 1.2) * chart_width;
      svg << "<rect x=\"" << x - 1.5 << "\" y=\"" << y << "\" width=\"3\" height=\"" << row_height
          << "\" fill=\"" << colour << "\"/>\n";
    }
  }
  svg << "</svg>\n";
  return {md.str(), svg.str()};
}

}  // namespace solkit::codegen
