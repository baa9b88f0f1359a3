// Reading and creating DATA/server-secret.
#include "server/server_secret.hpp"

#include <filesystem>
#include <fstream>

#include "server/crypto_util.hpp"

namespace continuata::server {

std::string load_or_create_server_secret(const std::string& data_dir) {
  auto path = std::filesystem::path(data_dir) / "server-secret";
  std::string secret;
  if (std::ifstream in(path); in) std::getline(in, secret);
  if (secret.size() >= 64) return secret;
  secret = random_hex(32);
  {
    std::ofstream out(path, std::ios::trunc);
    out << secret << "\n";
  }
  std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::replace);
  return secret;
}

}  // namespace continuata::server
