// The message that proves an address a signed-in customer wants to add: the 6-digit code, who
// asked (the address they are signed in with), and what happens if nobody here asked. It
// carries no link: a code for linking never signs anyone in.
#pragma once
#include <string>

#include "server/mail_mailer.hpp"

namespace continuata::server {

// lang: the portal language of the customer asking (a BCP 47 tag; mail_i18n).
MailMessage email_link_message(const std::string& to, const std::string& code, const std::string& asked_by,
                               const std::string& lang);

}  // namespace continuata::server
