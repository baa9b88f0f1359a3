// Sliding-window rate limits kept in memory: each key (an email, an IP) may act `limit` times in
// each window; beyond that the caller learns how long to wait. Thread-safe; old entries are
// pruned as keys are touched, and the table is bounded so a flood of new keys cannot grow it
// without end.
#pragma once
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace continuata::server {

struct RateWindow {
  int64_t window_ms;
  int limit;
};

class RateLimiter {
 public:
  explicit RateLimiter(std::vector<RateWindow> windows, size_t max_keys = 100000)
      : windows_(std::move(windows)), max_keys_(max_keys) {}
  // Records one action for `key` at `now` and returns 0, or, when a window is full, records
  // nothing and returns the seconds until the key may act again (at least 1).
  int64_t hit(const std::string& key, int64_t now);

 private:
  std::vector<RateWindow> windows_;
  size_t max_keys_;
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<int64_t>> events_;
};

// The key a client address is limited under: an IPv4 address as it is, an IPv6 address by its
// /64 (one customer's line gets a whole /64, so per-address limits would not hold anyone).
std::string ip_rate_key(const std::string& ip);

}  // namespace continuata::server
