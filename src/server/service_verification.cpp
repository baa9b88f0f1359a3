// Verification codes and portal sessions.
#include "server/service_verification.hpp"

#include <filesystem>
#include <fstream>

#include "core/core_time.hpp"
#include "server/api_error.hpp"
#include "server/crypto_util.hpp"
#include "server/service_auth.hpp"
#include "server/service_webhook.hpp"
#include "server/store_seller.hpp"
#include "server/text_encoding.hpp"

namespace continuata::server {
namespace {

std::string string_field(const nlohmann::json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) throw ApiError(400, std::string("\"") + name + "\" is required");
  if (!it->is_string()) throw ApiError(400, std::string("\"") + name + "\" must be a string");
  return it->get<std::string>();
}

std::string checked_email(const nlohmann::json& body) {
  if (!body.is_object()) throw ApiError(400, "Request body must be a JSON object");
  std::string email = normalise_email(string_field(body, "email"));
  if (!plausible_email(email)) throw ApiError(400, "Please enter a valid email address, like name@example.com");
  return email;
}

void rate_limited(int64_t wait_s) {
  throw ApiError(429, "Too many requests. Try again in " + std::to_string(wait_s) + " seconds.",
                 {{"retryAfter", wait_s}}, {{"Retry-After", std::to_string(wait_s)}});
}

std::string code_hash(const ServerContext& ctx, const std::string& email, const std::string& code) {
  return hmac_sha256_hex(ctx.server_secret, email + ":" + code);
}

}  // namespace

std::string load_or_create_server_secret(const std::string& data_dir) {
  auto path = std::filesystem::path(data_dir) / "server-secret";
  std::string secret;
  if (std::ifstream in(path); in) std::getline(in, secret);
  if (secret.size() >= 64) return secret;
  secret = random_hex(32);
  {
    std::ofstream out(path, std::ios::trunc);
    out << secret << "\n";
  }
  std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::replace);
  return secret;
}

MailMessage verification_message(const std::string& to, const std::string& code, const std::string& link,
                                 const std::string& org_name) {
  MailMessage m;
  m.to = to;
  m.subject = "Your " + org_name + " download code: " + code;
  m.text = "Your code to see your " + org_name + " downloads is:\n\n    " + code +
           "\n\nEnter it in the download portal, or open this link on the device where you asked for it:\n" + link +
           "\n\nThe code works for 10 minutes. If you did not ask for it, you can ignore this message.\n";
  m.html = "<!doctype html><html><body style=\"font-family:system-ui,sans-serif;color:#1d1d25\">"
           "<p>Your code to see your " + html_escape(org_name) + " downloads is:</p>"
           "<p style=\"font-size:28px;font-weight:bold;letter-spacing:4px\">" + code + "</p>"
           "<p>Enter it in the download portal, or <a href=\"" + html_escape(link) + "\">open the portal with the code "
           "filled in</a>.</p><p style=\"color:#555\">The code works for 10 minutes. If you did not ask for it, you "
           "can ignore this message.</p></body></html>";
  return m;
}

void request_verification(ServerContext& ctx, const nlohmann::json& body, const std::string& ip,
                          const PortalScope& scope) {
  std::string email = checked_email(body);
  std::optional<std::string> org_id;
  if (auto it = body.find("org"); it != body.end() && !it->is_null()) {
    if (!it->is_string()) throw ApiError(400, "\"org\" must be a string");
    if (!it->get<std::string>().empty()) org_id = it->get<std::string>();
  }
  org_id = scope.scope_for(org_id);
  int64_t now = ctx.now_ms();
  if (int64_t wait = ctx.codes_per_ip.hit(ip_rate_key(ip), now)) rate_limited(wait);
  if (int64_t wait = ctx.codes_per_email.hit("email:" + email, now)) rate_limited(wait);

  Db& db = ctx.db->connection();
  // The same work for every well-formed email: whether it has purchases is never looked up here.
  std::optional<Org> org = org_id ? store::find_org(db, *org_id) : std::nullopt;
  if (org_id && !org) org_id.reset();  // an unknown org scope is ignored, not reported
  std::string code = random_digits(6);
  store::replace_code(db, store::VerificationCode{email, org_id, code_hash(ctx, email, code), kCodeTries, now,
                                                  now + kCodeLifetimeMs});
  std::string base = org && org->portal_url ? *org->portal_url : ctx.config.public_url + "/my";
  std::string link = base + (base.find('?') == std::string::npos ? "?" : "&") + "email=" + url_encode(email) +
                     "&code=" + code;
  ctx.mailer->send(verification_message(email, code, link, org ? org->name : "Continuata"));
}

