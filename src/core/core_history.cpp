// Download history: JSON both ways, request builders, ZIP links and the words.
#include "core/core_history.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/core_format.hpp"
#include "core/core_json_fields.hpp"
#include "core/core_time.hpp"

namespace continuata::core {
namespace {

using nlohmann::json;

using json_fields::integer;
using json_fields::str;

template <class T>
Parsed<T> failed(ParseError e, std::string field = {}) {
  Parsed<T> p;
  p.error = e;
  p.field = std::move(field);
  return p;
}

constexpr int64_t kMinute = 60000, kHour = 60 * kMinute, kDay = 24 * kHour;

}  // namespace

void to_json(json& j, const DownloadEvent& e) {
  j = {{"at", format_iso8601_utc(e.at_ms)}, {"client", e.client}, {"file", e.file}};
}

void to_json(json& j, const DownloadHistory& h) {
  j = {{"purchaseId", h.purchase_id},
       {"total", h.total},
       {"downloads", h.downloads},
       {"nextOffset", h.next_offset ? json(*h.next_offset) : json(nullptr)}};
}

Parsed<DownloadHistory> parse_download_history(std::string_view body) {
  json j = json::parse(body.begin(), body.end(), nullptr, false);
  if (j.is_discarded()) return failed<DownloadHistory>(ParseError::NotJson);
  if (!j.is_object()) return failed<DownloadHistory>(ParseError::WrongShape);
  DownloadHistory h;
  auto id = integer(j, "purchaseId");
  if (!id)
    return failed<DownloadHistory>(
        j.contains("purchaseId") ? ParseError::WrongType : ParseError::MissingField, "purchaseId");
  h.purchase_id = *id;
  auto list = j.find("downloads");
  if (list == j.end() || list->is_null())
    return failed<DownloadHistory>(ParseError::MissingField, "downloads");
  if (!list->is_array()) return failed<DownloadHistory>(ParseError::WrongType, "downloads");
  for (const json& row : *list) {
    if (!row.is_object()) continue;
    auto at = parse_iso8601_utc(str(row, "at"));
    if (!at) continue;
    h.downloads.push_back(DownloadEvent{*at, str(row, "client"), str(row, "file")});
  }
  h.total = std::max<int64_t>(integer(j, "total").value_or(0), int64_t(h.downloads.size()));
  if (auto next = integer(j, "nextOffset"); next && *next > 0) h.next_offset = *next;
  Parsed<DownloadHistory> out;
  out.value = std::move(h);
  return out;
}

std::string download_history_path(int64_t purchase_id, int64_t offset) {
  std::string path = kPurchasesPath + ("/" + std::to_string(purchase_id)) + kDownloadsSuffix;
  if (offset > 0) path += "?offset=" + std::to_string(offset);
  return path;
}

ApiRequest download_history_request(int64_t purchase_id) {
  return ApiRequest{"GET", download_history_path(purchase_id), "", true};
}

ApiRequest library_link_request() {
  return ApiRequest{"POST", kDownloadLinkPath, R"({"all":true})", true};
}

std::string zip_url(std::string_view link_url) {
  std::string out(link_url);
  out += link_url.find('?') == std::string_view::npos ? "?format=zip" : "&format=zip";
  return out;
}

std::string ago_text(int64_t at_ms, int64_t now_ms, const Text& t) {
  int64_t ago = now_ms - at_ms;
  if (ago < kMinute) return t("history.just_now");
  if (ago < kHour) return t("history.minutes_ago", {{"n", std::to_string(ago / kMinute)}});
  if (ago < kDay) return t("history.hours_ago", {{"n", std::to_string(ago / kHour)}});
  if (ago < 2 * kDay) return t("history.yesterday");
  if (ago < 30 * kDay) return t("history.days_ago", {{"n", std::to_string(ago / kDay)}});
  return t("history.on_date", {{"date", date_text(at_ms, t)}});
}

std::string client_text(const std::string& label, const Text& t) {
  if (label.empty()) return t("history.unknown_client");
  if (label == "Download manager") return t("history.download_manager");
  if (label == "Other") return t("history.other_client");
  size_t on = label.find(" on ");
  if (on == std::string::npos) return label;  // a tool's name, or a browser alone
  return t("history.client_on", {{"browser", label.substr(0, on)}, {"platform", label.substr(on + 4)}});
}

std::string history_summary_text(const DownloadSummary& d, int64_t now_ms, const Text& t) {
  if (d.count <= 0) return t("history.none");
  std::string when = ago_text(d.last_at_ms, now_ms, t);
  std::string client = client_text(d.last_client, t);
  if (d.count == 1) return t("history.once", {{"when", when}, {"client", client}});
  return t("history.times", {{"n", std::to_string(d.count)}, {"when", when}, {"client", client}});
}

std::string history_entry_text(const DownloadEvent& e, const Text& t) {
  std::string iso = format_iso8601_utc(e.at_ms);
  std::string client = client_text(e.client, t);
  return t(
      "history.entry",
      {{"date", date_text(e.at_ms, t)}, {"time", iso.substr(11, 5)}, {"client", client}, {"file", e.file}});
}

}  // namespace continuata::core
