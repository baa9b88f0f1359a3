// Products and versions as the reference documents them: create (draft, slug validated and
// normalised, duplicates refused), merge-update of a subset of fields, versions and activation.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "server/model_seller.hpp"
#include "server/server_context.hpp"

namespace continuata::server {

// Lowercase, spaces and underscores to hyphens, runs of hyphens folded, ends trimmed. Returns
// nullopt when anything but [a-z0-9-] remains or the result is empty or longer than 100.
std::optional<std::string> normalise_slug(const std::string& raw);

Product create_product(ServerContext& ctx, const std::string& org, const nlohmann::json& body);
Product update_product(ServerContext& ctx, const std::string& org, const std::string& id, const nlohmann::json& body);
Product require_product(ServerContext& ctx, const std::string& org, const std::string& id);

Version create_version(ServerContext& ctx, const std::string& org, const std::string& product_id,
                       const nlohmann::json& body);
Version require_version(ServerContext& ctx, const std::string& org, const std::string& product_id,
                        const std::string& version);
Version activate_version(ServerContext& ctx, const std::string& org, const std::string& product_id,
                         const std::string& version);

// Version strings: 1 to 64 characters of [0-9A-Za-z.+-], starting with a letter or digit.
bool valid_version_string(const std::string& v);

}  // namespace continuata::server
