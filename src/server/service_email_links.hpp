// A signed-in customer's other email addresses. The model: addresses proven by one customer form
// a group (each address in at most one), and a session of any address in the group sees the
// purchases of all of them (links are symmetric and transitive), at most core::kMaxLinkedEmails
// addresses per group. Proving an address that is in another group moves it into this one (its
// owner just proved it again). Removing an address takes it out of the group at once: its
// purchases leave the library and download-url refuses them; download links minted before keep
// working until they expire, like any link.
//
// Asking for a code answers the same for every well-formed address (purchases or not, linked to
// anyone or not), under the sign-in codes' rate limits for that address and IP. A linking code is
// stored apart from sign-in codes (its own table, an HMAC over "link:" and both addresses), so
// neither kind can be redeemed as the other, and its wrong guesses count in the address's daily
// budget of wrong codes, the one sign-in codes use.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "core/core_api_emails.hpp"
#include "server/server_context.hpp"
#include "server/store_portal.hpp"

namespace continuata::server {

// POST /api/portal/emails {"email"}: sends a code to the address. Throws 400 (bad email), 409 (the
// group is full), 429 (rate limits).
void request_email_link(ServerContext& ctx, const store::PortalSession& session, const nlohmann::json& body,
                        const std::string& ip);
// POST /api/portal/emails/verify {"email", "code"}: links the address. Throws 400, 401 (wrong code,
// triesLeft), 410 (expired or out of tries), 409 (full), 429 (too many wrong codes, or the IP's
// redemption limit).
core::EmailList verify_email_link(ServerContext& ctx, const store::PortalSession& session,
                                  const nlohmann::json& body, const std::string& ip);
// GET /api/portal/emails.
core::EmailList linked_emails(ServerContext& ctx, const store::PortalSession& session);
// DELETE /api/portal/emails/{email}: 404 for an address not linked with the session's, 409 for
// the session's own address (sign in with another to remove it).
core::EmailList unlink_email(ServerContext& ctx, const store::PortalSession& session,
                             const std::string& email);

}  // namespace continuata::server
