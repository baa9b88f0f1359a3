// The portal API's JSON both ways, its request builders and the typed-input rules.
#include "core/core_api.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/core_json_fields.hpp"
#include "core/core_time.hpp"

namespace continuata::core {
namespace {

using nlohmann::json;

// Untrusted text: never throws, a failure is a discarded value.
json parse_json(std::string_view body) {
  return json::parse(body.begin(), body.end(), nullptr, false);
}

template <class T>
Parsed<T> failed(ParseError e, std::string field = {}) {
  Parsed<T> p;
  p.error = e;
  p.field = std::move(field);
  return p;
}

template <class T>
Parsed<T> parsed(T value) {
  Parsed<T> p;
  p.value = std::move(value);
  return p;
}

using json_fields::integer;
using json_fields::str;

json nullable(const std::string& s) {
  return s.empty() ? json(nullptr) : json(s);
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// A required timestamp field: missing, not a string, or not a timestamp are told apart.
template <class T>
std::optional<Parsed<T>> timestamp(const json& j, const char* key, int64_t& out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return failed<T>(ParseError::MissingField, key);
  if (!it->is_string()) return failed<T>(ParseError::WrongType, key);
  auto t = parse_iso8601_utc(it->get<std::string>());
  if (!t) return failed<T>(ParseError::BadValue, key);
  out = *t;
  return std::nullopt;
}

// A required non-empty string field.
template <class T>
std::optional<Parsed<T>> nonempty(const json& j, const char* key, std::string& out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return failed<T>(ParseError::MissingField, key);
  if (!it->is_string()) return failed<T>(ParseError::WrongType, key);
  out = it->get<std::string>();
  if (out.empty()) return failed<T>(ParseError::BadValue, key);
  return std::nullopt;
}

std::optional<Purchase> purchase_of(const json& row) {
  if (!row.is_object()) return std::nullopt;
  auto id = integer(row, "purchaseId");
  if (!id) return std::nullopt;
  Purchase p;
  p.purchase_id = *id;
  p.order_id = str(row, "orderId");
  p.org_id = str(row, "orgId");
  p.product_id = str(row, "productId");
  p.product_name = str(row, "productName");
  if (p.product_name.empty()) p.product_name = p.product_id;
  p.purchased_version = str(row, "purchasedVersion");
  p.latest_version = str(row, "latestVersion");
  p.latest_notes = str(row, "latestNotes");
  p.purchased_at_ms = parse_iso8601_utc(str(row, "purchasedAt")).value_or(0);
  p.refunded = str(row, "status") == "refunded";
  if (p.refunded) p.refunded_at_ms = parse_iso8601_utc(str(row, "refundedAt")).value_or(0);
  p.license_key = str(row, "licenseKey");
  p.email = str(row, "email");
  if (auto files = row.find("files"); files != row.end() && files->is_array()) {
    for (const json& f : *files) {
      if (!f.is_object()) continue;
      p.files.push_back(FileInfo{str(f, "path"), str(f, "sha256"), integer(f, "size").value_or(0)});
    }
  }
  // A server without download history sends none: the purchase reads as never downloaded.
  if (auto d = row.find("downloads"); d != row.end() && d->is_object()) {
    p.downloads.count = std::max<int64_t>(0, integer(*d, "count").value_or(0));
    p.downloads.last_at_ms = parse_iso8601_utc(str(*d, "lastAt")).value_or(0);
    p.downloads.last_client = str(*d, "lastClient");
  }
  return p;
}

// JSON text that never throws (nor aborts, with exceptions off): typed text that is not UTF-8
// is sent with U+FFFD in its place, and the server answers it as the wrong email it is.
std::string text_of(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

ApiRequest post(const char* path, const json& body, bool authenticated) {
  return ApiRequest{"POST", path, text_of(body), authenticated};
}

}  // namespace

void to_json(json& j, const FileInfo& f) {
  j = {{"path", f.path}, {"size", f.size}, {"sha256", f.sha256}};
}

void to_json(json& j, const DownloadSummary& d) {
  j = {{"count", d.count},
       {"lastAt", d.last_at_ms ? json(format_iso8601_utc(d.last_at_ms)) : json(nullptr)},
       {"lastClient", nullable(d.last_client)}};
}

void to_json(json& j, const Purchase& p) {
  j = {{"purchaseId", p.purchase_id},
       {"orderId", p.order_id},
       {"purchasedAt", format_iso8601_utc(p.purchased_at_ms)},
       {"orgId", p.org_id},
       {"productId", p.product_id},
       {"productName", p.product_name},
       {"purchasedVersion", nullable(p.purchased_version)},
       {"latestVersion", nullable(p.latest_version)},
       {"files", p.files},
       {"status", p.refunded ? "refunded" : "active"},
       {"refundedAt", p.refunded ? json(format_iso8601_utc(p.refunded_at_ms)) : json(nullptr)},
       {"licenseKey", nullable(p.license_key)},
       {"email", p.email},
       {"latestNotes", nullable(p.latest_notes)},
       {"downloads", p.downloads}};
}

void to_json(json& j, const PurchaseList& l) {
  j = {{"email", l.email}, {"purchases", l.purchases}};
}

void to_json(json& j, const Session& s) {
  j = {{"sessionToken", s.token}, {"email", s.email}, {"expiresAt", format_iso8601_utc(s.expires_at_ms)}};
}

void to_json(json& j, const DownloadLink& l) {
  j = {{"success", true},      {"productId", l.product_id},
       {"version", l.version}, {"downloadToken", l.token},
       {"downloadUrl", l.url}, {"expiresAt", format_iso8601_utc(l.expires_at_ms)}};
}

void to_json(json& j, const OrgProfile& p) {
  j = {{"orgId", p.org_id},
       {"name", p.name},
       {"helpEmail", nullable(p.help_email)},
       {"helpUrl", nullable(p.help_url)}};
}

void to_json(json& j, const ErrorBody& e) {
  j = {{"error", e.error}};
  if (e.tries_left) j["triesLeft"] = *e.tries_left;
  if (e.retry_after) j["retryAfter"] = *e.retry_after;
  if (e.code) j["code"] = *e.code;
}

void to_json(json& j, const VerificationAccepted& a) {
  j = {{"status", a.status}, {"message", a.message}};
}

void to_json(json& j, const VerificationRequest& r) {
  j = {{"email", r.email}};
  if (r.org) j["org"] = *r.org;
  if (r.language) j["language"] = *r.language;
}

void to_json(json& j, const SessionRequest& r) {
  j = {{"email", r.email}, {"code", r.code}};
}

void to_json(json& j, const DownloadLinkRequest& r) {
  j = {{"purchaseId", r.purchase_id}};
  if (r.version) j["version"] = *r.version;
}

Parsed<PurchaseList> parse_purchase_list(std::string_view body) {
  json j = parse_json(body);
  if (j.is_discarded()) return failed<PurchaseList>(ParseError::NotJson);
  PurchaseList out;
  const json* list = &j;
  if (j.is_object()) {
    out.email = str(j, "email");
    auto it = j.find("purchases");
    if (it == j.end() || it->is_null()) return failed<PurchaseList>(ParseError::MissingField, "purchases");
    list = &*it;
  }
  if (!list->is_array())
    return failed<PurchaseList>(j.is_object() ? ParseError::WrongType : ParseError::WrongShape,
                                j.is_object() ? "purchases" : "");
  out.purchases.reserve(list->size());
  for (const json& row : *list) {
    auto p = purchase_of(row);
    if (!p) return failed<PurchaseList>(ParseError::WrongShape, "purchaseId");
    out.purchases.push_back(std::move(*p));
  }
  return parsed(std::move(out));
}

Parsed<Session> parse_session(std::string_view body) {
  json j = parse_json(body);
  if (j.is_discarded()) return failed<Session>(ParseError::NotJson);
  if (!j.is_object()) return failed<Session>(ParseError::WrongShape);
  Session s;
  if (auto bad = nonempty<Session>(j, "sessionToken", s.token)) return *bad;
  if (auto bad = timestamp<Session>(j, "expiresAt", s.expires_at_ms)) return *bad;
  s.email = str(j, "email");
  return parsed(std::move(s));
}

Parsed<DownloadLink> parse_download_link(std::string_view body) {
  json j = parse_json(body);
  if (j.is_discarded()) return failed<DownloadLink>(ParseError::NotJson);
  if (!j.is_object()) return failed<DownloadLink>(ParseError::WrongShape);
  DownloadLink l;
  if (auto bad = nonempty<DownloadLink>(j, "downloadUrl", l.url)) return *bad;
  if (auto bad = timestamp<DownloadLink>(j, "expiresAt", l.expires_at_ms)) return *bad;
  l.version = str(j, "version");
  l.product_id = str(j, "productId");
  l.token = str(j, "downloadToken");
  return parsed(std::move(l));
}

Parsed<ErrorBody> parse_error(std::string_view body) {
  json j = parse_json(body);
  if (j.is_discarded()) return failed<ErrorBody>(ParseError::NotJson);
  if (!j.is_object()) return failed<ErrorBody>(ParseError::WrongShape);
  ErrorBody e{str(j, "error"), integer(j, "triesLeft"), integer(j, "retryAfter"), std::nullopt};
  if (auto it = j.find("code"); it != j.end() && it->is_string()) e.code = it->get<std::string>();
  return parsed(std::move(e));
}

Parsed<OrgProfile> parse_org_profile(std::string_view body) {
  json j = parse_json(body);
  if (j.is_discarded()) return failed<OrgProfile>(ParseError::NotJson);
  if (!j.is_object()) return failed<OrgProfile>(ParseError::WrongShape);
  OrgProfile p;
  if (auto bad = nonempty<OrgProfile>(j, "orgId", p.org_id)) return *bad;
  if (auto bad = nonempty<OrgProfile>(j, "name", p.name)) return *bad;
  // The portal shows and opens these: anything but a usable address is treated as unset.
  p.help_email = str(j, "helpEmail");
  if (!plausible_email(p.help_email)) p.help_email.clear();
  p.help_url = str(j, "helpUrl");
  if (!plausible_web_url(p.help_url)) p.help_url.clear();
  return parsed(std::move(p));
}

std::string serialize_session(const Session& s) {
  return text_of(s);
}

Parsed<Session> deserialize_session(std::string_view text) {
  return parse_session(text);
}

std::string serialize_saved_session(const SavedSession& s) {
  json j = s.session;
  json links = json::array();
  for (const auto& l : s.links) {
    json entry = l.link;
    entry["purchaseId"] = l.purchase_id;
    links.push_back(std::move(entry));
  }
  j["links"] = std::move(links);
  return text_of(j);
}

Parsed<SavedSession> deserialize_saved_session(std::string_view text) {
  auto session = parse_session(text);
  if (!session) return failed<SavedSession>(session.error, session.field);
  SavedSession out;
  out.session = std::move(*session);
  json j = parse_json(text);  // parse_session accepted it: an object
  if (auto links = j.find("links"); links != j.end() && links->is_array()) {
    for (const json& entry : *links) {
      if (!entry.is_object()) continue;
      auto id = integer(entry, "purchaseId");
      auto link = parse_download_link(text_of(entry));
      if (id && link) out.links.push_back(SavedLink{*id, std::move(*link)});
    }
  }
  return parsed(std::move(out));
}

ApiRequest verification_request(const VerificationRequest& r) {
  return post(kVerificationPath, r, false);
}

ApiRequest session_request(const SessionRequest& r) {
  return post(kSessionPath, r, false);
}

ApiRequest purchases_request(const std::string& org) {
  return ApiRequest{
      "GET",
      org.empty() ? std::string(kPurchasesPath) : kPurchasesPath + std::string("?org=") + url_encode(org), "",
      true};
}

ApiRequest download_link_request(const DownloadLinkRequest& r) {
  return post(kDownloadLinkPath, r, true);
}

ApiRequest sign_out_request() {
  return ApiRequest{"DELETE", kSessionPath, "", true};
}

ApiRequest profile_request(const std::string& org) {
  return ApiRequest{"GET", kProfilePath + std::string("?org=") + url_encode(org), "", false};
}

std::string url_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved)
      out.push_back(char(c));
    else
      out += {'%', hex[c >> 4], hex[c & 15]};
  }
  return out;
}

