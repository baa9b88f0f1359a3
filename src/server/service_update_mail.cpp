// Update notices: who gets one, the message in the buyer's language, pacing, the signed
// one-click unsubscribe.
#include "server/service_update_mail.hpp"

#include "core/core_format.hpp"
#include "core/core_theme.hpp"
#include "server/api_error.hpp"
#include "server/crypto_util.hpp"
#include "server/mail_i18n.hpp"
#include "server/service_mail_language.hpp"
#include "server/store_portal.hpp"
#include "server/store_seller.hpp"
#include "server/store_update_mail.hpp"
#include "server/text_encoding.hpp"

namespace continuata::server {
namespace {

constexpr const char* kTokenPurpose = "unsubscribe\n";  // keeps these MACs apart from the codes'

std::optional<std::string> hex_decode(const std::string& hex) {
  if (hex.size() % 2) return std::nullopt;
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = digit(hex[i]), lo = digit(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(char(hi * 16 + lo));
  }
  return out;
}

std::string library_url(ServerContext& ctx, const Org& org, const std::string& email) {
  std::string base = org.portal_url ? *org.portal_url : ctx.config.public_url + "/my";
  return base + (base.find('?') == std::string::npos ? "?" : "&") + "email=" + url_encode(email);
}

}  // namespace

std::string unsubscribe_token(const std::string& secret, const std::string& org, const std::string& email) {
  std::string payload = hex_encode(org + "\n" + email);
  return payload + "." + hmac_sha256_hex(secret, kTokenPurpose + payload);
}

std::optional<UnsubscribeTarget> verify_unsubscribe_token(const std::string& secret, const std::string& token,
                                                          bool* forged) {
  if (forged) *forged = false;
  size_t dot = token.find('.');
  if (token.size() > 2048 || dot == std::string::npos) return std::nullopt;
  std::string payload = token.substr(0, dot), mac = token.substr(dot + 1);
  auto plain = hex_decode(payload);
  size_t newline = plain ? plain->find('\n') : std::string::npos;
  if (!plain || newline == std::string::npos || mac.size() != 64) return std::nullopt;
  if (!constant_time_equal(mac, hmac_sha256_hex(secret, kTokenPurpose + payload))) {
    if (forged) *forged = true;
    return std::nullopt;
  }
  return UnsubscribeTarget{plain->substr(0, newline), plain->substr(newline + 1)};
}

std::string unsubscribe_url(const ServerContext& ctx, const std::string& org, const std::string& email) {
  return ctx.config.public_url + "/api/unsubscribe?t=" + unsubscribe_token(ctx.server_secret, org, email);
}

namespace {
UnsubscribeTarget checked_target(ServerContext& ctx, const std::string& token) {
  bool forged = false;
  auto target = verify_unsubscribe_token(ctx.server_secret, token, &forged);
  if (!target && forged) throw ApiError(403, "This unsubscribe link's signature does not match");
  if (!target) throw ApiError(400, "This is not an unsubscribe link");
  return *target;
}
}  // namespace

UnsubscribePage unsubscribe_page(ServerContext& ctx, const std::string& token) {
  UnsubscribeTarget target = checked_target(ctx, token);
  auto org = store::find_org(ctx.db->connection(), target.org);
  return UnsubscribePage{mail_language_for(ctx, target.org, target.email), org ? org->name : target.org,
                         target.email};
}

UnsubscribeTarget unsubscribe(ServerContext& ctx, const std::string& token) {
  UnsubscribeTarget target = checked_target(ctx, token);
  store::insert_opt_out(ctx.db->connection(), target.org, target.email, ctx.now_ms());
  return target;
}

int64_t next_bulk_slot(ServerContext& ctx, Db& db) {
  int64_t interval = 60000 / std::max<int64_t>(1, ctx.config.update_mail_per_minute);
  int64_t now = ctx.now_ms();
  auto last = store::last_bulk_slot(db);
  return last ? std::max(now, *last + interval) : now;
}

MailMessage update_message(const UpdateNotice& n) {
  const core::Text& t = mail_text(n.lang);
  core::TextArgs words = {{"product", n.product}, {"seller", n.seller}, {"version", n.version}};
  core::TextArgs html_words = {{"product", html_escape(n.product)},
                               {"seller", html_escape(n.seller)},
                               {"version", html_escape(n.version)}};
  MailMessage m;
  m.to = n.to;
  m.subject = t("mail.update.subject", words);
  m.text = t("mail.update.intro", words) + "\n\n";
  if (n.notes) m.text += t("mail.update.notes", words) + "\n\n" + *n.notes + "\n\n";
  m.text += t("mail.update.open") + "\n" + n.library_url + "\n\n-- \n" + t("mail.update.why", words) + "\n" +
            t("mail.update.stop", words) + " " + n.unsubscribe_url + "\n";
  const core::Palette palette = core::make_palette({}, false);
  std::string link_style = "style=\"color:" + core::css_hex(palette.accent_text) + "\"";
  m.html = "<!doctype html><html lang=\"" + t.lang() +
           "\"><body style=\"font-family:system-ui,sans-serif;color:" + core::css_hex(palette.text) +
           "\"><p>" + mail_html(t, "mail.update.intro", html_words) + "</p>";
  if (n.notes)
    m.html += "<p><strong>" + mail_html(t, "mail.update.notes", html_words) +
              "</strong></p><p style=\"white-space:pre-wrap\">" + html_escape(*n.notes) + "</p>";
  m.html += "<p><a " + link_style + " href=\"" + html_escape(n.library_url) + "\">" +
            mail_html(t, "mail.update.link") + "</a></p><p style=\"color:" + core::css_hex(palette.muted) +
            ";font-size:13px\">" + mail_html(t, "mail.update.why", html_words) + " " +
            mail_html(t, "mail.update.stop", html_words) + " <a " + link_style + " href=\"" +
            html_escape(n.unsubscribe_url) + "\">" + mail_html(t, "mail.update.unsubscribe") +
            "</a></p></body></html>";
  m.headers = {{"List-Unsubscribe", "<" + n.unsubscribe_url + ">"},
               {"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"}};
  return m;
}

int queue_update_notices(ServerContext& ctx, Db& db, const Version& activated,
                         const std::optional<Version>& previous) {
  if (!previous || core::compare_versions(activated.version, previous->version) <= 0) return 0;
  auto org = store::find_org(db, activated.org_id);
  auto product = store::find_product(db, activated.org_id, activated.product_id);
  if (!org || !product) return 0;
  int64_t now = ctx.now_ms();
  int queued = 0;
  for (const auto& email : store::product_buyers(db, activated.org_id, activated.product_id)) {
    if (store::opted_out(db, org->id, email)) continue;
    if (!store::claim_update_notice(db, activated.id, email, now)) continue;  // already sent, ever
    UpdateNotice n{email,
                   mail_language(store::remembered_language(db, org->id, email).value_or("en")),
                   org->name,
                   product->name,
                   activated.version,
                   library_url(ctx, *org, email),
                   unsubscribe_url(ctx, org->id, email),
                   activated.notes};
    ctx.mailer->queue_bulk(db, update_message(n), next_bulk_slot(ctx, db));
    ++queued;
  }
  return queued;
}

}  // namespace continuata::server
