// Flag and environment parsing for continuata-server.
#include "server/server_config.hpp"

#include <charconv>
#include <cstdlib>
#include <filesystem>

#include "server/store_db.hpp"

namespace continuata::server {
namespace {

std::optional<int> parse_port(const std::string& s) {
  int v = -1;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || v < 0 || v > 65535) return std::nullopt;
  return v;
}

bool is_loopback_host(const std::string& host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

// A prefix nginx matches a location by: "/" ... "/", and only characters that need no escaping in
// a header or a URL path (the server writes it into X-Accel-Redirect as it is).
bool valid_internal_prefix(const std::string& p) {
  if (p.size() < 2 || p.front() != '/' || p.back() != '/') return false;
  for (char c : p)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
          c == '_' || c == '-' || c == '.'))
      return false;
  return p.find("//") == std::string::npos && p.find("/./") == std::string::npos &&
         p.find("/../") == std::string::npos;
}

std::optional<FileServing> parse_file_serving(const std::string& v) {
  if (v == "direct") return FileServing::Direct;
  if (v == "nginx") return FileServing::Nginx;
  return std::nullopt;
}

std::vector<std::string> comma_list(const std::string& list) {
  std::vector<std::string> out;
  for (size_t start = 0; start <= list.size();) {
    size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    if (end > start) out.push_back(list.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return (v && *v) ? v : nullptr;
}

}  // namespace

std::string server_usage() {
  return "usage: continuata-server --data DIR [--database postgresql://...] [--port N] [--host ADDR] [--web "
         "DIR]\n"
         "                         [--public-url URL] [--max-upload-bytes N] [--allow-origin ORIGIN]... "
         "[--threads N]\n"
         "                         [--download-threads N] [--metrics-token TOKEN] [--shutdown-grace-seconds "
         "N]\n"
         "                         [--file-serving direct|nginx] [--nginx-internal-prefix PATH] "
         "[--trusted-proxy CIDR]...\n"
         "                         [--update-mail-per-minute N] [--db-connections N]\n"
         "                         [--demo] [--dev] [--unsafe-dev-on-public-host]\n"
         "       continuata-server --data DIR admin COMMAND ...   (see 'admin help')\n"
         "environment: CONTINUATA_DATA, CONTINUATA_DATABASE, CONTINUATA_PORT, CONTINUATA_HOST, "
         "CONTINUATA_WEB,\n"
         "             CONTINUATA_PUBLIC_URL, CONTINUATA_MAX_UPLOAD_BYTES, CONTINUATA_ALLOW_ORIGINS (comma-\n"
         "             separated), CONTINUATA_METRICS_TOKEN, CONTINUATA_SHUTDOWN_GRACE_SECONDS,\n"
         "             CONTINUATA_FILE_SERVING, CONTINUATA_NGINX_INTERNAL_PREFIX,\n"
         "             CONTINUATA_TRUSTED_PROXIES (comma-separated), CONTINUATA_UPDATE_MAIL_PER_MINUTE,\n"
         "             CONTINUATA_DB_CONNECTIONS,\n"
         "             "
         "CONTINUATA_SMTP_URL/_USER/_PASSWORD/_FROM/\n"
         "             _STARTTLS (flags win)\n"
         "GET /metrics answers loopback peers only, unless --metrics-token is set (then it needs\n"
         "\"Authorization: Bearer TOKEN\"). SIGTERM or SIGINT: stop accepting, let requests in flight\n"
         "finish for up to --shutdown-grace-seconds (default 25), cut the rest, exit 0.\n";
}

std::string database_location(const ServerConfig& c) {
  if (!c.database.empty()) return c.database;
  return (std::filesystem::path(c.data_dir) / "continuata.db").string();
}

ConfigResult parse_server_config(const std::vector<std::string>& args) {
  ServerConfig c;
  auto parse_grace = [](const std::string& v) -> std::optional<int> {
    int n = -1;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc{} || p != v.data() + v.size() || n < 0 || n > 3600) return std::nullopt;
    return n;
  };
  const char* grace_error = "must be a number of seconds from 0 to 3600";
  if (auto v = env("CONTINUATA_METRICS_TOKEN")) c.metrics_token = v;
  if (auto v = env("CONTINUATA_SHUTDOWN_GRACE_SECONDS")) {
    auto n = parse_grace(v);
    if (!n) return {std::nullopt, std::string("CONTINUATA_SHUTDOWN_GRACE_SECONDS ") + grace_error};
    c.shutdown_grace_seconds = *n;
  }
  if (auto v = env("CONTINUATA_DATA")) c.data_dir = v;
  if (auto v = env("CONTINUATA_DATABASE")) c.database = v;
  if (auto v = env("CONTINUATA_WEB")) c.web_dir = v;
  if (auto v = env("CONTINUATA_HOST")) c.host = v;
  if (auto v = env("CONTINUATA_PUBLIC_URL")) c.public_url = v;
  if (auto v = env("CONTINUATA_PORT")) {
    auto p = parse_port(v);
    if (!p) return {std::nullopt, "CONTINUATA_PORT must be a number from 0 to 65535"};
    c.port = *p;
  }
  auto parse_bytes = [](const std::string& v) -> std::optional<uint64_t> {
    uint64_t n = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc{} || p != v.data() + v.size() || n == 0) return std::nullopt;
    return n;
  };
  if (auto v = env("CONTINUATA_MAX_UPLOAD_BYTES")) {
    auto n = parse_bytes(v);
    if (!n) return {std::nullopt, "CONTINUATA_MAX_UPLOAD_BYTES must be a positive number"};
    c.max_upload_bytes = *n;
  }
  if (auto v = env("CONTINUATA_ALLOW_ORIGINS")) c.allow_origins = comma_list(v);
  if (auto v = env("CONTINUATA_FILE_SERVING")) {
    auto mode = parse_file_serving(v);
    if (!mode) return {std::nullopt, "CONTINUATA_FILE_SERVING must be direct or nginx"};
    c.file_serving = *mode;
  }
  if (auto v = env("CONTINUATA_NGINX_INTERNAL_PREFIX")) c.nginx_internal_prefix = v;
  auto parse_mail_rate = [&parse_bytes](const std::string& v) -> std::optional<int64_t> {
    auto n = parse_bytes(v);
    if (!n || *n > 60000) return std::nullopt;
    return int64_t(*n);
  };
  if (auto v = env("CONTINUATA_UPDATE_MAIL_PER_MINUTE")) {
    auto n = parse_mail_rate(v);
    if (!n) return {std::nullopt, "CONTINUATA_UPDATE_MAIL_PER_MINUTE must be a number from 1 to 60000"};
    c.update_mail_per_minute = *n;
  }
  if (auto v = env("CONTINUATA_DB_CONNECTIONS")) {
    auto n = parse_bytes(v);
    if (!n || *n > 4096) return {std::nullopt, "CONTINUATA_DB_CONNECTIONS must be a number from 1 to 4096"};
    c.db_connections = size_t(*n);
  }
  if (auto v = env("CONTINUATA_TRUSTED_PROXIES"))
    for (const auto& item : comma_list(v)) {
      auto net = parse_ip_network(item);
      if (!net) return {std::nullopt, "CONTINUATA_TRUSTED_PROXIES: not an address or CIDR: " + item};
      c.trusted_proxies.push_back(*net);
    }
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string& out) -> bool {
      if (i + 1 >= args.size()) return false;
      out = args[++i];
      return true;
    };
    std::string v;
    if (a == "--demo")
      c.demo = true;
    else if (a == "--dev")
      c.dev = true;
    else if (a == "--data") {
      if (!value(c.data_dir)) return {std::nullopt, "--data needs a folder"};
    } else if (a == "--database") {
      if (!value(c.database)) return {std::nullopt, "--database needs a postgresql:// URL"};
    } else if (a == "--web") {
      if (!value(c.web_dir)) return {std::nullopt, "--web needs a folder"};
    } else if (a == "--host") {
      if (!value(c.host)) return {std::nullopt, "--host needs an address"};
    } else if (a == "--public-url") {
      if (!value(c.public_url)) return {std::nullopt, "--public-url needs a URL"};
    } else if (a == "--unsafe-dev-on-public-host")
      c.unsafe_dev_on_public_host = true;
    else if (a == "--threads" || a == "--download-threads" || a == "--db-connections") {
      auto n = value(v) ? parse_bytes(v) : std::nullopt;
      if (!n || *n > 4096) return {std::nullopt, a + " needs a number from 1 to 4096"};
      (a == "--threads"            ? c.threads
       : a == "--download-threads" ? c.download_threads
                                   : c.db_connections) = size_t(*n);
    } else if (a == "--metrics-token") {
      if (!value(c.metrics_token) || c.metrics_token.empty())
        return {std::nullopt, "--metrics-token needs a token"};
    } else if (a == "--shutdown-grace-seconds") {
      auto n = value(v) ? parse_grace(v) : std::nullopt;
      if (!n) return {std::nullopt, std::string("--shutdown-grace-seconds ") + grace_error};
      c.shutdown_grace_seconds = *n;
    } else if (a == "--allow-origin") {
      if (!value(v)) return {std::nullopt, "--allow-origin needs an origin like https://shop.example"};
      c.allow_origins.push_back(v);
    } else if (a == "--file-serving") {
      auto mode = value(v) ? parse_file_serving(v) : std::nullopt;
      if (!mode) return {std::nullopt, "--file-serving needs direct or nginx"};
      c.file_serving = *mode;
    } else if (a == "--nginx-internal-prefix") {
      if (!value(c.nginx_internal_prefix)) return {std::nullopt, "--nginx-internal-prefix needs a path"};
    } else if (a == "--trusted-proxy") {
      auto net = value(v) ? parse_ip_network(v) : std::nullopt;
      if (!net)
        return {std::nullopt, "--trusted-proxy needs an address or CIDR (127.0.0.1, 10.0.0.0/8, fd00::/8)"};
      c.trusted_proxies.push_back(*net);
    } else if (a == "--update-mail-per-minute") {
      auto n = value(v) ? parse_mail_rate(v) : std::nullopt;
      if (!n) return {std::nullopt, "--update-mail-per-minute needs a number from 1 to 60000"};
      c.update_mail_per_minute = *n;
    } else if (a == "--max-upload-bytes") {
      auto n = value(v) ? parse_bytes(v) : std::nullopt;
      if (!n) return {std::nullopt, "--max-upload-bytes needs a positive number"};
      c.max_upload_bytes = *n;
    } else if (a == "--port") {
      if (!value(v)) return {std::nullopt, "--port needs a number"};
      auto p = parse_port(v);
      if (!p) return {std::nullopt, "--port must be a number from 0 to 65535"};
      c.port = *p;
    } else
      return {std::nullopt, "unknown option: " + a};
  }
  if (c.data_dir.empty()) return {std::nullopt, "--data DIR is required"};
  if (!c.database.empty() && !Database::is_postgres_url(c.database))
    return {std::nullopt,
            "--database takes a postgresql:// URL (SQLite, the default, needs none: it lives in --data)"};
  if (!valid_internal_prefix(c.nginx_internal_prefix))
    return {std::nullopt,
            "--nginx-internal-prefix must start and end with '/' and hold only letters, digits, '/', '_', "
            "'-', '.'"};
  if ((c.demo || c.dev) && !is_loopback_host(c.host) && !c.unsafe_dev_on_public_host)
    return {std::nullopt,
            "--demo and --dev serve every sign-in code at /api/dev/outbox: they only listen on a "
            "loopback --host (127.0.0.1, ::1, localhost) unless --unsafe-dev-on-public-host is given"};
  while (!c.public_url.empty() && c.public_url.back() == '/') c.public_url.pop_back();
  return {c, ""};
}

}  // namespace continuata::server
