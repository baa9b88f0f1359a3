// Proving ownership of an email address: a 6-digit code (random, stored as an HMAC bound to the
// email, 10 minutes, 5 tries, replaced by each new request) sent with a magic link that only
// fills the portal's form; a right code opens a portal session (random bearer token, stored
// hashed, 7 days). Answers never reveal whether an email has purchases.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "server/server_context.hpp"
#include "server/service_portal_scope.hpp"
#include "server/store_portal.hpp"

namespace continuata::server {

inline constexpr int64_t kCodeLifetimeMs = 10 * 60 * 1000;
inline constexpr int kCodeTries = 5;
// Wrong codes one email may get in 24 hours, across all its codes: a new code gives 5 more tries
// but never more than this, so a guesser's chance stays 20 in 10^6 = 1 in 50,000 per email per day.
inline constexpr int kWrongCodesPerDay = 20;
inline constexpr int64_t kWrongCodeWindowMs = 24LL * 60 * 60 * 1000;
inline constexpr int64_t kSessionLifetimeMs = 7LL * 24 * 60 * 60 * 1000;

// POST /api/portal/verification. Throws ApiError 400 (bad email/org), 403 (org not allowed for
// the origin), 429 (rate limits).
void request_verification(ServerContext& ctx, const nlohmann::json& body, const std::string& ip,
                          const PortalScope& scope);

// POST /api/portal/session. Returns {"sessionToken","email","expiresAt"}; throws
// 400/401/403/410/429.
nlohmann::json open_session(ServerContext& ctx, const nlohmann::json& body, const std::string& ip,
                            const PortalScope& scope);

// The live session of an "Authorization: Bearer" header; throws 401 when missing/expired/revoked
// and 403 when its org is outside `scope`.
store::PortalSession require_session(ServerContext& ctx, const std::string& authorization_header,
                                     const PortalScope& scope);
void close_session(ServerContext& ctx, const std::string& authorization_header, const PortalScope& scope);

// The verification message: code, magic link and the org's name, plain text and HTML.
MailMessage verification_message(const std::string& to, const std::string& code, const std::string& magic_link,
                                 const std::string& org_name);

// Loads DATA/server-secret, creating it (random, owner-only) on first start.
std::string load_or_create_server_secret(const std::string& data_dir);

}  // namespace continuata::server
