// Product and version rules; storage goes through store_seller.
#include "server/service_products.hpp"

#include <cctype>

#include "server/api_error.hpp"
#include "server/api_fields.hpp"
#include "server/crypto_util.hpp"
#include "server/service_release_notes.hpp"
#include "server/service_update_mail.hpp"
#include "server/store_seller.hpp"

namespace continuata::server {
namespace {

void check_name(const std::string& name) {
  if (name.size() > 200) throw ApiError(400, "\"name\" must be at most 200 characters");
}

}  // namespace

std::optional<std::string> normalise_slug(const std::string& raw) {
  std::string out;
  for (char c : raw) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == ' ' || c == '_' || c == '-') {
      if (!out.empty() && out.back() != '-') out.push_back('-');
    } else if (std::isalnum(u) && u < 128) {
      out.push_back(char(std::tolower(u)));
    } else {
      return std::nullopt;
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.empty() || out.size() > 100) return std::nullopt;
  return out;
}

bool valid_version_string(const std::string& v) {
  if (v.empty() || v.size() > 64 || !std::isalnum(static_cast<unsigned char>(v[0]))) return false;
  for (char c : v)
    if (!(std::isalnum(static_cast<unsigned char>(c)) && static_cast<unsigned char>(c) < 128) && c != '.' &&
        c != '-' && c != '+')
      return false;
  return true;
}

std::vector<ProductRow> list_products(ServerContext& ctx, const std::string& org) {
  return store::list_products(ctx.db->connection(), org);
}

Product create_product(ServerContext& ctx, const std::string& org, const nlohmann::json& body) {
  require_object(body);
  for (auto& [k, v] : body.items())
    if (k != "name" && k != "slug" && k != "description")
      throw ApiError(400, "Unknown field \"" + k + "\": a new product takes name, slug and description");
  Product p;
  p.name = required_text(body, "name");
  check_name(p.name);
  auto slug = normalise_slug(required_text(body, "slug"));
  if (!slug) throw ApiError(400, "\"slug\" may only contain lowercase letters, numbers and hyphens");
  p.slug = p.id = *slug;
  p.org_id = org;
  p.description = optional_string(body, "description");
  p.status = "draft";
  p.created_at = p.updated_at = ctx.now_ms();
  if (!store::insert_product(ctx.db->connection(), p))
    throw ApiError(409, "A product with slug \"" + p.slug + "\" already exists");
  return p;
}

Product require_product(ServerContext& ctx, const std::string& org, const std::string& id) {
  auto p = store::find_product(ctx.db->connection(), org, id);
  if (!p) throw ApiError(404, "Product \"" + id + "\" not found");
  return *p;
}

Product update_product(ServerContext& ctx, const std::string& org, const std::string& id,
                       const nlohmann::json& body) {
  require_object(body);
  Product p = require_product(ctx, org, id);
  for (auto& [k, v] : body.items()) {
    if (k == "name") {
      p.name = required_text(body, "name");
      check_name(p.name);
    } else if (k == "description") {
      p.description = optional_string(body, "description");
    } else if (k == "status") {
      std::string s = required_text(body, "status");
      if (s != "draft" && s != "published")
        throw ApiError(400, "\"status\" must be \"draft\" or \"published\"");
      p.status = s;
    } else if (k == "id" || k == "slug" || k == "orgId" || k == "activeVersionId" || k == "createdAt" ||
               k == "updatedAt") {
      throw ApiError(400, "\"" + k + "\" is read-only");
    } else {
      throw ApiError(400, "Unknown field \"" + k + "\": updatable fields are name, description and status");
    }
  }
  p.updated_at = ctx.now_ms();
  store::update_product(ctx.db->connection(), p);
  return p;
}

Version create_version(ServerContext& ctx, const std::string& org, const std::string& product_id,
                       const nlohmann::json& body) {
  require_object(body);
  require_product(ctx, org, product_id);
  std::string version = required_text(body, "version");
  if (!valid_version_string(version))
    throw ApiError(400, "\"version\" must be 1-64 letters, digits, dots, hyphens or plus signs, e.g. 1.0.0");
  auto notes = read_notes(body);  // checked before anything is stored
  Version v{"version_" + random_hex(8), org, product_id, version, "draft", ctx.now_ms(), std::nullopt};
  Db& db = ctx.db->connection();
  Transaction tx(db);
  if (!store::insert_version(db, v))
    throw ApiError(409, "Version " + version + " of \"" + product_id + "\" already exists");
  if (notes) {
    v.notes = notes->notes;
    store::set_version_notes(db, v.id, v.notes);
  }
  tx.commit();
  return v;
}

Version require_version(ServerContext& ctx, const std::string& org, const std::string& product_id,
                        const std::string& version) {
  require_product(ctx, org, product_id);
  auto v = store::find_version(ctx.db->connection(), org, product_id, version);
  if (!v) throw ApiError(404, "Version " + version + " of \"" + product_id + "\" not found");
  return *v;
}

Manifest get_manifest(ServerContext& ctx, const std::string& org, const std::string& product_id,
                      const std::string& version) {
  Version v = require_version(ctx, org, product_id, version);
  return Manifest{v, store::list_files(ctx.db->connection(), v.id)};
}

Manifest activate_version(ServerContext& ctx, const std::string& org, const std::string& product_id,
                          const std::string& version) {
  Db& db = ctx.db->connection();
  Transaction tx(db);
  Version v = require_version(ctx, org, product_id, version);
  if (store::list_files(db, v.id).empty())
    throw ApiError(409, "Version " + version + " has no files: upload at least one before activating it");
  Product p = require_product(ctx, org, product_id);
  std::optional<Version> previous =
      p.active_version_id ? store::find_version_by_id(db, *p.active_version_id) : std::nullopt;
  store::activate_version(db, v, ctx.now_ms());
  queue_update_notices(ctx, db, v, previous);  // in this transaction: notices exactly when it commits
  tx.commit();
  v.status = "ready";
  return Manifest{v, store::list_files(db, v.id)};
}

}  // namespace continuata::server
