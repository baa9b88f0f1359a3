// Remembered mail languages, through store_update_mail.
#include "server/service_mail_language.hpp"

#include "server/mail_i18n.hpp"
#include "server/store_update_mail.hpp"

namespace continuata::server {

void remember_mail_language(ServerContext& ctx, const std::optional<std::string>& org,
                            const std::string& email, const std::string& tag) {
  store::remember_language(ctx.db->connection(), org.value_or(""), email, mail_language(tag), ctx.now_ms());
}

std::string mail_language_for(ServerContext& ctx, const std::string& org, const std::string& email) {
  return mail_language(store::remembered_language(ctx.db->connection(), org, email).value_or("en"));
}

}  // namespace continuata::server
