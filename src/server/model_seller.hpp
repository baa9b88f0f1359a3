// The seller-side records as the store returns them, and their JSON shapes exactly as the
// reference documents them (products, versions, purchases, minted links).
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/core_time.hpp"

namespace continuata::server {

enum class Role { Member, Admin };

struct Principal {  // who an API key speaks for
  std::string org_id;
  Role role = Role::Member;
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
};

struct FileEntry {
  std::string path, storage_name, sha256;
  int64_t size = 0;
};

struct Purchase {
  int64_t id = 0;
  std::string org_id, order_id, email, product_id;
  std::optional<std::string> version;
  int64_t created_at = 0;
};

struct MintedLink {
  std::string product_id, version, token, url;
  int64_t expires_at = 0;
};

inline nlohmann::json iso(int64_t ms) { return core::format_iso8601_utc(ms); }
inline nlohmann::json opt(const std::optional<std::string>& s) {
  return s ? nlohmann::json(*s) : nlohmann::json(nullptr);
}

inline void to_json(nlohmann::json& j, const Product& p) {
  j = {{"id", p.id},          {"name", p.name},
       {"slug", p.slug},      {"description", opt(p.description)},
       {"status", p.status},  {"orgId", p.org_id},
       {"activeVersionId", opt(p.active_version_id)},
       {"createdAt", iso(p.created_at)}, {"updatedAt", iso(p.updated_at)}};
}

inline void to_json(nlohmann::json& j, const Version& v) {
  j = {{"id", v.id}, {"productId", v.product_id}, {"version", v.version}, {"status", v.status},
       {"createdAt", iso(v.created_at)}};
}

inline void to_json(nlohmann::json& j, const FileEntry& f) {
  j = {{"path", f.path}, {"size", f.size}, {"sha256", f.sha256}};
}

inline void to_json(nlohmann::json& j, const Purchase& p) {
  j = {{"id", p.id},       {"orderId", p.order_id},     {"email", p.email}, {"productId", p.product_id},
       {"version", opt(p.version)}, {"orgId", p.org_id}, {"createdAt", iso(p.created_at)}};
}

inline void to_json(nlohmann::json& j, const MintedLink& l) {
  j = {{"success", true},        {"productId", l.product_id}, {"version", l.version},
       {"downloadToken", l.token}, {"downloadUrl", l.url},   {"expiresAt", iso(l.expires_at)}};
}

}  // namespace continuata::server
