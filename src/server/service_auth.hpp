// API-key authentication for the seller API: the bearer key is hashed and looked up (keys are
// stored only as sha256), and routes that write, mint or report demand the admin role.
#pragma once
#include <string>

#include "server/model_seller.hpp"
#include "server/server_context.hpp"

namespace continuata::server {

// The bearer token of an "Authorization: Bearer X" header, or "" when absent or malformed.
std::string bearer_token(const std::string& authorization_header);

// Throws ApiError 401 {"error":"Invalid API key"} for a missing, unknown or revoked key.
Principal authenticate_api_key(ServerContext& ctx, const std::string& authorization_header);

// Throws ApiError 403 when the key's role is below admin.
void require_admin(const Principal& who);

// Makes a new key for the org ("ck_" + 48 hex digits), stores its hash, returns the key (once).
std::string create_api_key(ServerContext& ctx, const std::string& org, Role role);

}  // namespace continuata::server
