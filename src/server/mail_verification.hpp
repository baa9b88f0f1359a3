// The verification message a customer receives: the 6-digit code, the magic link that fills
// the portal's form, and the org's name, as plain text and HTML (names and links escaped), in
// the portal's language (mail_i18n).
#pragma once
#include <string>

#include "server/mail_mailer.hpp"

namespace continuata::server {

MailMessage verification_message(const std::string& to, const std::string& code,
                                 const std::string& magic_link, const std::string& org_name,
                                 const std::string& lang = "en");

}  // namespace continuata::server
