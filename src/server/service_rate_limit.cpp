// Sliding windows over per-key event times.
#include "server/service_rate_limit.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace continuata::server {

int64_t RateLimiter::hit(const std::string& key, int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t longest = 0;
  for (auto& w : windows_) longest = std::max(longest, w.window_ms);
  if (events_.size() >= max_keys_ && !events_.count(key)) {
    // Bound memory: drop keys whose events are all outside every window.
    for (auto it = events_.begin(); it != events_.end();) {
      if (it->second.empty() || it->second.back() <= now - longest)
        it = events_.erase(it);
      else
        ++it;
    }
  }
  auto& times = events_[key];
  while (!times.empty() && times.front() <= now - longest) times.pop_front();
  int64_t wait_ms = 0;
  for (auto& w : windows_) {
    // Events inside this window, newest last; the oldest of the last `limit` decides the wait.
    auto first_inside = std::upper_bound(times.begin(), times.end(), now - w.window_ms);
    int64_t inside = times.end() - first_inside;
    if (inside >= w.limit) {
      int64_t oldest_relevant = *(times.end() - w.limit);
      wait_ms = std::max(wait_ms, oldest_relevant + w.window_ms - now);
    }
  }
  if (wait_ms > 0) return std::max<int64_t>(1, (wait_ms + 999) / 1000);
  times.push_back(now);
  return 0;
}

std::string ip_rate_key(const std::string& ip) {
  in6_addr a{};
  if (ip.find(':') == std::string::npos || inet_pton(AF_INET6, ip.c_str(), &a) != 1) return "ip:" + ip;
  std::memset(a.s6_addr + 8, 0, 8);
  char text[INET6_ADDRSTRLEN] = "";
  inet_ntop(AF_INET6, &a, text, sizeof text);
  return std::string("ip6:") + text + "/64";
}

}  // namespace continuata::server
