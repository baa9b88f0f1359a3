// The verification message's text and HTML (in the portal's light colours, assets/theme.json).
#include "server/mail_verification.hpp"

#include "core/core_theme.hpp"
#include "server/text_encoding.hpp"

namespace continuata::server {

MailMessage verification_message(const std::string& to, const std::string& code, const std::string& link,
                                 const std::string& org_name) {
  MailMessage m;
  m.to = to;
  m.subject = "Your " + org_name + " download code: " + code;
  m.text = "Your code to see your " + org_name + " downloads is:\n\n    " + code +
           "\n\nEnter it in the download portal, or open this link on the device where you asked for it:\n" +
           link +
           "\n\nThe code works for 10 minutes. If you did not ask for it, you can ignore this message.\n";
  const core::Palette palette = core::make_palette({}, false);
  m.html =
      "<!doctype html><html><body style=\"font-family:system-ui,sans-serif;color:" +
      core::css_hex(palette.text) +
      "\">"
      "<p>Your code to see your " +
      html_escape(org_name) +
      " downloads is:</p>"
      "<p style=\"font-size:28px;font-weight:bold;letter-spacing:4px\">" +
      code +
      "</p>"
      "<p>Enter it in the download portal, or <a style=\"color:" +
      core::css_hex(palette.accent_text) + "\" href=\"" + html_escape(link) +
      "\">open the portal with the code filled in</a>.</p><p style=\"color:" + core::css_hex(palette.muted) +
      "\">The code works for 10 minutes. If you did not ask for it, you "
      "can ignore this message.</p></body></html>";
  return m;
}

}  // namespace continuata::server
