// What the server-side fuzz targets share: one real ServerContext per process (ServerApp on a
// temporary data folder with a migrated SQLite database, never bound to a port) holding a small
// fixed world to act on, a clock the targets control, and the rule for what counts as a finding.
//
// The world: org "fuzz-org" (webhook secret kWebhookSecret), product "fuzz-product" with
// version 1.0.0 active (one file) and 2.0.0 a draft, and a purchase of it by buyer@example.com.
// Inputs change the database as real requests would (products created, purchases recorded);
// that state carries over between inputs, as it does between requests.
//
// A finding: any exception but ApiError, an ApiError of status 500 or more (the server's own
// failure, not the client's) or one without a message, a response that cannot be serialised, or a
// sanitizer report. Findings abort, so libFuzzer stores the input.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "server/api_error.hpp"
#include "server/crypto_util.hpp"
#include "server/mail_mailer.hpp"
#include "server/server_app.hpp"
#include "server/service_products.hpp"
#include "server/service_storage.hpp"
#include "server/store_seller.hpp"

namespace continuata::fuzz {

inline constexpr const char* kOrg = "fuzz-org";
inline constexpr const char* kProduct = "fuzz-product";
inline constexpr const char* kEmail = "buyer@example.com";
inline constexpr const char* kWebhookSecret = "whsec_fuzz_0123456789abcdef";
inline constexpr int64_t kStartMs = 1775000000000;  // 2026-03-31T23:33:20Z

// Mail is not sent, but what would go into headers is checked: no CR, LF or NUL.
class CheckingMailer : public server::Mailer {
 public:
  void send(const server::MailMessage& m) override {
    for (const std::string* h : {&m.to, &m.subject})
      FUZZ_CHECK(h->find_first_of(std::string("\r\n\0", 3)) == std::string::npos, "mail header: " + *h);
    FUZZ_CHECK(!nlohmann::json(m.text).dump().empty() && !nlohmann::json(m.html).dump().empty(), "mail body");
    last = m;
  }
  // Bulk mail (update and refund notices) is checked like any other message.
  void queue_bulk(server::Db&, const server::MailMessage& m, int64_t) override { send(m); }
  const char* name() const override { return "fuzz"; }
  server::MailMessage last;
};

class World {
 public:
  World() {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() / ("continuata-fuzz-" + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
    server::ServerConfig cfg;
    cfg.data_dir = dir_.string();
    cfg.dev = true;
    cfg.port = 0;
    cfg.public_url = "http://127.0.0.1:8080";
    cfg.max_upload_bytes = 1 << 20;
    app_ = std::make_unique<server::ServerApp>(cfg);
    server::ServerContext& c = ctx();
    c.now_ms = [this] { return now_ms; };
    auto mailer = std::make_unique<CheckingMailer>();
    mailer_ = mailer.get();
    c.mailer = std::move(mailer);

    server::Db& db = c.db->connection();
    server::store::insert_org(db, kOrg, "Fuzz Company", now_ms);
    server::store::set_webhook_secret(db, kOrg, kWebhookSecret);
    server::create_product(c, kOrg, {{"name", "Fuzz Product"}, {"slug", kProduct}, {"description", "seed"}});
    server::Version v1 = server::create_version(c, kOrg, kProduct, {{"version", "1.0.0"}});
    server::create_version(c, kOrg, kProduct, {{"version", "2.0.0"}});
    {  // one stored file, written directly (the upload path is not what these targets test)
      std::string content = "hello from the fuzz world\n", name = "fuzz0file";
      std::filesystem::create_directories(server::version_folder(c, v1.id));
      std::ofstream(server::version_folder(c, v1.id) / name, std::ios::binary) << content;
      server::store::upsert_file(db, v1.id,
                                 server::FileEntry{"docs/readme.txt", name, server::sha256_hex(content),
                                                   int64_t(content.size()), std::nullopt, 0},
                                 now_ms);
    }
    server::activate_version(c, kOrg, kProduct, "1.0.0");
    server::Purchase p;
    p.org_id = kOrg;
    p.order_id = "order-1";
    p.email = kEmail;
    p.product_id = kProduct;
    p.version = "1.0.0";
    p.created_at = now_ms;
    purchase_id = server::store::insert_purchase(db, p, kEmail);
  }
  ~World() {
    app_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  server::ServerContext& ctx() { return app_->context(); }
  CheckingMailer& mailer() { return *mailer_; }

  int64_t now_ms = kStartMs;
  int64_t purchase_id = 0;

 private:
  std::filesystem::path dir_;
  std::unique_ptr<server::ServerApp> app_;
  CheckingMailer* mailer_ = nullptr;
};

// Created on first use, destroyed (folder removed) at exit.
inline World& world() {
  static World w;
  return w;
}

// Runs one request's service call the way ServerApp's exception handler sees it: ApiError
// below 500 is an answer; anything else is a finding. Returns true when `call` returned.
template <class F>
bool answer(const char* what, F&& call) {
  try {
    call();
    return true;
  } catch (const server::ApiError& e) {
    if (e.status < 400 || e.status >= 500)
      finding(std::string(what) + ": ApiError " + std::to_string(e.status) + " " + e.what());
    if (e.body.error.empty())
      finding(std::string(what) + ": ApiError " + std::to_string(e.status) + " says nothing");
    return false;
  } catch (const std::exception& e) {
    finding(std::string(what) + ": unexpected exception (would be a 500): " + e.what());
  } catch (...) {
    finding(std::string(what) + ": unexpected non-std exception");
  }
}

// What send_json does with a response: dump() throws on invalid UTF-8, which would be a 500.
inline void must_serialise(const char* what, const nlohmann::json& j) {
  try {
    (void)j.dump();
  } catch (const std::exception& e) {
    finding(std::string(what) + ": response cannot be serialised: " + e.what());
  }
}

// Splits "line\nrest" at the first '\n' (line without it); no '\n': the whole input is rest.
inline std::string_view take_line(std::string_view& in) {
  size_t nl = in.find('\n');
  if (nl == std::string_view::npos) return {};
  std::string_view line = in.substr(0, nl);
  in.remove_prefix(nl + 1);
  return line;
}

}  // namespace continuata::fuzz
