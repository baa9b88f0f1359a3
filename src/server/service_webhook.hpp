// The inbound purchase webhook: a payment processor (or the seller's shop) reports a confirmed
// payment. Signed with the org's webhook secret: X-Continuata-Signature: sha256=<hex of
// HMAC-SHA256(secret, timestamp + "." + raw body)>, X-Continuata-Timestamp: Unix seconds within
// five minutes of the server's clock. Idempotent on (org, orderId, productId); the answer is sent
// only after the purchases are committed.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "server/server_context.hpp"

namespace continuata::server {

inline constexpr int64_t kWebhookWindowSeconds = 300;

// The body of a webhook to `org` once its signature and timestamp are checked (401 otherwise, the
// same for an unknown org), parsed as a JSON object (400 otherwise). The refund webhook uses it too.
nlohmann::json verified_webhook_body(ServerContext& ctx, const std::string& org, const std::string& timestamp,
                                     const std::string& signature, const std::string& raw_body);

// Each item may carry its own "licenseKey"; otherwise a product with a licence-key pool gives
// the purchase the pool's next key (service_license_keys), and the answer counts the purchases
// left waiting for one as "licenseKeysPending".
// The buyer's email is stored as sent and, normalised (core::normalise_email), as the key the
// portal finds purchases by; an email core::plausible_email refuses is a 400.
nlohmann::json record_purchase_webhook(ServerContext& ctx, const std::string& org,
                                       const std::string& timestamp, const std::string& signature,
                                       const std::string& raw_body);

}  // namespace continuata::server
