// What every route group and service shares: the configuration and the database. Route groups
// are free functions `install_<area>_routes(httplib::Server&, ServerContext&)`.
#pragma once
#include <functional>
#include <memory>

#include "server/server_config.hpp"
#include "server/store_db.hpp"

namespace continuata::server {

struct ServerContext {
  ServerConfig config;
  std::unique_ptr<Database> db;
  // Wall clock in Unix milliseconds; tests replace it to move time forward.
  std::function<int64_t()> now_ms;
};

}  // namespace continuata::server
