// The client's address behind a proxy (src/server/client_address.*): CIDR parsing and matching,
// X-Real-IP taken only from a trusted peer, and the flags and environment that configure it.
#include <doctest/doctest.h>

#include <cstdlib>

#include "server/client_address.hpp"
#include "server/server_config.hpp"

namespace srv = continuata::server;

namespace {
srv::IpNetwork net(const std::string& text) {
  auto n = srv::parse_ip_network(text);
  REQUIRE_MESSAGE(n, text);
  return *n;
}
}  // namespace

TEST_CASE("client address: networks parse and match by their prefix") {
  CHECK(srv::network_contains(net("127.0.0.1"), "127.0.0.1"));
  CHECK_FALSE(srv::network_contains(net("127.0.0.1"), "127.0.0.2"));
  CHECK(srv::network_contains(net("10.0.0.0/8"), "10.200.3.4"));
  CHECK_FALSE(srv::network_contains(net("10.0.0.0/8"), "11.0.0.1"));
  CHECK(srv::network_contains(net("192.168.16.0/20"), "192.168.31.255"));
  CHECK_FALSE(srv::network_contains(net("192.168.16.0/20"), "192.168.32.0"));
  CHECK(srv::network_contains(net("0.0.0.0/0"), "203.0.113.9"));
  CHECK(srv::network_contains(net("fd00::/8"), "fd12:3456::1"));
  CHECK_FALSE(srv::network_contains(net("fd00::/8"), "fe80::1"));
  CHECK(srv::network_contains(net("::1"), "::1"));
  // A dual-stack socket names an IPv4 peer as IPv4-mapped IPv6.
  CHECK(srv::network_contains(net("127.0.0.0/8"), "::ffff:127.0.0.1"));
  CHECK_FALSE(srv::network_contains(net("::/0"), "127.0.0.1"));  // families do not mix
  CHECK_FALSE(srv::network_contains(net("10.0.0.0/8"), "not an address"));
  for (const char* bad : {"", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/8x", "localhost",
                          "10.0.0", "1.2.3.4/8/8", "fe80::1%eth0"})
    CHECK_MESSAGE(!srv::parse_ip_network(bad), bad);
}

TEST_CASE("client address: X-Real-IP counts only from a trusted peer, and only as an address") {
  std::vector<srv::IpNetwork> trusted{net("127.0.0.1"), net("10.1.0.0/16")};
  CHECK(srv::client_address(trusted, "127.0.0.1", "203.0.113.9") == "203.0.113.9");
  CHECK(srv::client_address(trusted, "10.1.2.3", "2001:db8::7") == "2001:db8::7");
  CHECK(srv::client_address(trusted, "127.0.0.1", "") == "127.0.0.1");
  CHECK(srv::client_address(trusted, "127.0.0.1", "203.0.113.9, 10.0.0.1") ==
        "127.0.0.1");  // not one address
  CHECK(srv::client_address(trusted, "127.0.0.1", "evil\r\nheader") == "127.0.0.1");
  CHECK(srv::client_address(trusted, "198.51.100.1", "203.0.113.9") == "198.51.100.1");  // untrusted peer
  CHECK(srv::client_address({}, "127.0.0.1", "203.0.113.9") == "127.0.0.1");             // none trusted
}

TEST_CASE("config: --file-serving, --nginx-internal-prefix, --trusted-proxy and their environment twins") {
  auto parse = [](std::vector<std::string> a) { return srv::parse_server_config(a); };
  auto c = parse({"--data", "/tmp/x"});
  REQUIRE(c.config);
  CHECK(c.config->file_serving == srv::FileServing::Direct);
  CHECK(c.config->nginx_internal_prefix == "/_continuata_files/");
  CHECK(c.config->trusted_proxies.empty());
  c = parse({"--data", "/tmp/x", "--file-serving", "nginx", "--nginx-internal-prefix", "/files-x/",
             "--trusted-proxy", "127.0.0.1", "--trusted-proxy", "10.0.0.0/8"});
  REQUIRE(c.config);
  CHECK(c.config->file_serving == srv::FileServing::Nginx);
  CHECK(c.config->nginx_internal_prefix == "/files-x/");
  REQUIRE(c.config->trusted_proxies.size() == 2);
  CHECK(srv::network_contains(c.config->trusted_proxies[1], "10.9.9.9"));
  CHECK(parse({"--data", "/tmp/x", "--file-serving", "sendfile"}).error.find("direct or nginx") !=
        std::string::npos);
  CHECK(parse({"--data", "/tmp/x", "--trusted-proxy", "10.0.0.0/40"}).error.find("--trusted-proxy") !=
        std::string::npos);
  for (const char* bad : {"files/", "/files", "/a b/", "/../", "/a//b/", "/x\r\n/"})
    CHECK_MESSAGE(!parse({"--data", "/tmp/x", "--nginx-internal-prefix", bad}).config, bad);

  ::setenv("CONTINUATA_FILE_SERVING", "nginx", 1);
  ::setenv("CONTINUATA_TRUSTED_PROXIES", "127.0.0.1,fd00::/8", 1);
  c = parse({"--data", "/tmp/x"});
  ::unsetenv("CONTINUATA_FILE_SERVING");
  ::unsetenv("CONTINUATA_TRUSTED_PROXIES");
  REQUIRE(c.config);
  CHECK(c.config->file_serving == srv::FileServing::Nginx);
  REQUIRE(c.config->trusted_proxies.size() == 2);
  CHECK(srv::network_contains(c.config->trusted_proxies[1], "fd00::5"));
  ::setenv("CONTINUATA_TRUSTED_PROXIES", "127.0.0.1,nope", 1);
  CHECK(parse({"--data", "/tmp/x"}).error.find("nope") != std::string::npos);
  ::unsetenv("CONTINUATA_TRUSTED_PROXIES");
}
