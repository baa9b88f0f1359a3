// The SQL of bundle tokens: one download token whose download is a ZIP of several versions
// (a buyer's whole library, or the seller API's list of items), its versions kept in
// download_token_items in the order of the archive's folders.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/model_seller.hpp"
#include "server/store_db.hpp"

namespace continuata::server::store {

struct BundleItem {
  std::string org_id, product_id, version_id;
  std::optional<int64_t> purchase_id;
};

// Inserts the token (bundle = 1; its own product and version columns name the first item, which
// keeps their NOT NULL and foreign key) and its items. `items` is not empty.
void insert_bundle_token(Db& db, const std::string& token_hash, const std::vector<BundleItem>& items,
                         const std::string& source, int64_t now, int64_t expires_at);

struct BundlePartRow {
  std::string org_id, product_id, product_name;
  Version version;
};
// The token's items with their product names and versions, in position order.
std::vector<BundlePartRow> bundle_parts(Db& db, int64_t token_id);

}  // namespace continuata::server::store
