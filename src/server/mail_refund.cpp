// The refund notice's text and HTML; every word from the mail catalogue.
#include "server/mail_refund.hpp"

#include "core/core_theme.hpp"
#include "server/mail_i18n.hpp"
#include "server/service_update_mail.hpp"
#include "server/store_seller.hpp"
#include "server/store_update_mail.hpp"
#include "server/text_encoding.hpp"

namespace continuata::server {

MailMessage refund_notice_message(const std::string& to, const std::string& seller,
                                  const std::string& product_name, const std::string& order_id,
                                  const std::string& lang) {
  const core::Text& t = mail_text(lang);
  core::TextArgs words = {{"seller", seller}, {"product", product_name}, {"order", order_id}};
  core::TextArgs html_words = {{"seller", html_escape(seller)},
                               {"product", html_escape(product_name)},
                               {"order", html_escape(order_id)}};
  MailMessage m;
  m.to = to;
  m.subject = t("mail.refund.subject", words);
  m.text = t("mail.refund.body", words) + "\n\n" + t("mail.refund.help", words) + "\n";
  const core::Palette palette = core::make_palette({}, false);
  m.html = "<!doctype html><html lang=\"" + t.lang() +
           "\"><body style=\"font-family:system-ui,sans-serif;color:" + core::css_hex(palette.text) +
           "\"><p>" + mail_html(t, "mail.refund.body", html_words) +
           "</p><p style=\"color:" + core::css_hex(palette.muted) + "\">" +
           mail_html(t, "mail.refund.help", html_words) + "</p></body></html>";
  return m;
}

void queue_refund_notice(ServerContext& ctx, Db& db, const RefundNotice& n) {
  auto org = store::find_org(db, n.org);
  std::string lang = mail_language(store::remembered_language(db, n.org, n.email).value_or("en"));
  ctx.mailer->queue_bulk(
      db, refund_notice_message(n.email, org ? org->name : n.org, n.product_name, n.order_id, lang),
      next_bulk_slot(ctx, db));
}

}  // namespace continuata::server
