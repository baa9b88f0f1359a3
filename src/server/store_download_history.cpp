// Download history queries. Each reads kPurchaseDownloads, the one statement of which session
// belongs to which purchase: a token minted for a purchase carries its purchase_id; a bundle
// token (a library ZIP, "Download everything") has none and lists its purchases in
// download_token_items, added with the UNION ALL here, and every query below follows.
#include "server/store_download_history.hpp"

namespace continuata::server::store {
namespace {

// A bundle's download writes one session row per org in it (each seller's report sees it), so
// its sessions join the items of their own org: a ZIP counts once for each purchase in it.
// DISTINCT: a purchase listed twice in one bundle is still one purchase downloaded once.
const char* const kPurchaseDownloads =
    "SELECT t.purchase_id AS purchase_id, ds.id AS id, ds.created_at AS at, ds.user_agent AS user_agent,"
    " ds.file_path AS file_path"
    " FROM download_sessions ds JOIN download_tokens t ON t.id = ds.token_id"
    " WHERE ds.counted = 1 AND t.purchase_id IS NOT NULL"
    " UNION ALL"
    " SELECT i.purchase_id AS purchase_id, ds.id AS id, ds.created_at AS at, ds.user_agent AS user_agent,"
    " ds.file_path AS file_path"
    " FROM download_sessions ds JOIN (SELECT DISTINCT token_id, org_id, purchase_id FROM download_token_items"
    " WHERE purchase_id IS NOT NULL) i ON i.token_id = ds.token_id AND i.org_id = ds.org_id"
    " WHERE ds.counted = 1";

}  // namespace

std::map<int64_t, DownloadSummaryRow> download_summaries(Db& db, const std::string& email,
                                                         const std::optional<std::string>& org) {
  // The newest download of each purchase (row_number) with the purchase's count beside it.
  auto s =
      db.prepare(std::string("SELECT purchase_id, n, at, user_agent FROM (SELECT d.purchase_id, d.at,"
                             " d.user_agent, count(*) OVER (PARTITION BY d.purchase_id) AS n,"
                             " row_number() OVER (PARTITION BY d.purchase_id ORDER BY d.at DESC, d.id DESC)"
                             " AS newest FROM (") +
                 kPurchaseDownloads +
                 ") d JOIN purchases p ON p.id = d.purchase_id"
                 " WHERE p.email_normalized = ? AND (CAST(? AS TEXT) IS NULL OR p.org_id = ?)) h"
                 " WHERE newest = 1");
  s.bind(1, email).bind(2, org).bind(3, org);
  std::map<int64_t, DownloadSummaryRow> out;
  while (s.step()) out[s.integer(0)] = DownloadSummaryRow{s.integer(1), s.integer(2), s.text(3)};
  return out;
}

std::vector<DownloadHistoryRow> download_history(Db& db, int64_t purchase_id, int64_t limit, int64_t offset) {
  auto s = db.prepare(std::string("SELECT id, at, user_agent, file_path FROM (") + kPurchaseDownloads +
                      ") d WHERE purchase_id = ? ORDER BY at DESC, id DESC LIMIT ? OFFSET ?");
  s.bind(1, purchase_id).bind(2, limit).bind(3, offset);
  std::vector<DownloadHistoryRow> out;
  while (s.step()) out.push_back(DownloadHistoryRow{s.integer(0), s.integer(1), s.text(2), s.text(3)});
  return out;
}

int64_t download_count(Db& db, int64_t purchase_id) {
  auto s =
      db.prepare(std::string("SELECT count(*) FROM (") + kPurchaseDownloads + ") d WHERE purchase_id = ?");
  s.bind(1, purchase_id);
  s.step();
  return s.integer(0);
}

}  // namespace continuata::server::store
