#pragma once
// flashinfer-bench's rules for a definition file, checked on the JSON itself so that anything
// solkit writes (or reads) can be verified without Python: fields and their types, dtypes from
// the schema's enum, every shape axis declared, input and output names disjoint, constraints
// that parse as Python expressions, a reference with a top-level `def run` whose parameters are
// the inputs in order (flashinfer-bench calls run(**inputs)), and the dataset layout
// definitions/{op_type}/{name}.json.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "solkit/core/dtype.hpp"
#include "solkit/core/python_expression.hpp"

namespace solkit {

namespace detail {
/// Parameter names of the first top-level `def run(...)` in a Python source, or nothing.
inline std::optional<std::vector<std::string>> run_parameters(std::string_view source) {
  std::size_t line_start = 0;
  while (line_start < source.size()) {
    std::size_t line_end = source.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = source.size();
    if (source.substr(line_start, 8) == "def run(") {
      const std::size_t open = line_start + 7;
      const std::size_t close = source.find("):", open);
      if (close == std::string_view::npos) return std::nullopt;
      std::vector<std::string> names;
      std::string current;
      bool in_default = false;
      int depth = 0;
      auto flush = [&] {
        std::string trimmed;
        for (char c : current) {
          if (c != ' ' && c != '\n' && c != '\t') trimmed += c;
        }
        if (!trimmed.empty()) names.push_back(trimmed);
        current.clear();
        in_default = false;
      };
      for (std::size_t i = open + 1; i < close; ++i) {
        const char c = source[i];
        if (c == '(' || c == '[') ++depth;
        if (c == ')' || c == ']') --depth;
        if (c == ',' && depth == 0) {
          flush();
        } else if (c == '=' && depth == 0) {
          in_default = true;
        } else if (c == ':' && depth == 0) {
          in_default = true;  // an annotation: the name is complete
        } else if (!in_default) {
          current += c;
        }
      }
      flush();
      return names;
    }
    line_start = line_end + 1;
  }
  return std::nullopt;
}
}  // namespace detail

/// Every rule the definition breaks; empty when it is valid. Takes ordered_json: the order of
/// the inputs is checked against run()'s parameters. `file`, when given, is checked
/// against the layout definitions/{op_type}/{name}.json.
inline std::vector<std::string> validate_definition(
    const nlohmann::ordered_json& definition, const std::optional<std::filesystem::path>& file = {}) {
  std::vector<std::string> problems;
  auto problem = [&problems](const std::string& text) { problems.push_back(text); };

  if (!definition.is_object()) return {"the definition is not a JSON object"};
  for (const char* field : {"name", "op_type", "reference"}) {
    if (!definition.contains(field) || !definition[field].is_string() ||
        definition[field].get<std::string>().empty()) {
      problem(std::string{"'"} + field + "' must be a non-empty string");
    }
  }
  for (const char* field : {"axes", "inputs", "outputs"}) {
    if (!definition.contains(field) || !definition[field].is_object()) {
      problem(std::string{"'"} + field + "' must be an object");
    }
  }
  if (!problems.empty()) return problems;

  if (definition.contains("description") && !definition["description"].is_string()) {
    problem("'description' must be a string");
  }
  for (const char* field : {"tags", "constraints"}) {
    if (!definition.contains(field) || definition[field].is_null()) continue;
    if (!definition[field].is_array()) {
      problem(std::string{"'"} + field + "' must be an array of strings");
      continue;
    }
    for (const auto& entry : definition[field]) {
      if (!entry.is_string() || entry.get<std::string>().empty()) {
        problem(std::string{"'"} + field + "' entries must be non-empty strings");
      }
    }
  }

  std::set<std::string> axes;
  for (const auto& [axis, spec] : definition["axes"].items()) {
    axes.insert(axis);
    const std::string type = spec.is_object() && spec.contains("type") && spec["type"].is_string()
                                 ? spec["type"].get<std::string>()
                                 : std::string{};
    if (type == "const") {
      if (!spec.contains("value") || !spec["value"].is_number_integer() ||
          spec["value"].get<long long>() < 0) {
        problem("axis '" + axis + "': a const axis needs a non-negative integer 'value'");
      }
    } else if (type != "var") {
      problem("axis '" + axis + "': 'type' must be \"const\" or \"var\"");
    }
  }

  auto check_tensors = [&](const char* group) {
    for (const auto& [tensor, spec] : definition[group].items()) {
      const std::string where = std::string{group} + " '" + tensor + "'";
      if (!spec.is_object()) {
        problem(where + " must be an object");
        continue;
      }
      if (!spec.contains("dtype") || !spec["dtype"].is_string() ||
          !parse_dtype(spec["dtype"].get<std::string>())) {
        problem(where + ": 'dtype' is not one of flashinfer-bench's dtypes");
      }
      if (!spec.contains("shape")) {
        problem(where + ": 'shape' is missing (null for a scalar)");
      } else if (!spec["shape"].is_null()) {
        if (!spec["shape"].is_array()) {
          problem(where + ": 'shape' must be an array of axis names or null");
          continue;
        }
        for (const auto& axis : spec["shape"]) {
          if (!axis.is_string() || !axes.contains(axis.get<std::string>())) {
            problem(where + " references undefined axis " + axis.dump());
          }
        }
      }
    }
  };
  check_tensors("inputs");
  check_tensors("outputs");

  for (const auto& [output, spec] : definition["outputs"].items()) {
    if (definition["inputs"].contains(output)) {
      problem("'" + output + "' is both an input and an output");
    }
  }

  if (definition.contains("constraints") && definition["constraints"].is_array()) {
    for (const auto& constraint : definition["constraints"]) {
      if (!constraint.is_string()) continue;
      if (auto error = python_expression_parser::check(constraint.get<std::string>())) {
        problem("constraint '" + constraint.get<std::string>() + "' is not a Python expression: " +
                *error);
      }
    }
  }

  const std::string reference = definition["reference"].get<std::string>();
  if (auto parameters = detail::run_parameters(reference)) {
    std::vector<std::string> inputs;
    for (const auto& [input, spec] : definition["inputs"].items()) inputs.push_back(input);
    if (*parameters != inputs) {
      std::ostringstream text;
      text << "reference run() takes (";
      for (std::size_t i = 0; i < parameters->size(); ++i) text << (i ? ", " : "") << (*parameters)[i];
      text << ") but the inputs are (";
      for (std::size_t i = 0; i < inputs.size(); ++i) text << (i ? ", " : "") << inputs[i];
      text << ")";
      problem(text.str());
    }
  } else {
    problem("reference does not define a top-level 'def run(...):'");
  }

  if (file) {
    const std::string name = definition["name"].get<std::string>();
    const std::string op_type = definition["op_type"].get<std::string>();
    if (file->extension() != ".json") problem("file " + file->string() + " is not a .json file");
    if (file->stem().string() != name) {
      problem("file stem '" + file->stem().string() + "' differs from name '" + name + "'");
    }
    if (file->parent_path().filename().string() != op_type) {
      problem("folder '" + file->parent_path().filename().string() + "' differs from op_type '" +
              op_type + "'");
    }
    if (file->parent_path().parent_path().filename().string() != "definitions") {
      problem("file " + file->string() + " is not under definitions/{op_type}/");
    }
  }
  return problems;
}

}  // namespace solkit
