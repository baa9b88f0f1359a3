// The seller-side records as the store returns them, and their JSON shapes exactly as the
// reference documents them (products, versions and their manifests, purchases). A minted link
// is core_api's DownloadLink: the seller API and the portal answer with the same shape.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/core_api.hpp"
#include "core/core_time.hpp"

namespace continuata::server {

enum class Role { Member, Admin };

struct Principal {  // who an API key speaks for
  std::string org_id;
  Role role = Role::Member;
  int64_t key_id = 0;  // api_keys.id: who asked, in logs such as purchase_events
};

struct Org {
  std::string id, name;
  std::optional<std::string> webhook_secret, portal_url;
};

struct Product {
  std::string id, org_id, name, slug;
  std::optional<std::string> description;
  std::string status;
  std::optional<std::string> active_version_id;
  int64_t created_at = 0, updated_at = 0;
};

struct Version {
  std::string id, org_id, product_id, version, status;
  int64_t created_at = 0;
  std::optional<std::string> notes;  // release notes (service_release_notes), plain text
};

struct FileEntry {
  std::string path, storage_name, sha256;
  int64_t size = 0;
  std::optional<int64_t> crc32;  // CRC-32 of the bytes (ZIP archives); none until computed
  int64_t created_at = 0;        // when the bytes were recorded: the ZIP entry's modification time
};

struct Purchase {
  int64_t id = 0;
  std::string org_id, order_id, email, product_id;
  std::optional<std::string> version;
  int64_t created_at = 0;
};

// A version with its files: GET .../versions/{version} and activation answer with it.
struct Manifest {
  Version version;
  std::vector<FileEntry> files;
};

// A product with its active version, as GET /api/products lists it.
struct ProductRow {
  Product product;
  std::optional<Version> active;
};

// POST /api/products answers with the product as created: the reference's create response has
// no activeVersionId or updatedAt yet.
struct CreatedProduct {
  Product product;
};

// A manifest entry as the portal API shows it.
inline core::FileInfo file_info(const FileEntry& f) {
  return core::FileInfo{f.path, f.sha256, f.size};
}

inline nlohmann::json iso(int64_t ms) {
  return core::format_iso8601_utc(ms);
}
inline nlohmann::json opt(const std::optional<std::string>& s) {
  return s ? nlohmann::json(*s) : nlohmann::json(nullptr);
}

inline void to_json(nlohmann::json& j, const Product& p) {
  j = {{"id", p.id},
       {"name", p.name},
       {"slug", p.slug},
       {"description", opt(p.description)},
       {"status", p.status},
       {"orgId", p.org_id},
       {"activeVersionId", opt(p.active_version_id)},
       {"createdAt", iso(p.created_at)},
       {"updatedAt", iso(p.updated_at)}};
}

inline void to_json(nlohmann::json& j, const Version& v) {
  j = {{"id", v.id},         {"productId", v.product_id}, {"version", v.version},
       {"status", v.status}, {"notes", opt(v.notes)},     {"createdAt", iso(v.created_at)}};
}

inline void to_json(nlohmann::json& j, const FileEntry& f) {
  j = {{"path", f.path}, {"size", f.size}, {"sha256", f.sha256}};
}

inline void to_json(nlohmann::json& j, const Purchase& p) {
  j = {{"id", p.id},
       {"orderId", p.order_id},
       {"email", p.email},
       {"productId", p.product_id},
       {"version", opt(p.version)},
       {"orgId", p.org_id},
       {"createdAt", iso(p.created_at)}};
}

inline void to_json(nlohmann::json& j, const Manifest& m) {
  to_json(j, m.version);
  j["files"] = m.files;
}

inline void to_json(nlohmann::json& j, const ProductRow& r) {
  j = {{"product", r.product},
       {"activeVersion", r.active ? nlohmann::json(*r.active) : nlohmann::json(nullptr)}};
}

inline void to_json(nlohmann::json& j, const CreatedProduct& c) {
  to_json(j, c.product);
  j.erase("activeVersionId");
  j.erase("updatedAt");
}

}  // namespace continuata::server
