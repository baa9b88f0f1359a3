// Opening, resolving and closing portal sessions.
#include "server/service_portal_sessions.hpp"

#include "server/api_error.hpp"
#include "server/crypto_util.hpp"
#include "server/service_auth.hpp"
#include "server/service_verification_codes.hpp"

namespace continuata::server {

core::Session open_session(ServerContext& ctx, const nlohmann::json& body, const std::string& ip,
                           const PortalScope& scope) {
  core::SessionRequest request = read_session_request(body);
  int64_t now = ctx.now_ms();
  if (int64_t wait = ctx.sessions_per_ip.hit(*ctx.db, ip_rate_key(ip), now)) throw too_many_requests(wait);

  Db& db = ctx.db->connection();
  // One redemption at a time per email (on every instance): tries are counted exactly.
  Transaction tx(db, TxLock::Keyed, "code:" + request.email);
  std::optional<std::string> org = redeem_code(ctx, tx, request.email, request.code, scope, now);
  core::Session session{random_hex(32), request.email, now + kSessionLifetimeMs};
  store::insert_session(db, sha256_hex(session.token), request.email, org, now, session.expires_at_ms);
  tx.commit();
  return session;
}

store::PortalSession require_session(ServerContext& ctx, const std::string& header,
                                     const PortalScope& scope) {
  std::string token = bearer_token(header);
  if (!token.empty()) {
    if (auto s = store::find_session(ctx.db->connection(), sha256_hex(token), ctx.now_ms())) {
      if (!scope.allows(s->org_id)) throw ApiError(403, "This session belongs to another shop's portal");
      return *s;
    }
  }
  throw ApiError(401, "Your session has ended. Please sign in again.");
}

void close_session(ServerContext& ctx, const store::PortalSession& session) {
  store::revoke_session(ctx.db->connection(), session.id, ctx.now_ms());
}

}  // namespace continuata::server
