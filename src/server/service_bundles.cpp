// Minting bundle links and naming their folders.
#include "server/service_bundles.hpp"

#include <set>
#include <utility>

#include "server/api_error.hpp"
#include "server/api_fields.hpp"
#include "server/crypto_util.hpp"
#include "server/service_downloads.hpp"
#include "server/store_bundles.hpp"
#include "server/store_refunds.hpp"
#include "server/text_encoding.hpp"

namespace continuata::server {
namespace {

core::DownloadLink mint_bundle(ServerContext& ctx, const std::vector<store::BundleItem>& items,
                               const std::string& source) {
  core::DownloadLink link;
  link.token = random_hex(32);
  int64_t now = ctx.now_ms();
  link.expires_at_ms = now + kDownloadTokenLifetimeMs;
  link.url = ctx.config.public_url + "/download?token=" + link.token;
  Db& db = ctx.db->connection();
  Transaction tx(db, TxLock::Concurrent);  // inserts only
  store::insert_bundle_token(db, sha256_hex(link.token), items, source, now, link.expires_at_ms);
  tx.commit();
  return link;
}

}  // namespace

core::DownloadLink mint_bundle_from_request(ServerContext& ctx, const std::string& org,
                                            const nlohmann::json& body) {
  const nlohmann::json& list = body.at("items");
  if (!list.is_array() || list.empty() || list.size() > kMaxBundleItems)
    throw ApiError(400, "\"items\" must be a list of 1 to " + std::to_string(kMaxBundleItems) + " items");
  std::vector<store::BundleItem> items;
  std::set<std::string> seen;
  for (const auto& item : list) {
    require_object(item);
    std::string product_id = nonempty_string(item, "productId");
    Version v = mintable_version(ctx, org, product_id, optional_string(item, "version"));
    if (!seen.insert(v.id).second)
      throw ApiError(400, "\"items\" names " + product_id + "@" + v.version + " twice");
    items.push_back(store::BundleItem{org, product_id, v.id, std::nullopt});
  }
  return mint_bundle(ctx, items, "api");
}

core::DownloadLink portal_library_link(ServerContext& ctx, const store::PortalSession& session,
                                       const nlohmann::json& body) {
  if (body.at("all") != true) throw ApiError(400, "\"all\" must be true");
  std::optional<std::string> scope = session.org_id;  // a widget's session stays inside its org
  if (!scope) scope = optional_string(body, "org");
  std::vector<store::BundleItem> items;
  std::set<std::pair<std::string, std::string>> products;  // one folder per product, bought twice or not
  for (auto& r : store::purchases_for_email(ctx.db->connection(), session.email_normalized, scope)) {
    if (!r.latest_version_id || r.files.empty()) continue;
    if (r.after_sale.refunded_at) continue;  // no files for a refund
    if (!products.emplace(r.purchase.org_id, r.purchase.product_id).second) continue;
    items.push_back(
        store::BundleItem{r.purchase.org_id, r.purchase.product_id, *r.latest_version_id, r.purchase.id});
  }
  if (items.empty()) throw ApiError(404, "No purchase has files to download yet");
  return mint_bundle(ctx, items, "portal");
}

std::string bundle_folder_name(const std::string& product_name, const std::string& fallback) {
  std::string name = printable_utf8(product_name, 120);
  for (char& c : name)
    if (c == '/' || c == '\\' || c == ':' || c == '\t') c = '-';
  size_t first = name.find_first_not_of(". "), last = name.find_last_not_of(". ");
  name = first == std::string::npos ? "" : name.substr(first, last - first + 1);
  return name.empty() ? fallback : name;
}

}  // namespace continuata::server
