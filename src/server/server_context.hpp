// What every route group and service shares: the configuration, the database, the clock, the
// mailer, the server secret and the portal's rate limits (whose counts are in the database). Route groups are
// free functions `install_<area>_routes(httplib::Server&, ServerContext&)`; nothing here is httplib's.
#pragma once
#include <functional>
#include <memory>

#include "server/mail_mailer.hpp"
#include "server/server_config.hpp"
#include "server/service_rate_limit.hpp"
#include "server/store_db.hpp"

namespace continuata::server {

struct ServerContext {
  ServerConfig config;
  std::unique_ptr<Database> db;
  // Wall clock in Unix milliseconds; tests replace it to move time forward.
  std::function<int64_t()> now_ms;
  std::unique_ptr<Mailer> mailer;
  std::string server_secret;  // keys the verification-code HMAC; DATA/server-secret
  // Customer portal limits: codes sent per email and per IP, code attempts per IP.
  RateLimit codes_per_email{"codes_per_email", {{60000, 5}, {3600000, 20}}};
  // Per IP looser than per email: offices and phone carriers put many customers behind one IP.
  RateLimit codes_per_ip{"codes_per_ip", {{60000, 20}, {3600000, 200}}};
  RateLimit sessions_per_ip{"sessions_per_ip", {{60000, 10}, {3600000, 60}}};
};

}  // namespace continuata::server
