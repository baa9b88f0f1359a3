// What the portal's native view tests share: a fake platform that keeps every request for the
// test to answer, the portal with its headless runner, purchase lists and a sign-in by
// accessibility actions alone, and lookups in the semantics list.
#pragma once
#include <doctest/doctest.h>

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/core_time.hpp"
#include "platform/platform_runner_headless.hpp"
#include "portal/portal_services.hpp"

namespace portal_test {

using namespace continuata;
using nlohmann::json;

inline constexpr int64_t T0 = 1790000000000;

// The platform as the portal sees it, with every request kept for the test to answer.
struct FakeServices final : portal::Services {
  struct Request {
    core::HttpRequest request;
    std::function<void(core::HttpResponse)> done;
  };
  std::vector<Request> requests;
  std::map<std::string, std::string> storage;
  std::vector<std::string> copied, opened, images;
  int cleared_url = 0, frames_requested = 0;
  double now = double(T0);

  void http_send(const core::HttpRequest& r, std::function<void(core::HttpResponse)> done) override {
    requests.push_back({r, std::move(done)});
  }
  std::optional<std::string> storage_get(const std::string& key) override {
    auto it = storage.find(key);
    if (it == storage.end()) return std::nullopt;
    return it->second;
  }
  void storage_set(const std::string& key, const std::string& value) override { storage[key] = value; }
  void storage_remove(const std::string& key) override { storage.erase(key); }
  void clipboard_write(const std::string& text, std::function<void(bool)> done) override {
    copied.push_back(text);
    done(true);
  }
  void open_url(const std::string& url) override { opened.push_back(url); }
  void clear_url_params() override { ++cleared_url; }
  double now_ms() override { return now; }
  void load_image(const std::string& url, std::function<void(void*, int, int)> done) override {
    images.push_back(url);
    done(nullptr, 0, 0);
  }
  void request_frame() override { ++frames_requested; }

  // Answers the oldest unanswered request (which must go to `path`).
  void answer(const std::string& path, int status, const json& body, std::string retry_after = "") {
    REQUIRE(!requests.empty());
    Request r = std::move(requests.front());
    requests.erase(requests.begin());
    CHECK(r.request.url.find(path) != std::string::npos);
    r.done(core::HttpResponse{status, body.dump(), std::move(retry_after), core::TransportFailure::None});
  }
  void fail(core::TransportFailure failure) {
    REQUIRE(!requests.empty());
    Request r = std::move(requests.front());
    requests.erase(requests.begin());
    r.done(core::HttpResponse{0, "", "", failure});
  }
};

inline json purchases_json(int n) {
  json list = json::array();
  for (int i = 0; i < n; ++i)
    list.push_back(
        {{"purchaseId", i + 1},
         {"orderId", "order-" + std::to_string(1000 + i)},
         {"purchasedAt", core::format_iso8601_utc(T0 - int64_t(i) * 86400000)},
         {"productId", "product-" + std::to_string(i)},
         {"productName", "Synth Pack " + std::to_string(i + 1)},
         {"purchasedVersion", "1.0.0"},
         {"latestVersion", i == 0 ? "1.1.0" : "1.0.0"},
         {"files", {{{"path", "pack.zip"}, {"size", 1400000}, {"sha256", std::string(64, 'a')}}}}});
  return {{"email", "demo@example.com"}, {"purchases", list}};
}

inline json session_json() {
  return {{"sessionToken", std::string(64, 't')},
          {"email", "demo@example.com"},
          {"expiresAt", core::format_iso8601_utc(T0 + 7LL * 86400000)}};
}

inline portal::PageConfig page(std::string org = "audio-company") {
  portal::PageConfig c;
  c.options.api = "https://api.example/";
  c.options.org = std::move(org);
  c.browser_language = "en-GB";
  return c;
}

// The views with their runner and fake platform.
struct Portal {
  FakeServices services;
  platform::HeadlessRunner runner;

  explicit Portal(const portal::PageConfig& config = page(), std::map<std::string, std::string> storage = {},
                  json profile = nullptr) {
    services.storage = std::move(storage);
    runner.setup(config, services);
    // The seller's profile, asked for at the start when the portal has an org: none unless given.
    if (!services.requests.empty() &&
        services.requests.front().request.url.find("/api/portal/profile") != std::string::npos) {
      if (profile.is_null())
        services.answer("/api/portal/profile", 404, {{"error", "Not found"}});
      else
        services.answer("/api/portal/profile", 200, profile);
    }
  }

  const core::State& state() { return runner.app().state(); }
  const core::Semantics& frame() {
    runner.frame();
    return runner.app().semantics();
  }
  void act(const char* kind, const std::string& id, const std::string& value = "") {
    runner.app().a11y_action(kind, id, value);
  }
  // Frames until nothing more happens by itself (results waiting are dispatched).
  const core::Semantics& settle() {
    for (int i = 0; i < 4; ++i) runner.frame();
    return runner.app().semantics();
  }
};

inline const core::SemanticNode* find(const core::Semantics& sem, const std::string& id) {
  for (const auto& n : sem)
    if (n.id == id) return &n;
  return nullptr;
}

// The node with this id, which must be there with this role.
inline const core::SemanticNode& node(const core::Semantics& sem, const std::string& id,
                                      const std::string& role) {
  const core::SemanticNode* n = find(sem, id);
  REQUIRE_MESSAGE(n != nullptr, "no widget " << id);
  CHECK_MESSAGE(n->role == role, id << " is a " << n->role);
  return *n;
}

inline int count_role(const core::Semantics& sem, const std::string& role) {
  int n = 0;
  for (const auto& w : sem) n += w.role == role;
  return n;
}

// POST /api/portal/download-url's answer for purchase `pid` (of purchases_json), a link with
// `token` valid for a day.
inline json link_json(int64_t pid, const std::string& token = "x") {
  return {{"success", true},
          {"productId", "product-" + std::to_string(pid - 1)},
          {"version", "1.1.0"},
          {"downloadToken", token},
          {"downloadUrl", "https://api.example/download?token=" + token},
          {"expiresAt", core::format_iso8601_utc(T0 + 86400000)}};
}

// Signs in through the email and code screens by accessibility actions alone; the library
// then lists `purchases` (a GET /api/portal/purchases answer). Returns the library's semantics.
inline const core::Semantics& sign_in_with(Portal& p, const json& purchases) {
  p.frame();
  p.act("setValue", "email", "demo@example.com");
  p.act("activate", "send");
  p.services.answer("/api/portal/verification", 202, {{"status", "sent"}});
  p.settle();
  p.act("setValue", "code", "123456");
  p.act("submit", "code", "123456");
  p.services.answer("/api/portal/session", 200, session_json());
  p.settle();
  p.services.answer("/api/portal/purchases", 200, purchases);
  return p.settle();
}

inline void sign_in(Portal& p, int purchases = 3) {
  sign_in_with(p, purchases_json(purchases));
}

}  // namespace portal_test
