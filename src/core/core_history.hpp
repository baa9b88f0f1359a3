// A purchase's download history and the whole library's ZIP, as both sides of the portal API
// see them: the full list's model (GET /api/portal/purchases/{id}/downloads) with its JSON and
// non-throwing parse, the request builders, the ZIP links (a link's URL plus format=zip), and
// the plain words the portal says about a history ("Downloaded 3 times, last 2 days ago with
// Firefox on Linux"). The per-purchase summary itself is core_api's DownloadSummary.
#pragma once
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/core_api.hpp"
#include "core/core_text.hpp"

namespace continuata::core {

// GET kPurchasesPath + "/{purchaseId}/downloads?offset=N": newest first, kHistoryPage at a time.
inline constexpr const char* kDownloadsSuffix = "/downloads";
inline constexpr int64_t kHistoryPage = 50, kHistoryPageMax = 200;

// One counted download (a request from byte 0): when, with what, which file.
struct DownloadEvent {
  int64_t at_ms = 0;
  std::string client, file;
};

struct DownloadHistory {
  int64_t purchase_id = 0, total = 0;  // total: every counted download, on this page or not
  std::vector<DownloadEvent> downloads;
  std::optional<int64_t> next_offset;  // the next page's offset, none after the last
};

void to_json(nlohmann::json& j, const DownloadEvent& e);
void to_json(nlohmann::json& j, const DownloadHistory& h);
// purchaseId (an integer) and downloads (a list) are required; entries without a timestamp are
// skipped, total is at least the entries' count.
Parsed<DownloadHistory> parse_download_history(std::string_view body);

// The path of a purchase's history page ("/api/portal/purchases/12/downloads?offset=50").
std::string download_history_path(int64_t purchase_id, int64_t offset = 0);
ApiRequest download_history_request(int64_t purchase_id);
// POST /api/portal/download-url {"all": true}: one link to a ZIP of every purchase's files.
ApiRequest library_link_request();
// A minted link's ZIP of its whole version: the URL with format=zip added to its query.
std::string zip_url(std::string_view link_url);

// [SECTION] Words
// "just now", "5 min ago", "3 h ago", "yesterday", "4 days ago", then the date ("on 2026-04-01").
std::string ago_text(int64_t at_ms, int64_t now_ms, const Text& text = Text::english());
// The server's client label (lastClient, made by server/user_agent_label: "<browser> on <platform>",
// a tool's name, "Download manager", "Other"; "" for none) in the UI's language: "Firefox unter
// Linux", "einem Download-Manager". Names (browsers, platforms, tools) stay as they are.
std::string client_text(const std::string& label, const Text& text = Text::english());
// "Not downloaded yet", "Downloaded once, 5 min ago with curl", "Downloaded 3 times, last 2 days
// ago with Firefox on Linux".
std::string history_summary_text(const DownloadSummary& d, int64_t now_ms,
                                 const Text& text = Text::english());
// One line of the full list: "2026-04-01 14:03 UTC · Firefox on Linux · Drums.zip".
std::string history_entry_text(const DownloadEvent& e, const Text& text = Text::english());

}  // namespace continuata::core
