// The portal's services in the browser (see platform_services_web.hpp): each asynchronous call
// keeps its callback by id until the JS side answers through an exported function.
#include "platform/platform_services_web.hpp"

#include <emscripten.h>
#include <emscripten/html5.h>

#include <cstdint>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>

#include "platform/platform_web_js.hpp"
#include "platform/platform_web_loop.hpp"

namespace continuata::platform {
namespace {

std::map<int, std::function<void(core::HttpResponse)>> g_http;
std::map<int, std::function<void(bool)>> g_clipboard;
std::map<int, std::function<void(void*, int, int)>> g_images;
int g_next_id = 1;

std::string take(char* p) {
  if (!p) return {};
  std::string s(p);
  std::free(p);
  return s;
}

}  // namespace

void WebServices::http_send(const core::HttpRequest& r, std::function<void(core::HttpResponse)> done) {
  int id = g_next_id++;
  g_http[id] = std::move(done);
  cx_http_send(id, r.method.c_str(), r.url.c_str(), r.body.c_str(), r.bearer.c_str(), r.timeout_ms);
}

std::optional<std::string> WebServices::storage_get(const std::string& key) {
  char* v = cx_storage_get(key.c_str());
  if (!v) return std::nullopt;
  return take(v);
}
void WebServices::storage_set(const std::string& key, const std::string& value) {
  cx_storage_set(key.c_str(), value.c_str());
}
void WebServices::storage_remove(const std::string& key) {
  cx_storage_remove(key.c_str());
}

void WebServices::clipboard_write(const std::string& text, std::function<void(bool)> done) {
  int id = g_next_id++;
  g_clipboard[id] = std::move(done);
  cx_clipboard_write(id, text.c_str());
}

void WebServices::open_url(const std::string& url) {
  cx_open_url(url.c_str());
}

portal::PageConfig read_page_config() {
  std::string keys;
  for (const auto& option : portal::kPageOptions) {
    if (!keys.empty()) keys += ',';
    keys += option.key;
  }
  auto j = nlohmann::json::parse(take(cx_page_config(keys.c_str())), nullptr, false);
  portal::PageConfig c;
  if (!j.is_object()) return c;
  auto string_at = [](const nlohmann::json& o, const char* key) -> std::string {
    auto it = o.find(key);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (auto options = j.find("options"); options != j.end() && options->is_object())
    for (const auto& option : portal::kPageOptions) c.options.*option.field = string_at(*options, option.key);
  c.link_email = string_at(j, "email");
  c.link_code = string_at(j, "code");
  c.browser_language = string_at(j, "browserLanguage");
  c.prefers_dark = j.value("prefersDark", false);
  c.coarse_pointer = j.value("coarsePointer", false);
  return c;
}

void WebServices::clear_url_params() {
  cx_clear_url_params();
}

void WebServices::load_image(const std::string& url, std::function<void(void*, int, int)> done) {
  int id = g_next_id++;
  g_images[id] = std::move(done);
  cx_load_image(id, url.c_str());
}

double WebServices::now_ms() {
  return emscripten_date_now();
}

void WebServices::request_frame() {
  request_frames(1);
}

}  // namespace continuata::platform

extern "C" {

EMSCRIPTEN_KEEPALIVE void portal_http_done(int id, int status, const char* body, const char* retry_after,
                                           int failure) {
  using namespace continuata;
  auto it = platform::g_http.find(id);
  if (it == platform::g_http.end()) return;
  auto done = std::move(it->second);
  platform::g_http.erase(it);
  core::HttpResponse r;
  r.status = status;
  r.body = body ? body : "";
  r.retry_after = retry_after ? retry_after : "";
  r.failure = failure == 1   ? core::TransportFailure::Offline
              : failure == 2 ? core::TransportFailure::Timeout
              : failure == 3 ? core::TransportFailure::Blocked
                             : core::TransportFailure::None;
  done(std::move(r));
}

EMSCRIPTEN_KEEPALIVE void portal_clipboard_done(int id, int ok) {
  using namespace continuata;
  auto it = platform::g_clipboard.find(id);
  if (it == platform::g_clipboard.end()) return;
  auto done = std::move(it->second);
  platform::g_clipboard.erase(it);
  done(ok != 0);
}

EMSCRIPTEN_KEEPALIVE void portal_image_done(int id, int texture, int w, int h) {
  using namespace continuata;
  auto it = platform::g_images.find(id);
  if (it == platform::g_images.end()) return;
  auto done = std::move(it->second);
  platform::g_images.erase(it);
  done(texture ? reinterpret_cast<void*>(intptr_t(texture)) : nullptr, w, h);
  platform::request_frames(1);
}

}  // extern "C"
