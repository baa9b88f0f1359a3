// Sending and redeeming verification codes.
#include "server/service_verification_codes.hpp"

#include "server/api_error.hpp"
#include "server/api_fields.hpp"
#include "server/crypto_util.hpp"
#include "server/mail_i18n.hpp"
#include "server/mail_verification.hpp"
#include "server/service_mail_language.hpp"
#include "server/store_portal.hpp"
#include "server/store_seller.hpp"
#include "server/text_encoding.hpp"

namespace continuata::server {
namespace {

std::string code_hash(const ServerContext& ctx, const std::string& email, const std::string& code) {
  return hmac_sha256_hex(ctx.server_secret, email + ":" + code);
}

}  // namespace

ApiError expired_code_error() {
  return ApiError(410, "This code has expired. Ask for a new code.").tries_left(0);
}

ApiError wrong_code_error(int64_t left) {
  if (left <= 0)
    return ApiError(410, "That code is not right, and there are no tries left. Ask for a new code.")
        .tries_left(0);
  return ApiError(401, "That code is not right. " + std::to_string(left) + (left == 1 ? " try" : " tries") +
                           " left.")
      .tries_left(left);
}

std::string checked_email(const nlohmann::json& body) {
  require_object(body);
  std::string email = core::normalise_email(required_string(body, "email"));
  if (!core::plausible_email(email))
    throw ApiError(400, "Please enter a valid email address, like name@example.com");
  return email;
}

core::VerificationRequest read_verification_request(const nlohmann::json& body) {
  core::VerificationRequest r{checked_email(body), optional_string(body, "org"),
                              optional_string(body, "language")};
  if (r.org && r.org->empty()) r.org.reset();
  if (r.language && (r.language->empty() || r.language->size() > 35))
    r.language.reset();  // BCP 47's practical bound
  return r;
}

core::SessionRequest read_session_request(const nlohmann::json& body) {
  std::string email = checked_email(body);
  auto code = core::verification_code(required_string(body, "code"));
  if (!code) throw ApiError(400, "The code is the 6 digits from the email");
  return core::SessionRequest{email, *code};
}

void request_verification(ServerContext& ctx, const nlohmann::json& body, const std::string& ip,
                          const PortalScope& scope) {
  core::VerificationRequest request = read_verification_request(body);
  const std::string& email = request.email;
  std::optional<std::string> org_id = scope.scope_for(request.org);
  int64_t now = ctx.now_ms();
  if (int64_t wait = ctx.codes_per_ip.hit(*ctx.db, ip_rate_key(ip), now)) throw too_many_requests(wait);
  if (int64_t wait = ctx.codes_per_email.hit(*ctx.db, "email:" + email, now)) throw too_many_requests(wait);

  Db& db = ctx.db->connection();
  // The same work for every well-formed email: whether it has purchases is never looked up here.
  std::optional<Org> org = org_id ? store::find_org(db, *org_id) : std::nullopt;
  if (org_id && !org) org_id.reset();  // an unknown org scope is ignored, not reported
  std::string code = random_digits(core::kCodeDigits);
  store::replace_code(db, store::VerificationCode{email, org_id, code_hash(ctx, email, code), kCodeTries, now,
                                                  now + kCodeLifetimeMs});
  std::string base = org && org->portal_url ? *org->portal_url : ctx.config.public_url + "/my";
  std::string link = base + (base.find('?') == std::string::npos ? "?" : "&") + "email=" + url_encode(email) +
                     "&code=" + code;
  if (request.language) remember_mail_language(ctx, org_id, email, *request.language);
  std::string lang = request.language ? mail_language(*request.language)
                                      : mail_language_for(ctx, org_id.value_or(""), email);
  ctx.mailer->send(verification_message(email, code, link, org ? org->name : "Continuata", lang));
}

std::optional<std::string> redeem_code(ServerContext& ctx, Transaction& tx, const std::string& email,
                                       const std::string& code, const PortalScope& scope, int64_t now) {
  Db& db = ctx.db->connection();
  auto row = store::find_code(db, email);
  if (!row) throw ApiError(401, "There is no code waiting for this email. Ask for a new code.").tries_left(0);
  if (!scope.allows(row->org_id)) throw ApiError(403, "This code was asked for on another shop's site");
  auto failures = store::code_failures(db, email);
  int64_t window_end = failures.window_started_at + kWrongCodeWindowMs;
  if (failures.failures >= kWrongCodesPerDay && now < window_end)
    throw too_many_requests((window_end - now + 999) / 1000);
  if (row->expires_at <= now) {
    store::delete_code(db, email, row->code_hash);
    tx.commit();
    throw expired_code_error();
  }
  if (!constant_time_equal(row->code_hash, code_hash(ctx, email, code))) {
    store::record_code_failure(db, email, now, now - kWrongCodeWindowMs);
    int64_t left = row->tries_left - 1;
    if (left <= 0)
      store::delete_code(db, email, row->code_hash);
    else
      store::set_tries_left(db, email, row->code_hash, left);
    tx.commit();
    throw wrong_code_error(left);
  }
  store::delete_code(db, email, row->code_hash);  // a code opens one session only
  return row->org_id;
}

}  // namespace continuata::server
