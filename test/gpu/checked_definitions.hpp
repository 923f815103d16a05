#pragma once
// The definitions a GPU test checked, printed as `passed <definition>` lines when the whole test
// passed: bench/results/ keeps the log, and the coverage document's GPU column reads those lines.

#include <cstdio>
#include <set>
#include <string>

namespace solkit_gpu_test {

inline std::set<std::string>& checked_definitions() {
  static std::set<std::string> names;
  return names;
}

/// Records that `definition` was run against the CPU reference by this test.
inline void checked(const std::string& definition) { checked_definitions().insert(definition); }

/// Prints `passed <definition>` for each definition checked, only when the test had no failure.
inline void print_passed(int failures) {
  if (failures != 0) return;
  for (const std::string& name : checked_definitions()) std::printf("passed %s\n", name.c_str());
}

}  // namespace solkit_gpu_test
