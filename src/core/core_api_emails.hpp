// The portal API's contract for a customer's other email addresses: the paths, the models the
// server sends (to_json) and the portal parses (never throwing), and the request builders. A
// signed-in customer proves another address with a code sent to it; from then on both
// addresses' purchases are one library, until the link is removed.
#pragma once
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/core_api.hpp"

namespace continuata::core {

inline constexpr const char* kEmailsPath = "/api/portal/emails";               // GET, POST; DELETE /{email}
inline constexpr const char* kEmailsVerifyPath = "/api/portal/emails/verify";  // POST
// Addresses one customer may join, the one they signed in with included.
inline constexpr int64_t kMaxLinkedEmails = 5;

// One address of the signed-in customer; `current` is the one this session signed in with.
struct LinkedEmail {
  std::string email;
  bool current = false;
};
// GET /api/portal/emails (and the answer of a verify or a removal): the signed-in address
// first, then the others in the order they were linked.
struct EmailList {
  std::vector<LinkedEmail> emails;
  int64_t max = kMaxLinkedEmails;
};

void to_json(nlohmann::json& j, const LinkedEmail& e);
void to_json(nlohmann::json& j, const EmailList& l);

// {"emails": [{"email", "current"?}], "max"?}: entries without a string email are skipped.
Parsed<EmailList> parse_email_list(std::string_view body);

ApiRequest emails_request();
ApiRequest add_email_request(const std::string& email);  // sends a code to the address
ApiRequest verify_email_request(const SessionRequest& r);
ApiRequest remove_email_request(const std::string& email);

}  // namespace continuata::core
