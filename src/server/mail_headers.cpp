// Stored header lines: JSON text, checked on the way in and again on the way out.
#include "server/mail_headers.hpp"

#include <nlohmann/json.hpp>

namespace continuata::server {
namespace {

bool safe(const std::string& name, const std::string& value) {
  if (name.empty()) return false;
  for (unsigned char c : name)
    if (c <= 32 || c >= 127 || c == ':') return false;
  for (unsigned char c : value)
    if (c == '\r' || c == '\n' || c == 0) return false;
  return true;
}

}  // namespace

std::string stored_headers(const HeaderLines& headers) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [name, value] : headers)
    if (safe(name, value)) out.push_back({name, value});
  return out.empty() ? "" : out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

HeaderLines read_stored_headers(const std::string& text) {
  HeaderLines out;
  if (text.empty()) return out;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& line : j)
    if (line.is_array() && line.size() == 2 && line[0].is_string() && line[1].is_string() &&
        safe(line[0].get<std::string>(), line[1].get<std::string>()))
      out.emplace_back(line[0].get<std::string>(), line[1].get<std::string>());
  return out;
}

}  // namespace continuata::server
