// Comparison and JSON rendering of the semantics list.
#include "core/core_semantics.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

namespace continuata::core {
namespace {

float px(float v) {
  return std::round(v * 10.0f) / 10.0f;
}

bool same_node(const SemanticNode& a, const SemanticNode& b) {
  return a.id == b.id && a.role == b.role && a.name == b.name && a.value == b.value && a.kind == b.kind &&
         a.parent == b.parent && a.level == b.level && a.position == b.position && a.set_size == b.set_size &&
         a.disabled == b.disabled && a.focused == b.focused && a.checked == b.checked &&
         a.clipped == b.clipped && px(a.x) == px(b.x) && px(a.y) == px(b.y) && px(a.w) == px(b.w) &&
         px(a.h) == px(b.h);
}

}  // namespace

bool same_semantics(const Semantics& a, const Semantics& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!same_node(a[i], b[i])) return false;
  return true;
}

std::string semantics_json(const Semantics& nodes) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& n : nodes) {
    nlohmann::json j = {{"id", n.id},       {"role", n.role},         {"name", n.name},
                        {"value", n.value}, {"disabled", n.disabled}, {"focused", n.focused},
                        {"x", px(n.x)},     {"y", px(n.y)},           {"w", px(n.w)},
                        {"h", px(n.h)}};
    if (!n.kind.empty()) j["kind"] = n.kind;
    if (!n.parent.empty()) j["parent"] = n.parent;
    if (n.level) j["level"] = n.level;
    if (n.role == "radio") j["checked"] = n.checked;
    if (n.clipped) j["clipped"] = true;
    if (n.set_size) {
      j["position"] = n.position;
      j["setSize"] = n.set_size;
    }
    out.push_back(std::move(j));
  }
  return out.dump();
}

std::string rows_json(const std::vector<RowSummary>& rows) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : rows) {
    nlohmann::json j = {
        {"id", r.id},
        {"heading", r.heading},
        {"details", r.details},
        {"control", {{"id", r.control_id}, {"role", r.control_role}, {"name", r.control_name}}},
        {"position", r.position},
        {"setSize", r.set_size}};
    if (!r.href.empty()) j["control"]["href"] = r.href;
    out.push_back(std::move(j));
  }
  return out.dump();
}

}  // namespace continuata::core
