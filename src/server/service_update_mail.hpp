// Update mail: when a seller activates a version newer than the one that was active, every
// buyer of the product (per org, each email once) is queued one notice, inside the activation's
// transaction; update_mail_sent records each (version, email) so no notice is ever queued twice
// (a second activation, a restart, another instance). Buyers who opted out of the org's update
// mail get none. Each notice carries RFC 8058's one-click unsubscribe: a link with a token that
// is signed (HMAC-SHA256, the server secret) and names org and email, so it is checked without
// a lookup. Notices are paced: SMTP sends them at most --update-mail-per-minute.
#pragma once
#include <optional>
#include <string>

#include "server/mail_mailer.hpp"
#include "server/model_seller.hpp"
#include "server/server_context.hpp"

namespace continuata::server {

// Inside the activation's open transaction on `db`: queues the notices of `activated` when it is
// newer (core_format's compare_versions) than `previous` (the version active before; none: the
// first activation, which notifies no one). Returns how many were queued.
int queue_update_notices(ServerContext& ctx, Db& db, const Version& activated,
                         const std::optional<Version>& previous);

// The rate slot for the next bulk message (update notices, refund notices): `now`, or one
// interval after the last slot given, whichever is later. Call inside the queuing transaction.
int64_t next_bulk_slot(ServerContext& ctx, Db& db);

struct UpdateNotice {
  std::string to, lang, seller, product, version, library_url, unsubscribe_url;
  std::optional<std::string> notes;
};
MailMessage update_message(const UpdateNotice& n);

// The one-click token of (org, email) and its check. verify gives nullopt for a token that is
// not one (malformed) and sets *forged when it is well-formed but its signature does not match.
std::string unsubscribe_token(const std::string& secret, const std::string& org, const std::string& email);
struct UnsubscribeTarget {
  std::string org, email;
};
std::optional<UnsubscribeTarget> verify_unsubscribe_token(const std::string& secret, const std::string& token,
                                                          bool* forged = nullptr);
std::string unsubscribe_url(const ServerContext& ctx, const std::string& org, const std::string& email);

// What GET /api/unsubscribe?t= shows: whose mail stops for whom, in the email's language.
struct UnsubscribePage {
  std::string lang, seller, email;
};
// Throws like unsubscribe() for a bad token; changes nothing.
UnsubscribePage unsubscribe_page(ServerContext& ctx, const std::string& token);

// POST /api/unsubscribe?t=: opts the token's email out of the org's update mail (idempotent).
// Throws ApiError 400 for a malformed token, 403 for one whose signature does not match.
UnsubscribeTarget unsubscribe(ServerContext& ctx, const std::string& token);

}  // namespace continuata::server
