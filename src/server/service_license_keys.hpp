// Licence keys: the seller's pool per product (POST/GET /api/products/{id}/license-keys), and
// the one key each purchase of a product with a pool gets, assigned inside the purchase
// webhook's transaction (or the webhook's own "licenseKey" per item). A purchase that finds the
// pool empty waits; the next upload gives the waiting purchases keys, oldest first, in the
// upload's transaction. Keys are shown only to the purchase's own customer (the portal) and to
// the seller (GET /api/purchases); the pool's free keys are never listed, only counted.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "server/server_context.hpp"
#include "server/store_db.hpp"

namespace continuata::server {

inline constexpr size_t kMaxKeysPerUpload = 1000;
inline constexpr size_t kMaxKeyBytes = 200;
inline constexpr int64_t kMaxKeysPerProduct = 100000;

// A key as stored: ASCII spaces trimmed, 1..kMaxKeyBytes bytes, no control characters; 400 otherwise.
std::string checked_license_key(const nlohmann::json& value, const char* field);

enum class KeyOutcome { None, Assigned, Pending };
// Inside the caller's transaction: the purchase keeps the key it has; else gets `given` (409
// when another purchase holds it), else the pool's oldest free key; Pending when the product
// has a pool but no free key, None when it has no pool.
KeyOutcome assign_license_key(Db& db, const std::string& org, const std::string& product, int64_t purchase_id,
                              const std::optional<std::string>& given, int64_t now);

// POST {"keys": [...]}: adds the new keys (duplicates, in the body or the pool, are counted and
// skipped) and gives waiting purchases theirs. Answers the counts.
nlohmann::json upload_license_keys(ServerContext& ctx, const std::string& org, const std::string& product,
                                   const nlohmann::json& body);
// GET: the pool's counts {"productId", "total", "available", "assigned", "pending"}.
nlohmann::json license_key_pool(ServerContext& ctx, const std::string& org, const std::string& product);

}  // namespace continuata::server
