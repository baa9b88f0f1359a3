// Sliding-window rate limits kept in the database, so they hold exactly across every instance
// that shares it: each key (an email, an IP) of a limit may act `limit` times in each window;
// beyond that the caller learns how long to wait. A key's check and its new event are one
// transaction under that key's lock; events older than every window are deleted as keys are
// touched, and the whole table is swept of them now and then, so a flood of new keys cannot
// grow it without end.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "server/store_db.hpp"

namespace continuata::server {

struct RateWindow {
  int64_t window_ms;
  int limit;
};

class RateLimit {
 public:
  // `name` keeps limits apart in the shared table ("codes_per_email", ...).
  RateLimit(std::string name, std::vector<RateWindow> windows);
  // Records one action for `key` at `now` and returns 0, or, when a window is full, records
  // nothing and returns the seconds until the key may act again (at least 1).
  int64_t hit(Database& db, const std::string& key, int64_t now) const;

 private:
  std::string name_;
  std::vector<RateWindow> windows_;
  int64_t longest_ = 0;
};

// The key a client address is limited under: an IPv4 address as it is, an IPv6 address by its
// /64 (one customer's line gets a whole /64, so per-address limits would not hold anyone).
std::string ip_rate_key(const std::string& ip);

}  // namespace continuata::server
