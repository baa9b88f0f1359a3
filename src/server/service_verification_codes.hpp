// Proving ownership of an email address, part one: the 6-digit code. Random, stored only as an
// HMAC bound to the email, valid 10 minutes and 5 tries, replaced by each new request, sent with
// a magic link that only fills the portal's form. Asking for a code answers the same whether or
// not the email has purchases; redeeming one counts wrong guesses per email across its codes.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/core_api.hpp"
#include "server/api_error.hpp"
#include "server/server_context.hpp"
#include "server/service_portal_scope.hpp"

namespace continuata::server {

inline constexpr int64_t kCodeLifetimeMs = 10 * 60 * 1000;
inline constexpr int kCodeTries = 5;
// Wrong codes one email may get in 24 hours, across all its codes: a new code gives 5 more tries
// but never more than this, so a guesser's chance stays 20 in 10^6 = 1 in 50,000 per email per day.
inline constexpr int kWrongCodesPerDay = 20;
inline constexpr int64_t kWrongCodeWindowMs = 24LL * 60 * 60 * 1000;

// The answers to an expired code and to a wrong one with `left` tries left (401 with triesLeft, or
// 410 at none): the same words for the sign-in code and for a second address's code.
ApiError expired_code_error();
ApiError wrong_code_error(int64_t left);

// The request's "email", normalised (core::normalise_email) and checked (core::plausible_email):
// throws ApiError 400 for a body that is not an object or an email that is missing or implausible.
std::string checked_email(const nlohmann::json& body);
// POST /api/portal/verification's body {"email", "org"?}, checked; an empty org is none.
core::VerificationRequest read_verification_request(const nlohmann::json& body);
// POST /api/portal/session's body {"email", "code"}, checked (core::verification_code).
core::SessionRequest read_session_request(const nlohmann::json& body);

// POST /api/portal/verification. Throws ApiError 400 (bad email/org), 403 (org not allowed for
// the origin), 429 (rate limits).
void request_verification(ServerContext& ctx, const nlohmann::json& body, const std::string& ip,
                          const PortalScope& scope);

// Checks `code` against the email's waiting code at `now`, inside the caller's transaction `tx`. A right
// code is used up (deleted, uncommitted: the caller commits it with what it opens) and the org
// it was asked for is returned. A wrong, expired or absent one throws ApiError 401 (triesLeft),
// 410 or 429 (too many wrong codes for the email today), 403 (asked for on another shop's
// site); a wrong or expired code's bookkeeping is committed before the throw.
std::optional<std::string> redeem_code(ServerContext& ctx, Transaction& tx, const std::string& email,
                                       const std::string& code, const PortalScope& scope, int64_t now);

}  // namespace continuata::server
