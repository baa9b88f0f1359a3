// API keys: creation (random, stored hashed) and authentication (hash lookup).
#include "server/service_auth.hpp"

#include "server/api_error.hpp"
#include "server/crypto_util.hpp"
#include "server/store_seller.hpp"

namespace continuata::server {

std::string bearer_token(const std::string& header) {
  constexpr std::string_view prefix = "Bearer ";
  if (header.size() <= prefix.size() || header.compare(0, prefix.size(), prefix) != 0) return "";
  std::string token = header.substr(prefix.size());
  while (!token.empty() && token.back() == ' ') token.pop_back();
  return token;
}

Principal authenticate_api_key(ServerContext& ctx, const std::string& header) {
  std::string key = bearer_token(header);
  // The lookup is by hash, so the comparison never touches the key itself; an unknown key and
  // a malformed one take the same path and get the same answer.
  if (!key.empty()) {
    if (auto who = store::find_api_key(ctx.db->connection(), sha256_hex(key))) return *who;
  }
  throw ApiError(401, "Invalid API key");
}

void require_admin(const Principal& who) {
  if (who.role != Role::Admin)
    throw ApiError(403, "This API key's role is too low: an admin key is required");
}

std::string create_api_key(ServerContext& ctx, const std::string& org, Role role) {
  std::string key = "ck_" + random_hex(24);
  store::insert_api_key(ctx.db->connection(), org, role, sha256_hex(key), ctx.now_ms());
  return key;
}

}  // namespace continuata::server
