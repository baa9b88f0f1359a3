// Reading the fields of a JSON request body, written once for every service: each check that
// fails throws ApiError 400 with the message the API uses everywhere for it.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace continuata::server {

// 400 "Request body must be a JSON object" unless `body` is one.
void require_object(const nlohmann::json& body);
// A string field that must be present: 400 "\"name\" is required" when absent or null,
// "\"name\" must be a string" when it is another type.
std::string required_string(const nlohmann::json& body, const char* name);
// As required_string, and 400 "\"name\" must not be empty" when it holds only whitespace.
std::string required_text(const nlohmann::json& body, const char* name);
// A string field that must be present and non-empty, checked in one go: 400 "\"name\" is
// required and must be a string" otherwise (the webhook's and generate-download-url's wording).
std::string nonempty_string(const nlohmann::json& body, const char* name);
// Absent or null: nullopt; a string: its value; anything else: 400 "\"name\" must be a string".
std::optional<std::string> optional_string(const nlohmann::json& body, const char* name);

}  // namespace continuata::server
