// The server's configuration: command-line flags over CONTINUATA_* environment variables over
// defaults. Parsing never exits; a bad flag is returned as an error message.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/client_address.hpp"

namespace continuata::server {

// Who sends a download's bytes: this server (direct), or nginx in front of it (nginx): the server
// authorises, logs and answers with X-Accel-Redirect naming the stored file, and nginx sends it.
enum class FileServing { Direct, Nginx };

struct ServerConfig {
  std::string data_dir;  // stored files, the server secret, and the SQLite database by default
  std::string database;  // a postgresql:// URL; empty: SQLite at data_dir/continuata.db
  std::string web_dir;   // the built portal (index.html, portal.js, portal.wasm)
  std::string host = "127.0.0.1";
  int port = 8080;                         // 0 picks a free port, printed at start
  std::string public_url;                  // base of downloadUrl; defaults to http://host:port
  bool demo = false;                       // seed demo data, dev outbox on
  bool dev = false;                        // dev outbox on
  uint64_t max_upload_bytes = 4ULL << 30;  // one uploaded file at most (4 GiB)
  size_t threads = 128;                    // API request threads (idle connections hold none)
  size_t download_threads = 128;           // /download streams sent at once
  size_t db_connections = 64;              // database connections open at once (store_db.hpp's pool)
  bool unsafe_dev_on_public_host = false;  // allow --demo/--dev (the dev outbox) off loopback
  std::vector<std::string> allow_origins;  // extra CORS origins for the portal API (dev, tests)
  std::string metrics_token;               // GET /metrics needs "Bearer TOKEN"; empty: loopback only
  int shutdown_grace_seconds = 25;         // after SIGTERM: time for requests in flight, then cut
  FileServing file_serving = FileServing::Direct;
  std::string nginx_internal_prefix = "/_continuata_files/";  // nginx's internal location for the files
  std::vector<IpNetwork> trusted_proxies;                     // peers whose X-Real-IP names the client
  int64_t update_mail_per_minute = 60;  // update notices sent at most this often (SMTP; 1 to 60000)
};

struct ConfigResult {
  std::optional<ServerConfig> config;
  std::string error;  // set when config is empty
};

// Where the store's data is: the PostgreSQL URL, or the SQLite file in the data folder.
std::string database_location(const ServerConfig& c);

// Reads argv (without argv[0]) after the environment; flags win.
ConfigResult parse_server_config(const std::vector<std::string>& args);

std::string server_usage();

}  // namespace continuata::server
