// The portal's download history over store_download_history.
#include "server/service_download_history.hpp"

#include "server/api_error.hpp"
#include "server/store_download_history.hpp"
#include "server/user_agent_label.hpp"

namespace continuata::server {
namespace {

// A decimal number of at most 15 digits, or nullopt ("" too).
std::optional<int64_t> decimal(const std::string& text) {
  if (text.empty() || text.size() > 15 || text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::stoll(text);
}

}  // namespace

void add_download_summaries(ServerContext& ctx, const std::string& email,
                            const std::optional<std::string>& scope, core::PurchaseList& list) {
  auto rows = store::download_summaries(ctx.db->connection(), email, scope);
  for (auto& p : list.purchases) {
    auto it = rows.find(p.purchase_id);
    if (it == rows.end()) continue;
    p.downloads = core::DownloadSummary{it->second.count, it->second.last_at,
                                        user_agent_label(it->second.last_user_agent)};
  }
}

core::DownloadHistory portal_download_history(ServerContext& ctx, const store::PortalSession& session,
                                              const std::string& id, const std::string& offset_text,
                                              const std::string& limit_text) {
  auto purchase_id = decimal(id);
  auto& db = ctx.db->connection();
  std::optional<Purchase> purchase;
  if (purchase_id)
    purchase = store::find_purchase_of(db, *purchase_id, session.email_normalized, session.org_id);
  if (!purchase) throw ApiError(404, "Purchase not found");
  int64_t offset = 0, limit = core::kHistoryPage;
  if (!offset_text.empty()) {
    auto o = decimal(offset_text);
    if (!o) throw ApiError(400, "\"offset\" must be a whole number");
    offset = *o;
  }
  if (!limit_text.empty()) {
    auto l = decimal(limit_text);
    if (!l || *l < 1 || *l > core::kHistoryPageMax)
      throw ApiError(400,
                     "\"limit\" must be a whole number from 1 to " + std::to_string(core::kHistoryPageMax));
    limit = *l;
  }
  core::DownloadHistory out;
  out.purchase_id = purchase->id;
  out.total = store::download_count(db, purchase->id);
  for (auto& r : store::download_history(db, purchase->id, limit, offset))
    out.downloads.push_back(core::DownloadEvent{r.at, user_agent_label(r.user_agent), r.file_path});
  if (offset + int64_t(out.downloads.size()) < out.total)
    out.next_offset = offset + int64_t(out.downloads.size());
  return out;
}

}  // namespace continuata::server
