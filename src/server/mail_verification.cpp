// The verification message's text and HTML (in the portal's light colours, assets/theme.json);
// every word from the mail catalogue of the customer's language.
#include "server/mail_verification.hpp"

#include "core/core_theme.hpp"
#include "server/mail_i18n.hpp"
#include "server/text_encoding.hpp"

namespace continuata::server {

MailMessage verification_message(const std::string& to, const std::string& code, const std::string& link,
                                 const std::string& org_name, const std::string& lang) {
  const core::Text& t = mail_text(lang);
  MailMessage m;
  m.to = to;
  m.subject = t("mail.verification.subject", {{"seller", org_name}, {"code", code}});
  m.text = t("mail.verification.intro", {{"seller", org_name}}) + "\n\n    " + code + "\n\n" +
           t("mail.verification.enter_or_open") + "\n" + link + "\n\n" + t("mail.verification.expiry") + "\n";
  const core::Palette palette = core::make_palette({}, false);
  std::string anchor = "<a style=\"color:" + core::css_hex(palette.accent_text) + "\" href=\"" +
                       html_escape(link) + "\">" + mail_html(t, "mail.verification.link") + "</a>";
  m.html = "<!doctype html><html lang=\"" + t.lang() +
           "\"><body style=\"font-family:system-ui,sans-serif;color:" + core::css_hex(palette.text) +
           "\"><p>" + mail_html(t, "mail.verification.intro", {{"seller", html_escape(org_name)}}) +
           "</p><p style=\"font-size:28px;font-weight:bold;letter-spacing:4px\">" + code + "</p><p>" +
           mail_html(t, "mail.verification.enter_or_link", {{"link", anchor}}) +
           "</p><p style=\"color:" + core::css_hex(palette.muted) + "\">" +
           mail_html(t, "mail.verification.expiry") + "</p></body></html>";
  return m;
}

}  // namespace continuata::server
