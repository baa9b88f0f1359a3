// The add-an-address message's text and HTML (in the portal's light colours, assets/theme.json);
// every word from the mail catalogue of the customer's language.
#include "server/mail_email_link.hpp"

#include "core/core_theme.hpp"
#include "server/mail_i18n.hpp"
#include "server/text_encoding.hpp"

namespace continuata::server {

MailMessage email_link_message(const std::string& to, const std::string& code, const std::string& asked_by,
                               const std::string& lang) {
  const core::Text& t = mail_text(lang);
  MailMessage m;
  m.to = to;
  m.subject = t("mail.email_link.subject", {{"code", code}});
  m.text = t("mail.email_link.intro", {{"owner", asked_by}}) + "\n\n    " + code + "\n\n" +
           t("mail.email_link.enter") + "\n" + t("mail.email_link.expiry") + "\n";
  const core::Palette palette = core::make_palette({}, false);
  m.html = "<!doctype html><html lang=\"" + t.lang() +
           "\"><body style=\"font-family:system-ui,sans-serif;color:" + core::css_hex(palette.text) +
           "\"><p>" + mail_html(t, "mail.email_link.intro", {{"owner", html_escape(asked_by)}}) +
           "</p><p style=\"font-size:28px;font-weight:bold;letter-spacing:4px\">" + code + "</p><p>" +
           mail_html(t, "mail.email_link.enter") + "</p><p style=\"color:" + core::css_hex(palette.muted) +
           "\">" + mail_html(t, "mail.email_link.expiry") + "</p></body></html>";
  return m;
}

}  // namespace continuata::server
