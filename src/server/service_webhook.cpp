// Webhook verification (HMAC, replay window) and idempotent purchase recording.
#include "server/service_webhook.hpp"

#include <charconv>

#include "core/core_api.hpp"
#include "core/core_time.hpp"
#include "server/api_error.hpp"
#include "server/api_fields.hpp"
#include "server/crypto_util.hpp"
#include "server/service_license_keys.hpp"
#include "server/service_products.hpp"
#include "server/store_refunds.hpp"
#include "server/store_seller.hpp"

namespace continuata::server {

nlohmann::json verified_webhook_body(ServerContext& ctx, const std::string& org_id,
                                     const std::string& timestamp, const std::string& signature,
                                     const std::string& raw_body) {
  Db& db = ctx.db->connection();
  auto org = store::find_org(db, org_id);
  // Unknown org and missing secret answer like a bad signature: nothing to learn by probing.
  if (!org || !org->webhook_secret) throw ApiError(401, "Invalid webhook signature");
  int64_t ts = 0;
  auto [p, ec] = std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), ts);
  if (timestamp.empty() || ec != std::errc{} || p != timestamp.data() + timestamp.size())
    throw ApiError(401, "Missing or malformed X-Continuata-Timestamp (Unix seconds)");
  int64_t now_s = ctx.now_ms() / 1000;
  if (ts < now_s - kWebhookWindowSeconds || ts > now_s + kWebhookWindowSeconds)
    throw ApiError(401, "Webhook timestamp outside the 5-minute window: replayed or clock skewed");
  std::string expected = "sha256=" + hmac_sha256_hex(*org->webhook_secret, timestamp + "." + raw_body);
  if (!constant_time_equal(expected, signature)) throw ApiError(401, "Invalid webhook signature");

  auto body = nlohmann::json::parse(raw_body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) throw ApiError(400, "Webhook body must be a JSON object");
  return body;
}

nlohmann::json record_purchase_webhook(ServerContext& ctx, const std::string& org_id,
                                       const std::string& timestamp, const std::string& signature,
                                       const std::string& raw_body) {
  nlohmann::json body = verified_webhook_body(ctx, org_id, timestamp, signature, raw_body);
  Db& db = ctx.db->connection();
  std::string order_id = nonempty_string(body, "orderId");
  std::string email = nonempty_string(body, "email");
  if (!core::plausible_email(core::normalise_email(email)))
    throw ApiError(400, "\"email\" is not a valid email address");
  int64_t purchased_at = ctx.now_ms();
  if (auto it = body.find("purchasedAt"); it != body.end() && !it->is_null()) {
    auto t = it->is_string() ? core::parse_iso8601_utc(it->get<std::string>()) : std::nullopt;
    if (!t) throw ApiError(400, "\"purchasedAt\" must be an ISO-8601 UTC timestamp");
    purchased_at = *t;
  }
  auto items = body.find("items");
  if (items == body.end() || !items->is_array() || items->empty())
    throw ApiError(400, "\"items\" must be a non-empty array of {\"productId\", \"version\"?}");

  Transaction tx(db);
  nlohmann::json recorded = nlohmann::json::array();
  int64_t keys_pending = 0;
  for (const auto& item : *items) {
    if (!item.is_object() || !item.contains("productId") || !item["productId"].is_string())
      throw ApiError(400, "Each item needs a \"productId\" string");
    std::optional<std::string> given_key;
    if (auto k = item.find("licenseKey"); k != item.end() && !k->is_null())
      given_key = checked_license_key(*k, "licenseKey");
    Purchase pu;
    pu.org_id = org_id;
    pu.order_id = order_id;
    pu.email = email;
    pu.product_id = item["productId"].get<std::string>();
    if (!store::find_product(db, org_id, pu.product_id))
      throw ApiError(404, "Product \"" + pu.product_id + "\" not found");
    if (auto version = optional_string(item, "version")) {
      pu.version = *version;
    } else if (auto prod = store::find_product(db, org_id, pu.product_id); prod && prod->active_version_id) {
      if (auto v = store::find_version_by_id(db, *prod->active_version_id)) pu.version = v->version;
    }
    pu.created_at = purchased_at;
    int64_t id = store::insert_purchase(db, pu, core::normalise_email(email));
    nlohmann::json row = {{"purchaseId", id}, {"productId", pu.product_id}};
    // In this transaction: a purchase is never committed without the key it was given.
    // (A repeat for a purchase refunded since takes no key from the pool.)
    KeyOutcome key = store::purchase_state(db, id).refunded_at
                         ? KeyOutcome::None
                         : assign_license_key(db, org_id, pu.product_id, id, given_key, ctx.now_ms());
    if (key == KeyOutcome::Pending) ++keys_pending;
    if (key != KeyOutcome::None) row["licenseKeyPending"] = key == KeyOutcome::Pending;
    recorded.push_back(std::move(row));
  }
  tx.commit();  // acknowledged only once stored
  nlohmann::json out = {{"success", true}, {"orderId", order_id}, {"purchases", recorded}};
  if (keys_pending > 0) out["licenseKeysPending"] = keys_pending;
  return out;
}

}  // namespace continuata::server
