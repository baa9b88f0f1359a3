// CIDR parsing and matching for the trusted proxies, and the choice of the client's address.
#include "server/client_address.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace continuata::server {
namespace {

// An address alone, IPv4-mapped IPv6 ("::ffff:127.0.0.1", how a dual-stack socket names an
// IPv4 peer) read as the IPv4 address it carries.
std::optional<IpNetwork> parse_address(const std::string& text) {
  IpNetwork n;
  in_addr a4{};
  in6_addr a6{};
  if (inet_pton(AF_INET, text.c_str(), &a4) == 1) {
    std::memcpy(n.bytes.data(), &a4, 4);
    n.prefix = 32;
    return n;
  }
  if (inet_pton(AF_INET6, text.c_str(), &a6) != 1) return std::nullopt;
  static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(a6.s6_addr, mapped, 12) == 0) {
    std::memcpy(n.bytes.data(), a6.s6_addr + 12, 4);
    n.prefix = 32;
    return n;
  }
  n.v6 = true;
  std::memcpy(n.bytes.data(), a6.s6_addr, 16);
  n.prefix = 128;
  return n;
}

}  // namespace

std::optional<IpNetwork> parse_ip_network(const std::string& text) {
  size_t slash = text.find('/');
  auto net = parse_address(text.substr(0, slash));
  if (!net) return std::nullopt;
  if (slash == std::string::npos) return net;
  std::string bits = text.substr(slash + 1);
  int prefix = -1;
  auto [p, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
  if (bits.empty() || ec != std::errc{} || p != bits.data() + bits.size() || prefix < 0 ||
      prefix > net->prefix)
    return std::nullopt;
  net->prefix = prefix;
  return net;
}

bool network_contains(const IpNetwork& net, const std::string& ip) {
  auto a = parse_address(ip);
  if (!a || a->v6 != net.v6) return false;
  int whole = net.prefix / 8, rest = net.prefix % 8;
  if (std::memcmp(a->bytes.data(), net.bytes.data(), size_t(whole)) != 0) return false;
  if (rest == 0) return true;
  unsigned mask = (0xffu << (8 - rest)) & 0xffu;
  return (a->bytes[size_t(whole)] & mask) == (net.bytes[size_t(whole)] & mask);
}

std::string client_address(const std::vector<IpNetwork>& trusted, const std::string& peer,
                           const std::string& x_real_ip) {
  if (x_real_ip.empty() || !parse_address(x_real_ip)) return peer;
  for (const auto& net : trusted)
    if (network_contains(net, peer)) return x_real_ip;
  return peer;
}

}  // namespace continuata::server
