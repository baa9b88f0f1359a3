// JSON request field checks: see the header.
#include "server/api_fields.hpp"

#include "server/api_error.hpp"

namespace continuata::server {
namespace {

std::string quoted(const char* name) {
  return std::string("\"") + name + "\"";
}

}  // namespace

void require_object(const nlohmann::json& body) {
  if (!body.is_object()) throw ApiError(400, "Request body must be a JSON object");
}

std::string required_string(const nlohmann::json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) throw ApiError(400, quoted(name) + " is required");
  if (!it->is_string()) throw ApiError(400, quoted(name) + " must be a string");
  return it->get<std::string>();
}

std::string required_text(const nlohmann::json& body, const char* name) {
  std::string v = required_string(body, name);
  if (v.find_first_not_of(" \t\r\n") == std::string::npos)
    throw ApiError(400, quoted(name) + " must not be empty");
  return v;
}

std::string nonempty_string(const nlohmann::json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || !it->is_string() || it->get<std::string>().empty())
    throw ApiError(400, quoted(name) + " is required and must be a string");
  return it->get<std::string>();
}

std::optional<std::string> optional_string(const nlohmann::json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw ApiError(400, quoted(name) + " must be a string");
  return it->get<std::string>();
}

}  // namespace continuata::server
