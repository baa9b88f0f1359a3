// Proving ownership of an email address: a 6-digit code (random, stored as an HMAC bound to the
// email, 10 minutes, 5 tries, replaced by each new request) sent with a magic link that only
// fills the portal's form; a right code opens a portal session (random bearer token, stored
// hashed, 7 days). Answers never reveal whether an email has purchases.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "server/server_context.hpp"
#include "server/store_portal.hpp"

namespace continuata::server {

inline constexpr int64_t kCodeLifetimeMs = 10 * 60 * 1000;
inline constexpr int kCodeTries = 5;
inline constexpr int64_t kSessionLifetimeMs = 7LL * 24 * 60 * 60 * 1000;

// POST /api/portal/verification. Throws ApiError 400 (bad email/org), 429 (rate limits).
void request_verification(ServerContext& ctx, const nlohmann::json& body, const std::string& ip);

// POST /api/portal/session. Returns {"sessionToken","email","expiresAt"}; throws 400/401/410/429.
nlohmann::json open_session(ServerContext& ctx, const nlohmann::json& body, const std::string& ip);

// The live session of an "Authorization: Bearer" header; throws 401 when missing/expired/revoked.
store::PortalSession require_session(ServerContext& ctx, const std::string& authorization_header);
void close_session(ServerContext& ctx, const std::string& authorization_header);

// The verification message: code, magic link and the org's name, plain text and HTML.
MailMessage verification_message(const std::string& to, const std::string& code, const std::string& magic_link,
                                 const std::string& org_name);

// Loads DATA/server-secret, creating it (random, owner-only) on first start.
std::string load_or_create_server_secret(const std::string& data_dir);

}  // namespace continuata::server
