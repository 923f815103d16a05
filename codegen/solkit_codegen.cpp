// solkit-codegen: writes solkit's flashinfer-bench dataset. For now the dataset is every public
// flashinfer-bench definition of solkit's op types, computed from its axes (the model catalog and
// its per-device plans are the next step); each file is validated before it is written.
//
//   solkit-codegen dataset [--root DIR] [--check]   write (or compare) DIR/definitions/
//   solkit-codegen list                             print the definition names
//   solkit-codegen show NAME                        print one definition's JSON

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "codegen/public_definitions.hpp"
#include "solkit/core/json.hpp"
#include "solkit/core/validate.hpp"

namespace {

namespace fs = std::filesystem;

struct emitted_file {
  std::string relative_path;  // definitions/{op_type}/{name}.json
  std::string text;           // the file's bytes
};

/// Every definition as the file it becomes, in name order; exits on a definition that breaks
/// flashinfer-bench's rules, so nothing invalid is ever written.
std::map<std::string, emitted_file> emit_dataset() {
  std::map<std::string, emitted_file> files;
  bool valid = true;
  solkit::codegen::for_each_public_definition([&](const auto& axes) {
    const auto described = solkit::try_describe(axes);
    if (described.error != nullptr) {
      std::cerr << "solkit-codegen: invalid axes: " << described.error << "\n";
      valid = false;
      return;
    }
    const auto& spec = *described.spec;
    const auto json = solkit::to_json(spec);
    const std::string path = solkit::dataset_path(spec);
    for (const auto& problem : solkit::validate_definition(json, fs::path{path})) {
      std::cerr << "solkit-codegen: " << spec.name << ": " << problem << "\n";
      valid = false;
    }
    emitted_file file{path, json.dump(2) + "\n"};
    const auto [existing, inserted] = files.emplace(spec.name.str(), file);
    // Two axes sets with one name (MoE names show local experts only) must not overwrite
    // each other silently.
    if (!inserted && existing->second.text != file.text) {
      std::cerr << "solkit-codegen: two different definitions are named " << spec.name << "\n";
      valid = false;
    }
  });
  if (!valid) std::exit(1);
  return files;
}

std::string read_file(const fs::path& path) {
  std::ifstream in{path, std::ios::binary};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int write_dataset(const fs::path& root) {
  const auto files = emit_dataset();
  std::map<std::string, int> per_op_type;
  for (const auto& [name, file] : files) {
    const fs::path path = root / file.relative_path;
    fs::create_directories(path.parent_path());
    std::ofstream out{path, std::ios::binary};
    out << file.text;
    if (!out) {
      std::cerr << "solkit-codegen: cannot write " << path << "\n";
      return 1;
    }
    ++per_op_type[fs::path{file.relative_path}.parent_path().filename().string()];
  }
  for (const auto& [op_type, count] : per_op_type) {
    std::cout << "  " << op_type << ": " << count << " definitions\n";
  }
  std::cout << "wrote " << files.size() << " definitions under " << (root / "definitions") << "\n";
  return 0;
}

/// Compares the files on disk with what the code generates: CI's freshness check.
int check_dataset(const fs::path& root) {
  const auto files = emit_dataset();
  std::set<std::string> expected;
  int stale = 0;
  for (const auto& [name, file] : files) {
    expected.insert(file.relative_path);
    const fs::path path = root / file.relative_path;
    if (!fs::exists(path)) {
      std::cerr << "missing: " << file.relative_path << "\n";
      ++stale;
    } else if (read_file(path) != file.text) {
      std::cerr << "stale: " << file.relative_path << "\n";
      ++stale;
    }
  }
  const fs::path definitions = root / "definitions";
  if (fs::is_directory(definitions)) {
    for (const auto& entry : fs::recursive_directory_iterator(definitions)) {
      if (entry.path().extension() != ".json") continue;
      const std::string relative = fs::relative(entry.path(), root).generic_string();
      if (!expected.contains(relative)) {
        std::cerr << "not generated: " << relative << "\n";
        ++stale;
      }
    }
  }
  if (stale != 0) {
    std::cerr << stale << " dataset files differ from the generated ones; run "
              << "`solkit-codegen dataset --root " << root.string() << "`\n";
    return 1;
  }
  std::cout << "dataset is fresh: " << files.size() << " definitions\n";
  return 0;
}

int usage(std::ostream& out, int status) {
  out << "usage:\n"
         "  solkit-codegen dataset [--root DIR] [--check]   write (or compare) DIR/definitions/\n"
         "  solkit-codegen list                             print the definition names\n"
         "  solkit-codegen show NAME                        print one definition's JSON\n";
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty()) return usage(std::cerr, 2);
  const std::string_view command = args[0];

  if (command == "dataset") {
    fs::path root = ".";
    bool check = false;
    for (std::size_t i = 1; i < args.size(); ++i) {
      if (args[i] == "--check") {
        check = true;
      } else if (args[i] == "--root" && i + 1 < args.size()) {
        root = args[++i];
      } else {
        std::cerr << "solkit-codegen dataset: unknown argument '" << args[i] << "'\n";
        return usage(std::cerr, 2);
      }
    }
    return check ? check_dataset(root) : write_dataset(root);
  }
  if (command == "list" && args.size() == 1) {
    for (const auto& [name, file] : emit_dataset()) std::cout << name << "\n";
    return 0;
  }
  if (command == "show" && args.size() == 2) {
    const auto files = emit_dataset();
    const auto found = files.find(std::string{args[1]});
    if (found == files.end()) {
      std::cerr << "solkit-codegen show: no definition named '" << args[1]
                << "' (`solkit-codegen list` prints the names)\n";
      return 1;
    }
    std::cout << found->second.text;
    return 0;
  }
  if (command == "--help" || command == "-h") return usage(std::cout, 0);
  std::cerr << "solkit-codegen: unknown command '" << command << "'\n";
  return usage(std::cerr, 2);
}
