// JSON rendering of the semantics list.
#include "core/core_semantics.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

namespace continuata::core {

std::string semantics_json(const Semantics& nodes) {
  nlohmann::json out = nlohmann::json::array();
  auto px = [](float v) { return std::round(v * 10.0f) / 10.0f; };
  for (const auto& n : nodes) {
    nlohmann::json j = {{"id", n.id},       {"role", n.role}, {"name", n.name},   {"value", n.value},
                        {"disabled", n.disabled}, {"focused", n.focused},
                        {"x", px(n.x)}, {"y", px(n.y)}, {"w", px(n.w)}, {"h", px(n.h)}};
    if (!n.kind.empty()) j["kind"] = n.kind;
    if (!n.parent.empty()) j["parent"] = n.parent;
    if (n.level) j["level"] = n.level;
    if (n.set_size) {
      j["position"] = n.position;
      j["setSize"] = n.set_size;
    }
    out.push_back(std::move(j));
  }
  return out.dump();
}

}  // namespace continuata::core
