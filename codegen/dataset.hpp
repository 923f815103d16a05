#pragma once
// The dataset codegen writes: every definition of every plan once, tagged with each model and
// serving configuration that uses it, and a manifest from model to serving configuration to
// definitions (role, count) and unsupported modules (reason).

#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "solkit/core/json.hpp"
#include "solkit/core/validate.hpp"
#include "solkit/models/plan.hpp"

namespace solkit::codegen {

/// An error of the user's input (a bad config, a parallelism that does not fit): printed, and
/// the program exits with status 2 having written nothing.
struct input_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline std::string serving_label(models::serving_config serving) {
  return "tp" + std::to_string(serving.tp) + "_ep" + std::to_string(serving.ep);
}

/// One (model, tp, ep) and its plan.
struct serving_plan {
  const models::model_config* model = nullptr;
  models::serving_config serving;
  models::model_plan plan;
};

struct definition_record {
  definition_spec spec;
  std::set<std::string> tags;  // model:, tp:, ep: of every plan that uses it; suite:, atrex:
};

class dataset {
 public:
  /// Plans `model` for `serving` and records its definitions; throws input_error when the
  /// parallelism does not fit the model, or when a definition name would stand for two
  /// different definitions.
  void add(const models::model_config& model, models::serving_config serving) {
    const models::model_plan plan = models::plan(model, {serving.tp, serving.ep});
    if (plan.error != nullptr) {
      throw input_error(std::string{model.slug} + " at tp=" + std::to_string(serving.tp) +
                        ", ep=" + std::to_string(serving.ep) + ": " + plan.error);
    }
    for (const models::plan_entry& entry : plan.entries) {
      const definition_spec spec = describe(entry.axes);
      auto [record, inserted] = definitions_.try_emplace(spec.name.str(), definition_record{spec, {}});
      if (!inserted && to_json(record->second.spec) != to_json(spec)) {
        throw input_error("two different definitions are named " + spec.name.str() + " (" +
                          std::string{model.slug} + " differs from an earlier model)");
      }
      record->second.tags.insert("model:" + std::string{model.slug});
      record->second.tags.insert("tp:" + std::to_string(serving.tp));
      record->second.tags.insert("ep:" + std::to_string(serving.ep));
    }
    plans_.push_back({&model, serving, plan});
  }

  /// A definition a workload suite runs (atrex-bench's operators), tagged `suite:{suite}` and
  /// with `extra_tag` unless the spec carries it; merged with a plan's definition of that name.
  void add_suite_definition(const definition_spec& spec, const std::string& suite, const std::string& extra_tag) {
    auto [record, inserted] = definitions_.try_emplace(spec.name.str(), definition_record{spec, {}});
    if (!inserted && to_json(record->second.spec) != to_json(spec)) {
      throw input_error("two different definitions are named " + spec.name.str() + " (suite " + suite + ")");
    }
    record->second.tags.insert("suite:" + suite);
    bool carried = false;
    for (std::string_view tag : spec.tags) carried = carried || tag == extra_tag;
    if (!carried) record->second.tags.insert(extra_tag);
  }

  /// Every catalog model at each of its serving configurations.
  template <class Catalog>
  void add_catalog(const Catalog& catalog) {
    for (const models::model_config* model : catalog) {
      for (const models::serving_config& serving : model->serving) add(*model, serving);
    }
  }

  const std::map<std::string, definition_record>& definitions() const { return definitions_; }
  const std::vector<serving_plan>& plans() const { return plans_; }

  /// definitions/{op_type}/{name}.json of every definition, validated, and
  /// definitions/manifest.json; keyed by path relative to the dataset root.
  std::map<std::string, std::string> files() const {
    std::map<std::string, std::string> files;
    for (const auto& [name, record] : definitions_) {
      const std::vector<std::string> tags(record.tags.begin(), record.tags.end());
      const nlohmann::ordered_json json = to_json(record.spec, tags);
      const std::string path = dataset_path(record.spec);
      const auto problems = validate_definition(json, std::filesystem::path{path});
      if (!problems.empty()) {
        // A definition solkit computes that breaks flashinfer-bench's rules is a solkit bug.
        throw std::logic_error(name + ": " + problems.front());
      }
      files[path] = json.dump(2) + "\n";
    }
    files["definitions/manifest.json"] = manifest().dump(2) + "\n";
    return files;
  }

  /// model -> serving configuration -> definitions (role, count) and unsupported modules.
  nlohmann::ordered_json manifest() const {
    nlohmann::ordered_json models = nlohmann::ordered_json::object();
    for (const serving_plan& p : plans_) {
      nlohmann::ordered_json& model = models[std::string{p.model->slug}];
      if (!model.contains("display_name")) {
        model["display_name"] = p.model->display_name;
        model["hf_architecture"] = p.model->hf_architecture;
        model["verified"] = p.model->verified;
        model["source"] = p.model->source;
        model["serving"] = nlohmann::ordered_json::object();
      }
      nlohmann::ordered_json serving;
      serving["tp"] = p.serving.tp;
      serving["ep"] = p.serving.ep;
      serving["definitions"] = nlohmann::ordered_json::array();
      for (const models::plan_entry& entry : p.plan.entries) {
        const definition_spec spec = describe(entry.axes);
        serving["definitions"].push_back(
            {{"name", spec.name.view()}, {"op_type", spec.op_type}, {"role", entry.role},
             {"count", entry.count}});
      }
      serving["unsupported"] = nlohmann::ordered_json::array();
      for (const models::unsupported_entry& entry : p.plan.unsupported) {
        serving["unsupported"].push_back(
            {{"module", entry.module}, {"reason", entry.reason}, {"count", entry.count}});
      }
      model["serving"][serving_label(p.serving)] = std::move(serving);
    }
    nlohmann::ordered_json manifest;
    manifest["about"] =
        "Generated by solkit-codegen: for each model and serving configuration (tensor "
        "parallel tp, expert parallel ep), the definitions one GPU runs with their role and "
        "runs per forward pass, and the modules solkit has no definition for.";
    manifest["models"] = std::move(models);
    return manifest;
  }

 private:
  std::map<std::string, definition_record> definitions_;
  std::vector<serving_plan> plans_;
};

}  // namespace solkit::codegen
