// All SQL of the seller side: orgs, API keys, products, versions and their files, purchases,
// download tokens and download sessions. Every statement binds its parameters.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/model_seller.hpp"
#include "server/store_db.hpp"

namespace continuata::server::store {

// Orgs and keys
bool insert_org(Db& db, const std::string& id, const std::string& name, int64_t now);
std::optional<Org> find_org(Db& db, const std::string& id);
void set_webhook_secret(Db& db, const std::string& org, const std::string& secret);
void set_portal_url(Db& db, const std::string& org, const std::string& url);
// The org's name and help contact (core_api's OrgProfile, "" for an unset help field).
std::optional<core::OrgProfile> find_org_profile(Db& db, const std::string& org);
void update_org_profile(Db& db, const core::OrgProfile& p);  // "" help fields are stored as NULL
void add_origin(Db& db, const std::string& org, const std::string& origin);
// The orgs whose portal widget may run on `origin`.
std::vector<std::string> orgs_allowing_origin(Db& db, const std::string& origin);
void insert_api_key(Db& db, const std::string& org, Role role, const std::string& key_hash, int64_t now);
std::optional<Principal> find_api_key(Db& db, const std::string& key_hash);
struct ApiKeyRow {
  int64_t id = 0;
  Role role = Role::Member;
  int64_t created_at = 0;
  std::optional<int64_t> revoked_at;
};
std::vector<ApiKeyRow> list_api_keys(Db& db, const std::string& org);
std::optional<int64_t> api_key_id(Db& db, const std::string& org, const std::string& key_hash);
// False when the org has no live key with that id.
bool revoke_api_key(Db& db, const std::string& org, int64_t id, int64_t now);

// Products
std::vector<ProductRow> list_products(Db& db, const std::string& org);
std::optional<Product> find_product(Db& db, const std::string& org, const std::string& id);
bool insert_product(Db& db, const Product& p);  // false when the slug exists
void update_product(Db& db, const Product& p);

// Versions and files
bool insert_version(Db& db, const Version& v);  // false when the version exists
std::optional<Version> find_version(Db& db, const std::string& org, const std::string& product,
                                    const std::string& version);
std::optional<Version> find_version_by_id(Db& db, const std::string& id);
std::vector<FileEntry> list_files(Db& db, const std::string& version_id);
void upsert_file(Db& db, const std::string& version_id, const FileEntry& f, int64_t now);
// Files whose CRC-32 is not yet known (rows older than migration 104), at most `limit`, in
// (version_id, path) order after `after` (a page cursor; empty strings for the first page).
struct FileWithoutCrc {
  std::string version_id;
  FileEntry file;
};
std::vector<FileWithoutCrc> files_without_crc32(Db& db, const FileWithoutCrc& after, int limit);
// Sets (or, with nullopt, clears) the CRC-32 of the row that still names f's stored bytes.
void set_file_crc32(Db& db, const std::string& version_id, const FileEntry& f, std::optional<int64_t> crc32);
void activate_version(Db& db, const Version& v, int64_t now);
void set_version_notes(Db& db, const std::string& version_id, const std::optional<std::string>& notes);

// Purchases
// The columns read_purchase reads, in its order, from column 0 (prefix them for a join).
inline constexpr const char* kPurchaseCols = "id, org_id, order_id, email, product_id, version, created_at";
Purchase read_purchase(Statement& s);
// Records a purchase unless (org, order, product) exists; returns the id either way.
int64_t insert_purchase(Db& db, const Purchase& p, const std::string& email_normalized);
std::vector<Purchase> list_purchases(Db& db, const std::string& org);
std::optional<Purchase> find_purchase(Db& db, int64_t id);

// Download tokens and sessions
struct TokenRow {
  int64_t id = 0;
  std::string org_id, product_id, version_id;
  int64_t expires_at = 0;
  bool bundle = false;  // its versions are its download_token_items (store_bundles)
};
void insert_token(Db& db, const std::string& token_hash, const std::string& org, const std::string& product,
                  const std::string& version_id, std::optional<int64_t> purchase_id,
                  const std::string& source, int64_t now, int64_t expires_at);
std::optional<TokenRow> find_token(Db& db, const std::string& token_hash);
struct DownloadSession {
  int64_t token_id = 0;
  std::string org_id, file_path, ip, user_agent;
  int64_t range_start = 0, range_end = 0, created_at = 0;
  bool counted = false;
  bool archive = false;  // a ZIP was sent (file_path is the archive's name)
};
void insert_download_session(Db& db, const DownloadSession& s);
struct ReportRow {
  int64_t id = 0, created_at = 0, range_start = 0, range_end = 0;
  bool counted = false, archive = false, bundle = false;
  std::string product_id, version, file_path, source, ip, user_agent;
  std::optional<std::string> order_id, email;
};
// At most `limit` sessions with from <= created_at < to, in (created_at, id) order, after the
// session `after` (a page cursor: {created_at, id} of the last row of the previous page).
struct ReportCursor {
  int64_t created_at = INT64_MIN, id = 0;
};
std::vector<ReportRow> download_report(Db& db, const std::string& org, int64_t from, int64_t to,
                                       const ReportCursor& after, int limit);

}  // namespace continuata::server::store
