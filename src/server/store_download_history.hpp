// The SQL of a purchase's download history: the counted download sessions (requests from byte
// 0, as the seller's report counts them) of the tokens minted for it and of the bundle tokens
// (library ZIPs) listing it. Never the address.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "server/store_db.hpp"

namespace continuata::server::store {

struct DownloadSummaryRow {
  int64_t count = 0, last_at = 0;
  std::string last_user_agent;
};
// Per purchase id of this email (and org scope), for the purchases that were downloaded.
std::map<int64_t, DownloadSummaryRow> download_summaries(Db& db, const std::string& email_normalized,
                                                         const std::optional<std::string>& org);

struct DownloadHistoryRow {
  int64_t id = 0, at = 0;
  std::string user_agent, file_path;
};
// One purchase's counted downloads, newest first, `limit` from `offset`; and their count.
std::vector<DownloadHistoryRow> download_history(Db& db, int64_t purchase_id, int64_t limit, int64_t offset);
int64_t download_count(Db& db, int64_t purchase_id);

}  // namespace continuata::server::store
