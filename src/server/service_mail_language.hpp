// The buyer's language for mail: the portal sends its UI language with a code request
// ("language", a BCP 47 tag); the server keeps each email's last one per org, so later mail
// (update and refund notices) speaks it too.
#pragma once
#include <optional>
#include <string>

#include "server/server_context.hpp"

namespace continuata::server {

// Stores mail_language(tag) for (org, email); org nullopt is the portal without an org scope.
void remember_mail_language(ServerContext& ctx, const std::optional<std::string>& org,
                            const std::string& email, const std::string& tag);
// "en", "de" or "fr": the newest language the email used with this org's portal (or the unscoped
// one), English when none is known.
std::string mail_language_for(ServerContext& ctx, const std::string& org, const std::string& email);

}  // namespace continuata::server
