// All SQL of licence keys: the pool of a product (license_keys), a key's assignment to exactly
// one purchase, and the purchases still waiting for one. Every statement binds its parameters.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/store_db.hpp"

namespace continuata::server::store {

// Adds a free key; false when the product's pool already has it (a duplicate).
bool insert_free_key(Db& db, const std::string& org, const std::string& product, const std::string& key,
                     int64_t now);
// Gives the purchase this exact key (the webhook's own "licenseKey"): inserted, or taken when it
// is in the pool and free. False when another purchase holds it.
bool give_key(Db& db, const std::string& org, const std::string& product, const std::string& key,
              int64_t purchase_id, int64_t now);
// Takes the oldest free key of the product for the purchase and returns it; nullopt when the
// pool is empty. On PostgreSQL the free row is claimed FOR UPDATE SKIP LOCKED, so two
// transactions never take the same key (and purchase_id is UNIQUE besides).
std::optional<std::string> take_free_key(Db& db, const std::string& org, const std::string& product,
                                         int64_t purchase_id, int64_t now);
std::optional<std::string> key_of_purchase(Db& db, int64_t purchase_id);

struct PoolCounts {
  int64_t total = 0, available = 0, pending = 0;  // pending: active purchases without a key
};
PoolCounts pool_counts(Db& db, const std::string& org, const std::string& product);
// Active (not refunded) purchases of the product without a key, oldest first, at most `limit`.
std::vector<int64_t> purchases_waiting_for_key(Db& db, const std::string& org, const std::string& product,
                                               int limit);

}  // namespace continuata::server::store