std::string file_download_url(std::string_view link_url, std::string_view path) {
  std::string out(link_url);
  out += link_url.find('?') == std::string_view::npos ? "?file=" : "&file=";
  out += url_encode(path);
  return out;
}

std::string normalise_email(std::string_view email) {
  while (!email.empty() && is_space(email.front())) email.remove_prefix(1);
  while (!email.empty() && is_space(email.back())) email.remove_suffix(1);
  std::string out(email);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return out;
}

bool plausible_email(std::string_view e) {
  if (e.empty() || e.size() > 254) return false;
  size_t at = e.find('@');
  if (at == 0 || at == std::string_view::npos || e.find('@', at + 1) != std::string_view::npos) return false;
  std::string_view domain = e.substr(at + 1);
  size_t dot = domain.find('.');
  if (dot == std::string_view::npos || dot == 0 || domain.back() == '.') return false;
  for (unsigned char c : e)
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"' || c == ',') return false;
  return true;
}

std::optional<std::string> verification_code(std::string_view typed) {
  std::string code;
  for (char c : typed) {
    if (c == ' ' || c == '-') continue;  // "123 456" and "123-456" as people copy codes
    if (c < '0' || c > '9' || code.size() == kCodeDigits) return std::nullopt;
    code.push_back(c);
  }
  if (code.size() != kCodeDigits) return std::nullopt;
  return code;
}

bool plausible_web_url(std::string_view url) {
  if (url.size() > 2000) return false;
  size_t scheme = url.rfind("https://", 0) == 0 ? 8 : url.rfind("http://", 0) == 0 ? 7 : 0;
  if (scheme == 0) return false;
  std::string_view rest = url.substr(scheme);
  size_t host_end = rest.find_first_of("/?#");
  std::string_view host = rest.substr(0, host_end);
  if (host.empty() || host.find('@') != std::string_view::npos) return false;  // no user:pass@
  for (unsigned char c : url)
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"' || c == '\'' || c == '`' || c == '\\')
      return false;
  return true;
}

}  // namespace continuata::core
