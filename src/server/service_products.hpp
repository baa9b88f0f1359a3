// Products and versions as the reference documents them: the org's listing, create (draft, slug
// validated and normalised, duplicates refused), merge-update of a subset of fields, versions,
// their manifests and activation.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "server/model_seller.hpp"
#include "server/server_context.hpp"

namespace continuata::server {

// Lowercase, spaces and underscores to hyphens, runs of hyphens folded, ends trimmed. Returns
// nullopt when anything but [a-z0-9-] remains or the result is empty or longer than 100.
std::optional<std::string> normalise_slug(const std::string& raw);

// GET /api/products: every product of the org with its active version, oldest first.
std::vector<ProductRow> list_products(ServerContext& ctx, const std::string& org);
Product create_product(ServerContext& ctx, const std::string& org, const nlohmann::json& body);
Product update_product(ServerContext& ctx, const std::string& org, const std::string& id,
                       const nlohmann::json& body);
Product require_product(ServerContext& ctx, const std::string& org, const std::string& id);

// {"version", "notes"?}: a draft version, with release notes when given (service_release_notes).
Version create_version(ServerContext& ctx, const std::string& org, const std::string& product_id,
                       const nlohmann::json& body);
Version require_version(ServerContext& ctx, const std::string& org, const std::string& product_id,
                        const std::string& version);
// The version and its files; 404 for an unknown product or version.
Manifest get_manifest(ServerContext& ctx, const std::string& org, const std::string& product_id,
                      const std::string& version);
// Makes the version the product's active one (409 while it has no files); returns its manifest.
// A version newer than the one it replaces queues its update notices (service_update_mail).
Manifest activate_version(ServerContext& ctx, const std::string& org, const std::string& product_id,
                          const std::string& version);

// Version strings: 1 to 64 characters of [0-9A-Za-z.+-], starting with a letter or digit.
bool valid_version_string(const std::string& v);

}  // namespace continuata::server
