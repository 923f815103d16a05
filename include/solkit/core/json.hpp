#pragma once
// flashinfer-bench JSON for a definition. nlohmann::ordered_json keeps insertion order, which
// matters: the order of inputs and outputs is the kernel's argument order, and the order of axes
// is the dataset's. Field order follows the public dataset files.

#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "solkit/core/definition.hpp"

namespace solkit {

/// The PyTorch reference as written to JSON: a preamble binding every const axis (and every
/// reference constant) to an upper-case Python name, then the op family's source.
inline std::string reference_source(const definition_spec& spec) {
  std::string source = "# solkit reference for " + spec.name.str() +
                       ": the constants are this definition's const axes.\n"
                       "import math\n\nimport torch\n\n";
  auto define = [&source](std::string_view name, std::int64_t value) {
    for (char c : name) {
      source += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    }
    source += " = " + std::to_string(value) + "\n";
  };
  for (const axis_spec& axis : spec.axes) {
    if (axis.is_constant()) define(axis.name, axis.value);
  }
  for (const reference_constant& constant : spec.reference_constants) {
    define(constant.name, constant.value);
  }
  for (std::string_view part : spec.reference) {
    source += "\n";
    source += part;
    if (!source.ends_with('\n')) source += '\n';
    source += "\n";
  }
  source.pop_back();  // one newline at the end, not a blank line
  return source;
}

namespace detail {
inline nlohmann::ordered_json tensor_json(const tensor_spec& tensor) {
  nlohmann::ordered_json json;
  if (tensor.is_scalar) {
    json["shape"] = nullptr;
  } else {
    json["shape"] = nlohmann::ordered_json::array();
    for (std::string_view axis : tensor.shape) json["shape"].push_back(axis);
  }
  json["dtype"] = json_name(tensor.type);
  if (!tensor.description.empty()) json["description"] = tensor.description;
  if (tensor.optional) json["optional"] = true;
  return json;
}
}  // namespace detail

/// The definition's JSON. `extra_tags` (model:, tp:, ep: from the plans that use it) follow the
/// definition's own tags.
inline nlohmann::ordered_json to_json(const definition_spec& spec,
                                      std::span<const std::string> extra_tags = {}) {
  nlohmann::ordered_json json;
  json["name"] = spec.name.view();
  json["description"] = spec.description;
  json["op_type"] = spec.op_type;
  json["tags"] = nlohmann::ordered_json::array();
  for (std::string_view tag : spec.tags) json["tags"].push_back(tag);
  for (const std::string& tag : extra_tags) json["tags"].push_back(tag);

  json["axes"] = nlohmann::ordered_json::object();
  for (const axis_spec& axis : spec.axes) {
    nlohmann::ordered_json entry;
    entry["type"] = json_name(axis.kind);
    if (axis.is_constant()) entry["value"] = axis.value;
    if (!axis.description.empty()) entry["description"] = axis.description;
    json["axes"][std::string{axis.name}] = std::move(entry);
  }
  json["constraints"] = nlohmann::ordered_json::array();
  for (std::string_view constraint : spec.constraints) json["constraints"].push_back(constraint);

  json["inputs"] = nlohmann::ordered_json::object();
  for (const tensor_spec& tensor : spec.inputs) {
    json["inputs"][std::string{tensor.name}] = detail::tensor_json(tensor);
  }
  json["outputs"] = nlohmann::ordered_json::object();
  for (const tensor_spec& tensor : spec.outputs) {
    json["outputs"][std::string{tensor.name}] = detail::tensor_json(tensor);
  }
  json["reference"] = reference_source(spec);
  return json;
}

/// Where the dataset keeps the definition: `definitions/{op_type}/{name}.json`.
inline std::string dataset_path(const definition_spec& spec) {
  return "definitions/" + std::string{spec.op_type} + "/" + spec.name.str() + ".json";
}

}  // namespace solkit
