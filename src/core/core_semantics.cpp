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

// Written by hand, not through nlohmann::json: 10,000 rows are a few hundred KB, and building a
// json tree of them cost more than the rest of a search's frame.
void append_json_string(std::string& out, const std::string& v) {
  static const char* hex = "0123456789abcdef";
  out += '"';
  for (unsigned char ch : v) {
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += char(ch);
    } else if (ch < 0x20) {
      out += "\\u00";
      out += hex[ch >> 4];
      out += hex[ch & 15];
    } else {
      out += char(ch);
    }
  }
  out += '"';
}

std::string rows_json(const std::vector<RowSummary>& rows) {
  std::string out = "[";
  out.reserve(rows.size() * 200);
  for (size_t i = 0; i < rows.size(); ++i) {
    const RowSummary& r = rows[i];
    if (i) out += ',';
    out += "{\"id\":";
    append_json_string(out, r.id);
    out += ",\"heading\":";
    append_json_string(out, r.heading);
    out += ",\"details\":";
    append_json_string(out, r.details);
    out += ",\"controls\":[";
    for (size_t k = 0; k < r.controls.size(); ++k) {
      const RowControl& c = r.controls[k];
      out += k ? ",{\"id\":" : "{\"id\":";
      append_json_string(out, c.id);
      out += ",\"role\":";
      append_json_string(out, c.role);
      out += ",\"name\":";
      append_json_string(out, c.name);
      if (!c.href.empty()) {
        out += ",\"href\":";
        append_json_string(out, c.href);
      }
      if (!c.value.empty()) {
        out += ",\"value\":";
        append_json_string(out, c.value);
      }
      out += '}';
    }
    out +=
        "],\"position\":" + std::to_string(r.position) + ",\"setSize\":" + std::to_string(r.set_size) + "}";
  }
  out += ']';
  return out;
}

}  // namespace continuata::core
