// The add-an-address message's text and HTML (in the portal's light colours, assets/theme.json).
#include "server/mail_email_link.hpp"

#include "core/core_theme.hpp"
#include "server/text_encoding.hpp"

namespace continuata::server {

MailMessage email_link_message(const std::string& to, const std::string& code, const std::string& asked_by) {
  MailMessage m;
  m.to = to;
  m.subject = "Your code to add this address to your downloads: " + code;
  m.text = "Someone signed in to the download portal as " + asked_by +
           " asked to add this address, so that the purchases of both show in one library.\n\n"
           "Your code is:\n\n    " +
           code +
           "\n\nEnter it in the portal where you asked for it. The code works for 10 minutes.\n"
           "If you did not ask for it, ignore this message: nothing is linked without the code.\n";
  const core::Palette palette = core::make_palette({}, false);
  m.html = "<!doctype html><html><body style=\"font-family:system-ui,sans-serif;color:" +
           core::css_hex(palette.text) + "\"><p>Someone signed in to the download portal as " +
           html_escape(asked_by) +
           " asked to add this address, so that the purchases of both show in one library.</p>"
           "<p>Your code is:</p><p style=\"font-size:28px;font-weight:bold;letter-spacing:4px\">" +
           code + "</p><p>Enter it in the portal where you asked for it.</p><p style=\"color:" +
           core::css_hex(palette.muted) +
           "\">The code works for 10 minutes. If you did not ask for it, ignore this message: nothing is "
           "linked without the code.</p></body></html>";
  return m;
}

}  // namespace continuata::server
