// Lenient readers of one field of a JSON object, shared by the core's parses of server answers:
// a missing or mistyped field reads as empty, so a parse never throws (the core builds with
// exceptions off) and an older or newer server's answer still parses.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace continuata::core::json_fields {

// The string at `key`, or "" when it is absent or not a string.
inline std::string str(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The integer at `key`, or nullopt when it is absent or not an integer.
inline std::optional<int64_t> integer(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int64_t>();
}

}  // namespace continuata::core::json_fields
