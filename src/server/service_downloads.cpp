// Minting and resolving download tokens, and the download log.
#include "server/service_downloads.hpp"

#include <algorithm>

#include "server/api_error.hpp"
#include "server/api_fields.hpp"
#include "server/crypto_util.hpp"
#include "server/service_bundles.hpp"
#include "server/service_refunds.hpp"
#include "server/store_bundles.hpp"
#include "server/store_refunds.hpp"
#include "server/store_seller.hpp"
#include "server/text_encoding.hpp"

namespace continuata::server {

Version mintable_version(ServerContext& ctx, const std::string& org, const std::string& product_id,
                         const std::optional<std::string>& version) {
  Db& db = ctx.db->connection();
  std::string label = product_id + "@" + (version ? *version : std::string("latest"));
  auto product = store::find_product(db, org, product_id);
  std::optional<Version> v;
  if (product) {
    if (version)
      v = store::find_version(db, org, product_id, *version);
    else if (product->active_version_id)
      v = store::find_version_by_id(db, *product->active_version_id);
  }
  // Only the active version (or an older one that was activated once: status ready) may be
  // minted: a draft has no finished manifest.
  if (!v || v->status != "ready") throw ApiError(404, "No active manifest for " + label);
  return *v;
}

core::DownloadLink mint_download_link(ServerContext& ctx, const std::string& org,
                                      const std::string& product_id,
                                      const std::optional<std::string>& version,
                                      std::optional<int64_t> purchase_id, const std::string& source) {
  Db& db = ctx.db->connection();
  std::optional<Version> v = mintable_version(ctx, org, product_id, version);
  if (purchase_id) require_not_refunded(db, *purchase_id);
  core::DownloadLink link;
  link.product_id = product_id;
  link.version = v->version;
  link.token = random_hex(32);
  int64_t now = ctx.now_ms();
  link.expires_at_ms = now + kDownloadTokenLifetimeMs;
  link.url = ctx.config.public_url + "/download?token=" + link.token;
  Transaction tx(db, TxLock::Concurrent);  // one insert: nothing to keep other writers from
  store::insert_token(db, sha256_hex(link.token), org, product_id, v->id, purchase_id, source, now,
                      link.expires_at_ms);
  tx.commit();
  return link;
}

core::DownloadLink mint_from_request(ServerContext& ctx, const std::string& org, const nlohmann::json& body) {
  require_object(body);
  if (body.contains("items")) return mint_bundle_from_request(ctx, org, body);
  std::string product_id = nonempty_string(body, "productId");
  std::optional<std::string> version = optional_string(body, "version");
  std::optional<int64_t> purchase_id;
  if (auto it = body.find("purchaseId"); it != body.end() && !it->is_null()) {
    if (!it->is_number_integer()) throw ApiError(400, "\"purchaseId\" must be a purchase id number");
    auto p = store::find_org_purchase(ctx.db->connection(), org, it->get<int64_t>());
    if (!p || p->product_id != product_id) throw ApiError(404, "Purchase not found for " + product_id);
    purchase_id = p->id;
  }
  return mint_download_link(ctx, org, product_id, version, purchase_id, "api");
}

ResolvedDownload resolve_download(ServerContext& ctx, const std::string& token) {
  ResolvedDownload r;
  if (token.size() != 64) return r;
  Db& db = ctx.db->connection();
  auto row = store::find_token(db, sha256_hex(token));
  if (!row) return r;
  auto v = store::find_version_by_id(db, row->version_id);
  if (!v) return r;
  r.state = row->expires_at <= ctx.now_ms() ? ResolvedDownload::State::Expired : ResolvedDownload::State::Ok;
  if (store::token_purchase_refunded(db, row->id)) r.state = ResolvedDownload::State::Refunded;
  r.token_id = row->id;
  r.org_id = row->org_id;
  r.product_id = row->product_id;
  r.version = *v;
  r.files = store::list_files(db, v->id);
  if (row->bundle) {
    r.bundle = true;
    for (auto& part : store::bundle_parts(db, row->id)) {
      std::vector<FileEntry> files = store::list_files(db, part.version.id);
      r.parts.push_back(BundlePart{part.org_id, part.product_id, part.product_name, part.version, files});
    }
    if (r.parts.empty()) r.state = ResolvedDownload::State::Refunded;  // every purchase in it refunded since
  }
  return r;
}

const FileEntry* select_file(const ResolvedDownload& d, const std::string& wanted) {
  if (wanted.empty()) return d.files.size() == 1 ? &d.files[0] : nullptr;
  for (const auto& f : d.files)
    if (f.path == wanted) return &f;
  return nullptr;
}

namespace {

void log_session(ServerContext& ctx, const ResolvedDownload& d, const std::vector<std::string>& orgs,
                 const std::string& path, bool archive, uint64_t size, const RangeDecision& ranges,
                 const std::string& ip, const std::string& user_agent) {
  bool full = ranges.kind == RangeDecision::Kind::Full;
  uint64_t first = full || ranges.ranges.empty() ? 0 : ranges.ranges[0].first;
  uint64_t length = 0;
  if (full)
    length = size;
  else
    for (const auto& r : ranges.ranges) length += r.length();
  if (length < kProbeBytes && first + length < size) return;  // a probe: short, and not the file's end
  store::DownloadSession s;
  s.token_id = d.token_id;
  s.file_path = path;
  s.archive = archive;
  s.range_start = int64_t(first);
  s.range_end = int64_t(first + length) - 1;
  s.counted = first == 0;
  s.ip = ip;
  s.user_agent = printable_utf8(user_agent, 512);  // stored text goes into JSON and CSV later
  s.created_at = ctx.now_ms();
  Db& db = ctx.db->connection();
  Transaction tx(db, TxLock::Concurrent);
  for (const auto& org : orgs) {
    s.org_id = org;
    store::insert_download_session(db, s);
  }
  tx.commit();
}

}  // namespace

void log_download(ServerContext& ctx, const ResolvedDownload& d, const FileEntry& file,
                  const RangeDecision& ranges, const std::string& ip, const std::string& user_agent) {
  log_session(ctx, d, {d.org_id}, file.path, false, uint64_t(file.size), ranges, ip, user_agent);
}

void log_archive_download(ServerContext& ctx, const ResolvedDownload& d, const std::string& name,
                          uint64_t size, const RangeDecision& ranges, const std::string& ip,
                          const std::string& user_agent) {
  std::vector<std::string> orgs{d.org_id};
  for (const auto& part : d.parts)
    if (std::find(orgs.begin(), orgs.end(), part.org_id) == orgs.end()) orgs.push_back(part.org_id);
  log_session(ctx, d, orgs, name, true, size, ranges, ip, user_agent);
}

}  // namespace continuata::server
