// The version string the server and the portal both show must be a semantic version.
#include <doctest/doctest.h>

#include <regex>
#include <string>

#include "core/core_version.hpp"

TEST_CASE("product version is semantic") {
  std::string v(continuata::core::product_version());
  CHECK(std::regex_match(v, std::regex(R"(\d+\.\d+\.\d+)")));
  CHECK(continuata::core::product_name() == "Continuata");
}
