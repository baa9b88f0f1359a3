// The server's own secret (DATA/server-secret): 32 random bytes as hex, created owner-only on
// first start and kept across restarts, so verification codes hashed before a restart still verify.
#pragma once
#include <string>

namespace continuata::server {

// Loads DATA/server-secret, creating it (random, owner-only) when it is missing or too short.
std::string load_or_create_server_secret(const std::string& data_dir);

}  // namespace continuata::server
