// The transitions of the library's "Email addresses" section (core_emails.hpp), called by
// update() and on its HTTP answers, and what the views say about linked addresses.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/core_state.hpp"

namespace continuata::core {

// The commands for an email-section event; nullopt for every other event.
std::optional<std::vector<Command>> update_emails(State& s, const Event& e);
bool is_email_request(RequestKind kind);
// The section's request was refused because the session ended (a 401 that is not a refused code:
// those carry triesLeft); update() then signs out.
bool session_refused(const HttpDone& d);
// An answer to one of the section's requests, other than session_refused.
std::vector<Command> on_emails_http(State& s, const HttpDone& d);

// "Bought with old@example.com" when the library holds purchases of more than one address, else "".
std::string bought_with_text(const State& s, const Purchase& p);
// The section's button: "Email addresses", or "Hide email addresses" while it is open.
std::string emails_button_text(const State& s);
// The section has room for another address.
bool can_add_email(const State& s);

// From core_update.cpp: one request to the configured API, the refusal of a code in plain
// words, and loading the purchases again.
HttpCommand api_command(const State& s, RequestKind kind, ApiRequest api);
std::string code_refusal_text(const State& s, const HttpResponse& r);
std::string request_failure_text(const State& s, const HttpResponse& r);
std::vector<Command> reload_purchases(State& s);

}  // namespace continuata::core
