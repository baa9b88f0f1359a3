// Sliding windows over per-key event times stored in the database.
#include "server/service_rate_limit.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <atomic>
#include <cstring>

#include "server/store_portal.hpp"

namespace continuata::server {

namespace {

// Every so many hits, one also deletes every key's events older than a day (longer than any
// window), so keys that never come back do not stay.
constexpr uint64_t kSweepEvery = 512;
constexpr int64_t kSweepAgeMs = 24 * 3600 * 1000;
std::atomic<uint64_t> hits{0};

}  // namespace

RateLimit::RateLimit(std::string name, std::vector<RateWindow> windows)
    : name_(std::move(name)), windows_(std::move(windows)) {
  for (auto& w : windows_) longest_ = std::max(longest_, w.window_ms);
}

int64_t RateLimit::hit(Database& database, const std::string& key, int64_t now) const {
  std::string full_key = name_ + ":" + key;
  Db& db = database.connection();
  Transaction tx(db, TxLock::Keyed, full_key);
  store::delete_rate_events_before(db, full_key, now - longest_);
  std::vector<int64_t> times = store::rate_event_times(db, full_key);  // oldest first
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
  if (wait_ms <= 0) store::insert_rate_event(db, full_key, now);
  if (++hits % kSweepEvery == 0) store::delete_all_rate_events_before(db, now - kSweepAgeMs);
  tx.commit();
  return wait_ms > 0 ? std::max<int64_t>(1, (wait_ms + 999) / 1000) : 0;
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
