// The licence-key pool and assignment.
#include "server/service_license_keys.hpp"

#include <set>

#include "server/api_error.hpp"
#include "server/api_fields.hpp"
#include "server/store_license_keys.hpp"
#include "server/store_seller.hpp"

namespace continuata::server {
namespace {

nlohmann::json counts_json(const std::string& product, const store::PoolCounts& c) {
  return {{"productId", product},
          {"total", c.total},
          {"available", c.available},
          {"assigned", c.total - c.available},
          {"pending", c.pending}};
}

}  // namespace

std::string checked_license_key(const nlohmann::json& value, const char* field) {
  std::string what = std::string("\"") + field + "\"";
  if (!value.is_string()) throw ApiError(400, what + " must hold strings");
  std::string key = value.get<std::string>();
  size_t a = key.find_first_not_of(' '), b = key.find_last_not_of(' ');
  key = a == std::string::npos ? "" : key.substr(a, b - a + 1);
  if (key.empty()) throw ApiError(400, what + ": a licence key must not be empty");
  if (key.size() > kMaxKeyBytes)
    throw ApiError(400, what + ": a licence key is at most " + std::to_string(kMaxKeyBytes) + " bytes");
  for (unsigned char ch : key)
    if (ch < 0x20 || ch == 0x7f) throw ApiError(400, what + ": a licence key has no control characters");
  return key;
}

KeyOutcome assign_license_key(Db& db, const std::string& org, const std::string& product, int64_t purchase_id,
                              const std::optional<std::string>& given, int64_t now) {
  if (store::key_of_purchase(db, purchase_id)) return KeyOutcome::Assigned;  // a repeated webhook
  if (given) {
    if (!store::give_key(db, org, product, *given, purchase_id, now))
      throw ApiError(409, "\"licenseKey\" of " + product + " already belongs to another purchase");
    return KeyOutcome::Assigned;
  }
  if (store::take_free_key(db, org, product, purchase_id, now)) return KeyOutcome::Assigned;
  return store::pool_counts(db, org, product).total > 0 ? KeyOutcome::Pending : KeyOutcome::None;
}

nlohmann::json upload_license_keys(ServerContext& ctx, const std::string& org, const std::string& product,
                                   const nlohmann::json& body) {
  require_object(body);
  auto it = body.find("keys");
  if (it == body.end() || !it->is_array() || it->empty())
    throw ApiError(400, "\"keys\" must be a non-empty array of strings");
  if (it->size() > kMaxKeysPerUpload)
    throw ApiError(413, "At most " + std::to_string(kMaxKeysPerUpload) + " keys per upload");
  std::vector<std::string> keys;
  keys.reserve(it->size());
  for (const auto& k : *it) keys.push_back(checked_license_key(k, "keys"));

  Db& db = ctx.db->connection();
  int64_t now = ctx.now_ms();
  // Exclusive, like the purchase webhook: a purchase committed while this runs would otherwise
  // find the pool empty and stay pending past the refill.
  Transaction tx(db, TxLock::Exclusive);
  if (!store::find_product(db, org, product)) throw ApiError(404, "Product \"" + product + "\" not found");
  store::PoolCounts before = store::pool_counts(db, org, product);
  std::set<std::string> unique(keys.begin(), keys.end());
  if (before.total + int64_t(unique.size()) > kMaxKeysPerProduct)
    throw ApiError(409, "A product's pool holds at most " + std::to_string(kMaxKeysPerProduct) + " keys");
  int64_t added = 0;
  for (const auto& k : keys)
    if (store::insert_free_key(db, org, product, k, now)) ++added;
  int64_t assigned = 0;
  for (int64_t purchase : store::purchases_waiting_for_key(db, org, product, int(added)))
    if (store::take_free_key(db, org, product, purchase, now)) ++assigned;
  nlohmann::json out = counts_json(product, store::pool_counts(db, org, product));
  tx.commit();
  out["added"] = added;
  out["duplicates"] = int64_t(keys.size()) - added;
  out["assignedNow"] = assigned;
  return out;
}

nlohmann::json license_key_pool(ServerContext& ctx, const std::string& org, const std::string& product) {
  Db& db = ctx.db->connection();
  if (!store::find_product(db, org, product)) throw ApiError(404, "Product \"" + product + "\" not found");
  return counts_json(product, store::pool_counts(db, org, product));
}

}  // namespace continuata::server
