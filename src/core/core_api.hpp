// The customer portal API's contract, written once for both sides: the models the portal
// endpoints accept and return, their JSON (free to_json, which the server sends), the portal's
// non-throwing parses of those answers (malformed input is an error value: the web build has
// exceptions off), the request builders the portal core sends, and the rules both sides apply
// to what a customer types (email normalisation and plausibility, the 6-digit code).
//
// Optional strings the API sends as null (a purchase without a recorded version) are "" here.
#pragma once
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace continuata::core {

// [SECTION] Paths of the portal endpoints
inline constexpr const char* kVerificationPath = "/api/portal/verification";  // POST
inline constexpr const char* kSessionPath = "/api/portal/session";            // POST, DELETE
inline constexpr const char* kPurchasesPath = "/api/portal/purchases";        // GET
inline constexpr const char* kDownloadLinkPath = "/api/portal/download-url";  // POST
inline constexpr const char* kProfilePath = "/api/portal/profile";            // GET, before sign-in

// [SECTION] Models
struct FileInfo {
  std::string path, sha256;
  int64_t size = 0;
};

// A purchase's downloads so far (byte-0 requests only, as the seller's report counts them):
// how many, when last (0 = never) and with what ("Firefox on Linux", "curl"; "" = never).
struct DownloadSummary {
  int64_t count = 0, last_at_ms = 0;
  std::string last_client;
};

struct Purchase {
  int64_t purchase_id = 0;
  std::string order_id, org_id, product_id, product_name;
  std::string purchased_version, latest_version;  // "" = none (null in JSON)
  std::string latest_notes;                       // the latest version's release notes; "" = none
  int64_t purchased_at_ms = 0;
  std::vector<FileInfo> files;  // of the latest active version
  // "status": "refunded" (with "refundedAt") when the seller refunded or revoked it: no
  // download any more. "active" otherwise.
  bool refunded = false;
  int64_t refunded_at_ms = 0;
  std::string license_key;  // "" = none (null in JSON); never sent for a refunded purchase
  std::string email;        // the address that bought it (one of the customer's linked addresses)
  DownloadSummary downloads;
};

// GET /api/portal/purchases
struct PurchaseList {
  std::string email;
  std::vector<Purchase> purchases;
};

// POST /api/portal/session's answer; also what the portal saves between visits.
struct Session {
  std::string token, email;
  int64_t expires_at_ms = 0;
};

// POST /api/portal/download-url's answer (the seller API's generate-download-url has the same).
struct DownloadLink {
  std::string url, version, product_id, token;
  int64_t expires_at_ms = 0;
};

// GET /api/portal/profile's answer (and the seller API's org profile): the seller's display
// name and help contact, shown by the portal instead of "Continuata downloads". "" = not set.
struct OrgProfile {
  std::string org_id, name, help_email, help_url;
};

// What the portal saves between visits: the session and the download links it minted, so a
// reload (or Back from a download) keeps them for as long as they are valid.
struct SavedLink {
  int64_t purchase_id = 0;
  DownloadLink link;
};
struct SavedSession {
  Session session;
  std::vector<SavedLink> links;
};

// Every error answer: {"error"} plus, where they apply, the tries a code has left, the
// seconds to wait after a 429 (also in the Retry-After header) and a machine-readable code
// (e.g. "purchase_refunded").
struct ErrorBody {
  std::string error;
  std::optional<int64_t> tries_left, retry_after;
  std::optional<std::string> code;
};

// POST /api/portal/verification's answer: the same for every well-formed email.
struct VerificationAccepted {
  std::string status = "sent";
  std::string message = "If this address has purchases, a code is on its way.";
};

// Request bodies
struct VerificationRequest {
  std::string email;
  std::optional<std::string> org;       // the portal's org scope
  std::optional<std::string> language;  // the portal's UI language (BCP 47), for the mail
};
struct SessionRequest {
  std::string email, code;
};
struct DownloadLinkRequest {
  int64_t purchase_id = 0;
  std::optional<std::string> version;  // none: the latest active version
};

void to_json(nlohmann::json& j, const FileInfo& f);
void to_json(nlohmann::json& j, const DownloadSummary& d);  // lastAt, lastClient null when never
void to_json(nlohmann::json& j, const Purchase& p);
void to_json(nlohmann::json& j, const PurchaseList& l);
void to_json(nlohmann::json& j, const Session& s);
void to_json(nlohmann::json& j, const DownloadLink& l);
void to_json(nlohmann::json& j, const OrgProfile& p);  // helpEmail/helpUrl null when ""
void to_json(nlohmann::json& j, const ErrorBody& e);
void to_json(nlohmann::json& j, const VerificationAccepted& a);
void to_json(nlohmann::json& j, const VerificationRequest& r);
void to_json(nlohmann::json& j, const SessionRequest& r);
void to_json(nlohmann::json& j, const DownloadLinkRequest& r);

// [SECTION] Parses (never throw)
enum class ParseError {
  None,
  NotJson,       // not JSON text (or not UTF-8)
  WrongShape,    // JSON, but not the object (or list) expected
  MissingField,  // a required field is absent or null
  WrongType,     // a field has the wrong JSON type
  BadValue,      // a field has the right type but an unusable value (a timestamp that is none)
};

// A parsed value, or what was wrong and in which field ("" for the body as a whole).
template <class T>
struct Parsed {
  std::optional<T> value;
  ParseError error = ParseError::None;
  std::string field;

  explicit operator bool() const { return value.has_value(); }
  const T& operator*() const { return *value; }
  T& operator*() { return *value; }
  const T* operator->() const { return &*value; }
  T* operator->() { return &*value; }
};

// The purchase list: an object {"email", "purchases": [...]} or a bare array of purchases.
// Each purchase needs an integer purchaseId; other fields default ("" / 0) when absent or of
// the wrong type, a missing productName is the productId, and file entries that are not
// objects are skipped, so one odd row never hides a customer's library.
Parsed<PurchaseList> parse_purchase_list(std::string_view body);
// sessionToken (non-empty) and expiresAt (a timestamp) are required; email may be "".
Parsed<Session> parse_session(std::string_view body);
// downloadUrl (non-empty) and expiresAt are required.
Parsed<DownloadLink> parse_download_link(std::string_view body);
// Any JSON object: "error" is "" when absent, triesLeft and retryAfter only when integers.
Parsed<ErrorBody> parse_error(std::string_view body);

// orgId and name (non-empty strings) are required; helpEmail and helpUrl are "" when absent,
// null, or not what plausible_email / plausible_web_url accept (the portal opens them).
Parsed<OrgProfile> parse_org_profile(std::string_view body);

// A saved session as the platform stores it (the answer's JSON), and back.
std::string serialize_session(const Session& s);
Parsed<Session> deserialize_session(std::string_view text);
// The same JSON plus "links": [{"purchaseId", ...the DownloadLink's fields}]. A session saved
// without links reads back with none; a link entry that does not parse is skipped.
std::string serialize_saved_session(const SavedSession& s);
Parsed<SavedSession> deserialize_saved_session(std::string_view text);

// [SECTION] Request builders: method, path (under the API base), JSON body, and whether the
// session token goes along as "Authorization: Bearer".
struct ApiRequest {
  const char* method = "GET";
  std::string path, body;
  bool authenticated = false;
};
ApiRequest verification_request(const VerificationRequest& r);
ApiRequest session_request(const SessionRequest& r);
ApiRequest purchases_request(const std::string& org);  // org "" = every org of the email
ApiRequest download_link_request(const DownloadLinkRequest& r);
ApiRequest sign_out_request();
ApiRequest profile_request(const std::string& org);  // unauthenticated: shown before sign-in

// [SECTION] URLs
// Every byte but RFC 3986's unreserved characters percent-encoded (a query value): the one
// encoder of the portal and the server.
std::string url_encode(std::string_view s);
// One file's own download from a minted link: `link_url` + "&file=" + the encoded path
// ("?file=" when the link has no query). The server's /download serves that one file.
std::string file_download_url(std::string_view link_url, std::string_view path);

// [SECTION] What a customer types: one rule for the portal and the server
// ASCII whitespace trimmed, ASCII letters lowercased: the key purchases are found by.
std::string normalise_email(std::string_view email);
// A pragmatic syntax check: one '@', a non-empty local part, a dot inside the domain (not its
// first or last character), no spaces, control characters or <>", and at most 254 bytes.
bool plausible_email(std::string_view email);
inline constexpr size_t kCodeDigits = 6;
// The code of `typed`, spaces and hyphens removed (codes are often pasted or read out as
// "123 456" or "123-456"), when what is left is exactly kCodeDigits ASCII digits.
std::optional<std::string> verification_code(std::string_view typed);
// A help URL a seller may set and the portal may open: http:// or https://, a non-empty host,
// at most 2,000 bytes, no spaces, control characters or <>"'\` (nothing that leaves an attribute).
bool plausible_web_url(std::string_view url);

}  // namespace continuata::core
