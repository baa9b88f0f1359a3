// The linked-addresses API's JSON both ways and its request builders.
#include "core/core_api_emails.hpp"

#include <nlohmann/json.hpp>

namespace continuata::core {
namespace {

using nlohmann::json;

std::string text_of(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

void to_json(json& j, const LinkedEmail& e) {
  j = {{"email", e.email}, {"current", e.current}};
}

void to_json(json& j, const EmailList& l) {
  j = {{"emails", l.emails}, {"max", l.max}};
}

Parsed<EmailList> parse_email_list(std::string_view body) {
  Parsed<EmailList> out;
  json j = json::parse(body.begin(), body.end(), nullptr, false);
  if (j.is_discarded()) {
    out.error = ParseError::NotJson;
    return out;
  }
  auto list = j.is_object() ? j.find("emails") : j.end();
  if (!j.is_object() || list == j.end() || !list->is_array()) {
    out.error = j.is_object() ? ParseError::MissingField : ParseError::WrongShape;
    out.field = j.is_object() ? "emails" : "";
    return out;
  }
  EmailList l;
  for (const json& e : *list) {
    if (!e.is_object() || !e.contains("email") || !e["email"].is_string()) continue;
    auto current = e.find("current");
    l.emails.push_back(LinkedEmail{e["email"].get<std::string>(),
                                   current != e.end() && current->is_boolean() && current->get<bool>()});
  }
  if (auto max = j.find("max"); max != j.end() && max->is_number_integer()) l.max = max->get<int64_t>();
  out.value = std::move(l);
  return out;
}

ApiRequest emails_request() {
  return ApiRequest{"GET", kEmailsPath, "", true};
}

ApiRequest add_email_request(const std::string& email) {
  return ApiRequest{"POST", kEmailsPath, text_of(json{{"email", email}}), true};
}

ApiRequest verify_email_request(const SessionRequest& r) {
  return ApiRequest{"POST", kEmailsVerifyPath, text_of(json{{"email", r.email}, {"code", r.code}}), true};
}

ApiRequest remove_email_request(const std::string& email) {
  return ApiRequest{"DELETE", kEmailsPath + std::string("/") + url_encode(email), "", true};
}

}  // namespace continuata::core
