// server_secret: DATA/server-secret is created once, owner-only, and read back after a restart.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "server/server_secret.hpp"

namespace fs = std::filesystem;

TEST_CASE("the server secret is random hex, owner-only, and the same on the next start") {
  fs::path dir = fs::temp_directory_path() / ("continuata-secret-" + std::to_string(std::random_device{}()));
  fs::create_directories(dir);
  std::string first = continuata::server::load_or_create_server_secret(dir.string());
  CHECK(first.size() == 64);
  CHECK(first.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK((fs::status(dir / "server-secret").permissions() & (fs::perms::group_all | fs::perms::others_all)) ==
        fs::perms::none);
  CHECK(continuata::server::load_or_create_server_secret(dir.string()) == first);

  std::ofstream(dir / "server-secret", std::ios::trunc) << "short\n";  // damaged: replaced
  std::string second = continuata::server::load_or_create_server_secret(dir.string());
  CHECK(second.size() == 64);
  CHECK(second != first);
  fs::remove_all(dir);
}
