// The refund notice a buyer receives when a purchase is refunded or charged back: which product
// and order, from which seller, in the buyer's language (the one their email last used with the
// portal, service_mail_language). Refunds themselves are service_refunds' work; it calls
// queue_refund_notice inside the refund's transaction.
#pragma once
#include <string>

#include "server/mail_mailer.hpp"
#include "server/server_context.hpp"

namespace continuata::server {

struct RefundNotice {
  std::string org, email, product_name, order_id;
};

MailMessage refund_notice_message(const std::string& to, const std::string& seller,
                                  const std::string& product_name, const std::string& order_id,
                                  const std::string& lang);

// Queues the notice inside the caller's open transaction on `db` (so it is sent exactly when the
// refund commits, and never for a refund rolled back), paced like update mail. The seller's name
// is the org's; the language the email's remembered one.
void queue_refund_notice(ServerContext& ctx, Db& db, const RefundNotice& notice);

}  // namespace continuata::server
