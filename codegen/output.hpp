#pragma once
// Writing generated files without leaving anything half-written: every file goes to a staging
// folder beside the target first, and only when all are written is each top-level entry
// (`definitions/`, `docs/model_coverage.md`, ...) moved into place by a rename. A check mode
// compares the files with what is on disk instead, for CI's freshness test.

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>
#include <unistd.h>

#include "codegen/dataset.hpp"

namespace solkit::codegen {

namespace fs = std::filesystem;

using file_set = std::map<std::string, std::string>;  // relative path -> contents

namespace detail {
inline std::string read_all(const fs::path& path) {
  std::ifstream in{path, std::ios::binary};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}
}  // namespace detail

/// Writes `files` under `root`. Each of `replaced` (relative paths: a folder such as
/// "definitions", or a file) is replaced whole by what `files` holds under it, so files no longer
/// generated disappear; every file must lie under one of them. Throws input_error naming the
/// path when something cannot be written; the targets are then untouched.
inline void write_files(const fs::path& root, const file_set& files,
                        const std::set<std::string>& replaced) {
  std::error_code error;
  fs::create_directories(root, error);
  if (error) throw input_error(root.string() + ": cannot create the output folder (" + error.message() + ")");
  // Unique per process and call: two runs sharing a folder must not remove each other's files.
  const fs::path staging =
      root / (".solkit-staging-" + std::to_string(::getpid()) + "-" +
              std::to_string(std::random_device{}()));
  fs::remove_all(staging, error);
  try {
    for (const auto& [relative, text] : files) {
      const fs::path path = staging / relative;
      fs::create_directories(path.parent_path());
      std::ofstream out{path, std::ios::binary};
      out << text;
      out.close();
      if (!out) throw input_error((root / relative).string() + ": cannot be written");
    }
  } catch (const fs::filesystem_error& failure) {
    fs::remove_all(staging, error);
    throw input_error(failure.path1().string() + ": cannot be written (" + failure.code().message() + ")");
  } catch (...) {
    fs::remove_all(staging, error);
    throw;
  }
  // All written: move each replaced entry into place, keeping the old one until every new one is
  // in; on a failure, put back what was moved so the targets are as they were.
  std::vector<std::pair<fs::path, fs::path>> moved;  // (target, where its old version went)
  std::vector<fs::path> placed;                      // targets that now hold the new version
  try {
    for (const std::string& entry : replaced) {
      const fs::path target = root / entry;
      const fs::path old = staging / (".old-" + std::to_string(moved.size()));
      fs::create_directories(target.parent_path());
      if (fs::exists(target)) {
        fs::rename(target, old);
        moved.emplace_back(target, old);
      }
      fs::rename(staging / entry, target);
      placed.push_back(target);
    }
  } catch (const fs::filesystem_error& failure) {
    for (auto it = placed.rbegin(); it != placed.rend(); ++it) fs::remove_all(*it, error);
    for (auto it = moved.rbegin(); it != moved.rend(); ++it) fs::rename(it->second, it->first, error);
    fs::remove_all(staging, error);
    throw input_error(failure.path1().string() + ": cannot be written (" + failure.code().message() +
                      "); nothing was changed");
  }
  fs::remove_all(staging, error);
}

/// Prints every difference between `files` and the disk under `root` (missing, stale, and
/// files in the `owned` folders that are no longer generated); returns how many.
inline int compare_files(const fs::path& root, const file_set& files,
                         const std::set<std::string>& owned) {
  int differences = 0;
  for (const auto& [relative, text] : files) {
    const fs::path path = root / relative;
    if (!fs::exists(path)) {
      std::cerr << "missing: " << relative << "\n";
      ++differences;
    } else if (detail::read_all(path) != text) {
      std::cerr << "stale: " << relative << "\n";
      ++differences;
    }
  }
  for (const std::string& folder : owned) {
    if (!fs::is_directory(root / folder)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root / folder)) {
      if (!entry.is_regular_file()) continue;
      const std::string relative = fs::relative(entry.path(), root).generic_string();
      if (!files.contains(relative)) {
        std::cerr << "not generated: " << relative << "\n";
        ++differences;
      }
    }
  }
  return differences;
}

}  // namespace solkit::codegen
