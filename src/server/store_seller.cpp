// The seller side's SQL, one function per query, parameters always bound.
#include "server/store_seller.hpp"

namespace continuata::server::store {
namespace {

const char* role_name(Role r) {
  return r == Role::Admin ? "admin" : "member";
}

Product read_product(Statement& s, int c) {
  Product p;
  p.org_id = s.text(c);
  p.id = s.text(c + 1);
  p.name = s.text(c + 2);
  p.slug = s.text(c + 3);
  p.description = s.optional_text(c + 4);
  p.status = s.text(c + 5);
  p.active_version_id = s.optional_text(c + 6);
  p.created_at = s.integer(c + 7);
  p.updated_at = s.integer(c + 8);
  return p;
}
constexpr const char* kProductCols =
    "p.org_id, p.id, p.name, p.slug, p.description, p.status, p.active_version_id, p.created_at, "
    "p.updated_at";

Version read_version(Statement& s, int c) {
  return Version{s.text(c),     s.text(c + 1),    s.text(c + 2),         s.text(c + 3),
                 s.text(c + 4), s.integer(c + 5), s.optional_text(c + 6)};
}
constexpr const char* kVersionCols =
    "v.id, v.org_id, v.product_id, v.version, v.status, v.created_at, v.notes";

}  // namespace

bool insert_org(Db& db, const std::string& id, const std::string& name, int64_t now) {
  db.prepare("INSERT INTO orgs (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
      .bind(1, id)
      .bind(2, name)
      .bind(3, now)
      .run();
  return db.changes() > 0;
}

std::optional<Org> find_org(Db& db, const std::string& id) {
  auto s = db.prepare("SELECT id, name, webhook_secret, portal_url FROM orgs WHERE id = ?");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return Org{s.text(0), s.text(1), s.optional_text(2), s.optional_text(3)};
}

void set_webhook_secret(Db& db, const std::string& org, const std::string& secret) {
  db.prepare("UPDATE orgs SET webhook_secret = ? WHERE id = ?").bind(1, secret).bind(2, org).run();
}

void set_portal_url(Db& db, const std::string& org, const std::string& url) {
  db.prepare("UPDATE orgs SET portal_url = ? WHERE id = ?").bind(1, url).bind(2, org).run();
}

std::optional<core::OrgProfile> find_org_profile(Db& db, const std::string& org) {
  auto s = db.prepare("SELECT id, name, help_email, help_url FROM orgs WHERE id = ?");
  s.bind(1, org);
  if (!s.step()) return std::nullopt;
  return core::OrgProfile{s.text(0), s.text(1), s.optional_text(2).value_or(""),
                          s.optional_text(3).value_or("")};
}

void update_org_profile(Db& db, const core::OrgProfile& p) {
  auto null_if_empty = [](const std::string& v) {
    return v.empty() ? std::nullopt : std::optional<std::string>(v);
  };
  db.prepare("UPDATE orgs SET name = ?, help_email = ?, help_url = ? WHERE id = ?")
      .bind(1, p.name)
      .bind(2, null_if_empty(p.help_email))
      .bind(3, null_if_empty(p.help_url))
      .bind(4, p.org_id)
      .run();
}

void add_origin(Db& db, const std::string& org, const std::string& origin) {
  db.prepare("INSERT INTO org_origins (org_id, origin) VALUES (?, ?) ON CONFLICT DO NOTHING")
      .bind(1, org)
      .bind(2, origin)
      .run();
}

std::vector<std::string> orgs_allowing_origin(Db& db, const std::string& origin) {
  auto s = db.prepare("SELECT org_id FROM org_origins WHERE origin = ? ORDER BY org_id");
  s.bind(1, origin);
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.text(0));
  return out;
}

void insert_api_key(Db& db, const std::string& org, Role role, const std::string& key_hash, int64_t now) {
  db.prepare("INSERT INTO api_keys (org_id, role, key_hash, created_at) VALUES (?, ?, ?, ?)")
      .bind(1, org)
      .bind(2, role_name(role))
      .bind(3, key_hash)
      .bind(4, now)
      .run();
}

std::optional<Principal> find_api_key(Db& db, const std::string& key_hash) {
  auto s = db.prepare("SELECT org_id, role, id FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL");
  s.bind(1, key_hash);
  if (!s.step()) return std::nullopt;
  return Principal{s.text(0), s.text(1) == "admin" ? Role::Admin : Role::Member, s.integer(2)};
}

std::vector<ApiKeyRow> list_api_keys(Db& db, const std::string& org) {
  auto s = db.prepare("SELECT id, role, created_at, revoked_at FROM api_keys WHERE org_id = ? ORDER BY id");
  s.bind(1, org);
  std::vector<ApiKeyRow> out;
  while (s.step()) {
    ApiKeyRow k;
    k.id = s.integer(0);
    k.role = s.text(1) == "admin" ? Role::Admin : Role::Member;
    k.created_at = s.integer(2);
    if (!s.is_null(3)) k.revoked_at = s.integer(3);
    out.push_back(k);
  }
  return out;
}

std::optional<int64_t> api_key_id(Db& db, const std::string& org, const std::string& key_hash) {
  auto s = db.prepare("SELECT id FROM api_keys WHERE org_id = ? AND key_hash = ?");
  s.bind(1, org).bind(2, key_hash);
  if (!s.step()) return std::nullopt;
  return s.integer(0);
}

bool revoke_api_key(Db& db, const std::string& org, int64_t id, int64_t now) {
  db.prepare("UPDATE api_keys SET revoked_at = ? WHERE org_id = ? AND id = ? AND revoked_at IS NULL")
      .bind(1, now)
      .bind(2, org)
      .bind(3, id)
      .run();
  return db.changes() > 0;
}

std::vector<ProductRow> list_products(Db& db, const std::string& org) {
  auto s = db.prepare(std::string("SELECT ") + kProductCols + ", " + kVersionCols +
                      " FROM products p LEFT JOIN versions v ON v.id = p.active_version_id"
                      " WHERE p.org_id = ? ORDER BY p.created_at, p.id");
  s.bind(1, org);
  std::vector<ProductRow> rows;
  while (s.step()) {
    ProductRow r{read_product(s, 0), std::nullopt};
    if (!s.is_null(9)) r.active = read_version(s, 9);
    rows.push_back(std::move(r));
  }
  return rows;
}

std::optional<Product> find_product(Db& db, const std::string& org, const std::string& id) {
  auto s =
      db.prepare(std::string("SELECT ") + kProductCols + " FROM products p WHERE p.org_id = ? AND p.id = ?");
  s.bind(1, org).bind(2, id);
  if (!s.step()) return std::nullopt;
  return read_product(s, 0);
}

bool insert_product(Db& db, const Product& p) {
  db.prepare(
        "INSERT INTO products (org_id, id, name, slug, description, status, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
      .bind(1, p.org_id)
      .bind(2, p.id)
      .bind(3, p.name)
      .bind(4, p.slug)
      .bind(5, p.description)
      .bind(6, p.status)
      .bind(7, p.created_at)
      .bind(8, p.updated_at)
      .run();
  return db.changes() > 0;
}

void update_product(Db& db, const Product& p) {
  db.prepare(
        "UPDATE products SET name = ?, description = ?, status = ?, updated_at = ? WHERE org_id = ? AND id = "
        "?")
      .bind(1, p.name)
      .bind(2, p.description)
      .bind(3, p.status)
      .bind(4, p.updated_at)
      .bind(5, p.org_id)
      .bind(6, p.id)
      .run();
}

bool insert_version(Db& db, const Version& v) {
  db.prepare(
        "INSERT INTO versions (id, org_id, product_id, version, status, created_at) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT DO NOTHING")
      .bind(1, v.id)
      .bind(2, v.org_id)
      .bind(3, v.product_id)
      .bind(4, v.version)
      .bind(5, v.status)
      .bind(6, v.created_at)
      .run();
  return db.changes() > 0;
}

std::optional<Version> find_version(Db& db, const std::string& org, const std::string& product,
                                    const std::string& version) {
  auto s = db.prepare(std::string("SELECT ") + kVersionCols +
                      " FROM versions v WHERE v.org_id = ? AND v.product_id = ? AND v.version = ?");
  s.bind(1, org).bind(2, product).bind(3, version);
  if (!s.step()) return std::nullopt;
  return read_version(s, 0);
}

std::optional<Version> find_version_by_id(Db& db, const std::string& id) {
  auto s = db.prepare(std::string("SELECT ") + kVersionCols + " FROM versions v WHERE v.id = ?");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_version(s, 0);
}

std::vector<FileEntry> list_files(Db& db, const std::string& version_id) {
  auto s = db.prepare(
      "SELECT path, storage_name, sha256, size, crc32, created_at FROM files WHERE version_id = ?"
      " ORDER BY path");
  s.bind(1, version_id);
  std::vector<FileEntry> out;
  while (s.step()) {
    FileEntry f{s.text(0), s.text(1), s.text(2), s.integer(3), std::nullopt, 0};
    if (!s.is_null(4)) f.crc32 = s.integer(4);
    f.created_at = s.integer(5);
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<FileWithoutCrc> files_without_crc32(Db& db, const FileWithoutCrc& after, int limit) {
  auto s = db.prepare(
      "SELECT version_id, path, storage_name, size FROM files"
      " WHERE crc32 IS NULL AND (version_id, path) > (?, ?) ORDER BY version_id, path LIMIT ?");
  s.bind(1, after.version_id).bind(2, after.file.path).bind(3, int64_t(limit));
  std::vector<FileWithoutCrc> out;
  while (s.step()) {
    FileWithoutCrc f;
    f.version_id = s.text(0);
    f.file.path = s.text(1);
    f.file.storage_name = s.text(2);
    f.file.size = s.integer(3);
    out.push_back(std::move(f));
  }
  return out;
}

void set_file_crc32(Db& db, const std::string& version_id, const FileEntry& f, std::optional<int64_t> crc32) {
  // Only the bytes that were read: a draft's file uploaded again meanwhile has another storage name.
  db.prepare("UPDATE files SET crc32 = ? WHERE version_id = ? AND path = ? AND storage_name = ?")
      .bind(1, crc32)
      .bind(2, version_id)
      .bind(3, f.path)
      .bind(4, f.storage_name)
      .run();
}

void upsert_file(Db& db, const std::string& version_id, const FileEntry& f, int64_t now) {
  db.prepare(
        "INSERT INTO files (version_id, path, storage_name, size, sha256, created_at, crc32)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (version_id, path) DO UPDATE SET storage_name = excluded.storage_name,"
        " size = excluded.size, sha256 = excluded.sha256, created_at = excluded.created_at,"
        " crc32 = excluded.crc32")
      .bind(1, version_id)
      .bind(2, f.path)
      .bind(3, f.storage_name)
      .bind(4, f.size)
      .bind(5, f.sha256)
      .bind(6, now)
      .bind(7, f.crc32)
      .run();
}

void activate_version(Db& db, const Version& v, int64_t now) {
  db.prepare("UPDATE versions SET status = 'ready' WHERE id = ?").bind(1, v.id).run();
  db.prepare("UPDATE products SET active_version_id = ?, updated_at = ? WHERE org_id = ? AND id = ?")
      .bind(1, v.id)
      .bind(2, now)
      .bind(3, v.org_id)
      .bind(4, v.product_id)
      .run();
}

void set_version_notes(Db& db, const std::string& version_id, const std::optional<std::string>& notes) {
  db.prepare("UPDATE versions SET notes = ? WHERE id = ?").bind(1, notes).bind(2, version_id).run();
}

int64_t insert_purchase(Db& db, const Purchase& p, const std::string& email_normalized) {
  db.prepare(
        "INSERT INTO purchases (org_id, order_id, email, email_normalized, product_id, version, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, order_id, product_id) DO NOTHING")
      .bind(1, p.org_id)
      .bind(2, p.order_id)
      .bind(3, p.email)
      .bind(4, email_normalized)
      .bind(5, p.product_id)
      .bind(6, p.version)
      .bind(7, p.created_at)
      .run();
  auto s = db.prepare("SELECT id FROM purchases WHERE org_id = ? AND order_id = ? AND product_id = ?");
  s.bind(1, p.org_id).bind(2, p.order_id).bind(3, p.product_id);
  s.step();
  return s.integer(0);
}

Purchase read_purchase(Statement& s) {
  Purchase p;
  p.id = s.integer(0);
  p.org_id = s.text(1);
  p.order_id = s.text(2);
  p.email = s.text(3);
  p.product_id = s.text(4);
  p.version = s.optional_text(5);
  p.created_at = s.integer(6);
  return p;
}

std::vector<Purchase> list_purchases(Db& db, const std::string& org) {
  auto s = db.prepare(std::string("SELECT ") + kPurchaseCols +
                      " FROM purchases WHERE org_id = ? ORDER BY created_at, id");
  s.bind(1, org);
  std::vector<Purchase> out;
  while (s.step()) out.push_back(read_purchase(s));
  return out;
}

std::optional<Purchase> find_purchase(Db& db, int64_t id) {
  auto s = db.prepare(std::string("SELECT ") + kPurchaseCols + " FROM purchases WHERE id = ?");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_purchase(s);
}

void insert_token(Db& db, const std::string& token_hash, const std::string& org, const std::string& product,
                  const std::string& version_id, std::optional<int64_t> purchase_id,
                  const std::string& source, int64_t now, int64_t expires_at) {
  auto s = db.prepare(
      "INSERT INTO download_tokens (token_hash, org_id, product_id, version_id, purchase_id, source,"
      " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  s.bind(1, token_hash).bind(2, org).bind(3, product).bind(4, version_id).bind(5, purchase_id);
  s.bind(6, source).bind(7, now).bind(8, expires_at).run();
}

std::optional<TokenRow> find_token(Db& db, const std::string& token_hash) {
  auto s = db.prepare(
      "SELECT id, org_id, product_id, version_id, expires_at, bundle FROM download_tokens WHERE token_hash = "
      "?");
  s.bind(1, token_hash);
  if (!s.step()) return std::nullopt;
  return TokenRow{s.integer(0), s.text(1), s.text(2), s.text(3), s.integer(4), s.integer(5) != 0};
}

void insert_download_session(Db& db, const DownloadSession& d) {
  db.prepare(
        "INSERT INTO download_sessions (token_id, org_id, file_path, range_start, range_end, counted, ip,"
        " user_agent, created_at, archive) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, d.token_id)
      .bind(2, d.org_id)
      .bind(3, d.file_path)
      .bind(4, d.range_start)
      .bind(5, d.range_end)
      .bind(6, int64_t(d.counted))
      .bind(7, d.ip)
      .bind(8, d.user_agent)
      .bind(9, d.created_at)
      .bind(10, int64_t(d.archive))
      .run();
}

std::vector<ReportRow> download_report(Db& db, const std::string& org, int64_t from, int64_t to,
                                       const ReportCursor& after, int limit) {
  auto s = db.prepare(
      "SELECT ds.created_at, ds.range_start, ds.range_end, ds.counted, t.product_id, v.version, ds.file_path,"
      " t.source, ds.ip, ds.user_agent, p.order_id, p.email, ds.id, ds.archive, t.bundle,"
      // A bundle token has no purchase of its own: the buyer's email comes from its items.
      " (SELECT min(bp.email) FROM download_token_items i JOIN purchases bp ON bp.id = i.purchase_id"
      "  WHERE i.token_id = t.id AND i.org_id = ds.org_id)"
      " FROM download_sessions ds JOIN download_tokens t ON t.id = ds.token_id"
      " JOIN versions v ON v.id = t.version_id LEFT JOIN purchases p ON p.id = t.purchase_id"
      " WHERE ds.org_id = ? AND ds.created_at >= ? AND ds.created_at < ? AND (ds.created_at, ds.id) > (?, ?)"
      " ORDER BY ds.created_at, ds.id LIMIT ?");
  s.bind(1, org).bind(2, from).bind(3, to).bind(4, after.created_at).bind(5, after.id).bind(6, limit);
  std::vector<ReportRow> out;
  while (s.step()) {
    ReportRow r;
    r.created_at = s.integer(0);
    r.range_start = s.integer(1);
    r.range_end = s.integer(2);
    r.counted = s.integer(3) != 0;
    r.product_id = s.text(4);
    r.version = s.text(5);
    r.file_path = s.text(6);
    r.source = s.text(7);
    r.ip = s.text(8);
    r.user_agent = s.text(9);
    r.order_id = s.optional_text(10);
    r.email = s.optional_text(11);
    r.id = s.integer(12);
    r.archive = s.integer(13) != 0;
    r.bundle = s.integer(14) != 0;
    if (!r.email) r.email = s.optional_text(15);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace continuata::server::store
