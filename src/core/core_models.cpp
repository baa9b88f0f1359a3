// Non-throwing JSON mapping of the portal API's responses.
#include "core/core_models.hpp"

#include <nlohmann/json.hpp>

#include "core/core_time.hpp"

namespace continuata::core {
namespace {

using nlohmann::json;

json parse(std::string_view body) { return json::parse(body.begin(), body.end(), nullptr, false); }

std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::optional<std::vector<Purchase>> parse_purchases(std::string_view body) {
  json j = parse(body);
  if (j.is_discarded()) return std::nullopt;
  const json* list = &j;
  if (j.is_object()) {
    auto it = j.find("purchases");
    if (it == j.end()) return std::nullopt;
    list = &*it;
  }
  if (!list->is_array()) return std::nullopt;
  std::vector<Purchase> out;
  out.reserve(list->size());
  for (const json& row : *list) {
    if (!row.is_object()) return std::nullopt;
    Purchase p;
    auto id = row.find("purchaseId");
    if (id == row.end() || !id->is_number_integer()) return std::nullopt;
    p.purchase_id = id->get<int64_t>();
    p.order_id = str(row, "orderId");
    p.product_id = str(row, "productId");
    p.product_name = str(row, "productName");
    if (p.product_name.empty()) p.product_name = p.product_id;
    p.purchased_version = str(row, "purchasedVersion");
    p.latest_version = str(row, "latestVersion");
    p.purchased_at_ms = parse_iso8601_utc(str(row, "purchasedAt")).value_or(0);
    if (auto files = row.find("files"); files != row.end() && files->is_array()) {
      for (const json& f : *files) {
        if (!f.is_object()) continue;
        FileInfo fi{str(f, "path"), str(f, "sha256"), 0};
        if (auto size = f.find("size"); size != f.end() && size->is_number_integer()) fi.size = size->get<int64_t>();
        p.files.push_back(std::move(fi));
      }
    }
    out.push_back(std::move(p));
  }
  return out;
}

std::optional<Session> parse_session(std::string_view body) {
  json j = parse(body);
  if (!j.is_object()) return std::nullopt;
  Session s{str(j, "sessionToken"), str(j, "email"), 0};
  auto exp = parse_iso8601_utc(str(j, "expiresAt"));
  if (s.token.empty() || !exp) return std::nullopt;
  s.expires_at_ms = *exp;
  return s;
}

std::optional<DownloadLink> parse_download_link(std::string_view body) {
  json j = parse(body);
  if (!j.is_object()) return std::nullopt;
  DownloadLink l{str(j, "downloadUrl"), str(j, "version"), 0};
  auto exp = parse_iso8601_utc(str(j, "expiresAt"));
  if (l.url.empty() || !exp) return std::nullopt;
  l.expires_at_ms = *exp;
  return l;
}

std::string parse_error_message(std::string_view body) {
  json j = parse(body);
  return j.is_object() ? str(j, "error") : std::string();
}

std::optional<int64_t> parse_tries_left(std::string_view body) {
  json j = parse(body);
  if (!j.is_object() || !j.contains("triesLeft") || !j["triesLeft"].is_number_integer()) return std::nullopt;
  return j["triesLeft"].get<int64_t>();
}

std::string serialize_session(const Session& s) {
  return json{{"sessionToken", s.token}, {"email", s.email}, {"expiresAt", format_iso8601_utc(s.expires_at_ms)}}.dump();
}

std::optional<Session> deserialize_session(std::string_view text) { return parse_session(text); }

}  // namespace continuata::core