nlohmann::json open_session(ServerContext& ctx, const nlohmann::json& body, const std::string& ip,
                            const PortalScope& scope) {
  std::string email = checked_email(body);
  std::string code = string_field(body, "code");
  code.erase(std::remove(code.begin(), code.end(), ' '), code.end());
  if (code.size() != 6 || code.find_first_not_of("0123456789") != std::string::npos)
    throw ApiError(400, "The code is the 6 digits from the email");
  int64_t now = ctx.now_ms();
  if (int64_t wait = ctx.sessions_per_ip.hit(ip_rate_key(ip), now)) rate_limited(wait);

  Db& db = ctx.db->connection();
  Transaction tx(db);
  auto row = store::find_code(db, email);
  if (!row)
    throw ApiError(401, "There is no code waiting for this email. Ask for a new code.", {{"triesLeft", 0}});
  if (!scope.allows(row->org_id)) throw ApiError(403, "This code was asked for on another shop's site");
  auto failures = store::code_failures(db, email);
  int64_t window_end = failures.window_started_at + kWrongCodeWindowMs;
  if (failures.failures >= kWrongCodesPerDay && now < window_end)
    rate_limited((window_end - now + 999) / 1000);
  if (row->expires_at <= now) {
    store::delete_code(db, email);
    tx.commit();
    throw ApiError(410, "This code has expired. Ask for a new code.", {{"triesLeft", 0}});
  }
  if (!constant_time_equal(row->code_hash, code_hash(ctx, email, code))) {
    store::record_code_failure(db, email, now, now - kWrongCodeWindowMs);
    int64_t left = row->tries_left - 1;
    if (left <= 0) store::delete_code(db, email);
    else store::set_tries_left(db, email, left);
    tx.commit();
    if (left <= 0)
      throw ApiError(410, "That code is not right, and there are no tries left. Ask for a new code.",
                     {{"triesLeft", 0}});
    throw ApiError(401,
                   "That code is not right. " + std::to_string(left) + (left == 1 ? " try" : " tries") + " left.",
                   {{"triesLeft", left}});
  }
  store::delete_code(db, email);  // a code opens one session only
  std::string token = random_hex(32);
  int64_t expires = now + kSessionLifetimeMs;
  store::insert_session(db, sha256_hex(token), email, row->org_id, now, expires);
  tx.commit();
  return {{"sessionToken", token}, {"email", email}, {"expiresAt", core::format_iso8601_utc(expires)}};
}

store::PortalSession require_session(ServerContext& ctx, const std::string& header, const PortalScope& scope) {
  std::string token = bearer_token(header);
  if (!token.empty()) {
    if (auto s = store::find_session(ctx.db->connection(), sha256_hex(token), ctx.now_ms())) {
      if (!scope.allows(s->org_id)) throw ApiError(403, "This session belongs to another shop's portal");
      return *s;
    }
  }
  throw ApiError(401, "Your session has ended. Please sign in again.");
}

void close_session(ServerContext& ctx, const std::string& header, const PortalScope& scope) {
  auto s = require_session(ctx, header, scope);
  store::revoke_session(ctx.db->connection(), s.id, ctx.now_ms());
}

}  // namespace continuata::server
