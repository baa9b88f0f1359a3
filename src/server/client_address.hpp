// Who the client is when a reverse proxy stands in front: the address a request is rate-limited
// and logged under. Only a peer inside a trusted network (--trusted-proxy) may name the client,
// through X-Real-IP (our nginx config sets it to its own peer and overwrites whatever the client
// sent); from anyone else that header is ignored, so a client cannot pick its own address.
#pragma once
#include <array>
#include <optional>
#include <string>
#include <vector>

namespace continuata::server {

// An IPv4 or IPv6 network: "10.0.0.0/8", "fd00::/8", or one address ("127.0.0.1" is a /32).
struct IpNetwork {
  bool v6 = false;
  std::array<unsigned char, 16> bytes{};  // IPv4 in the first 4
  int prefix = 0;                         // leading bits that must match
};

// nullopt for anything but an address with an optional /prefix within its family's width.
std::optional<IpNetwork> parse_ip_network(const std::string& text);

// Whether `ip` (as the engine prints a peer, IPv4-mapped IPv6 included) lies in `net`.
bool network_contains(const IpNetwork& net, const std::string& ip);

// The client's address: `x_real_ip` when `peer` is a trusted proxy and the header is one valid
// IPv4 or IPv6 address, else `peer`.
std::string client_address(const std::vector<IpNetwork>& trusted, const std::string& peer,
                           const std::string& x_real_ip);

}  // namespace continuata::server
