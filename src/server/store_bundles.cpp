// Bundle tokens' SQL, parameters always bound.
#include "server/store_bundles.hpp"

namespace continuata::server::store {

void insert_bundle_token(Db& db, const std::string& token_hash, const std::vector<BundleItem>& items,
                         const std::string& source, int64_t now, int64_t expires_at) {
  const BundleItem& first = items.front();
  auto s = db.prepare(
      "INSERT INTO download_tokens (token_hash, org_id, product_id, version_id, purchase_id, source,"
      " created_at, expires_at, bundle) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, 1) RETURNING id");
  s.bind(1, token_hash).bind(2, first.org_id).bind(3, first.product_id).bind(4, first.version_id);
  s.bind(5, source).bind(6, now).bind(7, expires_at);
  if (!s.step()) throw std::runtime_error("the bundle token was not inserted");
  int64_t token_id = s.integer(0);
  s.reset();
  for (size_t i = 0; i < items.size(); ++i)
    db.prepare(
          "INSERT INTO download_token_items (token_id, position, org_id, product_id, version_id, purchase_id)"
          " VALUES (?, ?, ?, ?, ?, ?)")
        .bind(1, token_id)
        .bind(2, int64_t(i))
        .bind(3, items[i].org_id)
        .bind(4, items[i].product_id)
        .bind(5, items[i].version_id)
        .bind(6, items[i].purchase_id)
        .run();
}

std::vector<BundlePartRow> bundle_parts(Db& db, int64_t token_id) {
  auto s = db.prepare(
      "SELECT i.org_id, i.product_id, pr.name, v.id, v.org_id, v.product_id, v.version, v.status, "
      "v.created_at"
      " FROM download_token_items i JOIN versions v ON v.id = i.version_id"
      " JOIN products pr ON pr.org_id = i.org_id AND pr.id = i.product_id"
      " LEFT JOIN purchases pu ON pu.id = i.purchase_id"  // a purchase refunded since: its folder goes
      " WHERE i.token_id = ? AND pu.refunded_at IS NULL ORDER BY i.position");
  s.bind(1, token_id);
  std::vector<BundlePartRow> out;
  while (s.step()) {
    BundlePartRow r;
    r.org_id = s.text(0);
    r.product_id = s.text(1);
    r.product_name = s.text(2);
    r.version = Version{s.text(3), s.text(4), s.text(5), s.text(6), s.text(7), s.integer(8), std::nullopt};
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace continuata::server::store
