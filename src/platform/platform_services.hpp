// What the browser gives the portal, behind plain C++ calls: HTTP, storage, clipboard, opening
// links, the page's configuration, time and waking the render loop. One header, one .cpp per
// platform (platform_services_web.cpp under Emscripten); nothing outside src/platform includes
// Emscripten headers.
#pragma once
#include <functional>
#include <optional>
#include <string>

#include "core/core_http.hpp"

namespace continuata::platform {

// Sends a request; `done` runs later on the main thread with the response (never inline).
void http_send(const core::HttpRequest& request, std::function<void(core::HttpResponse)> done);

// Persistent key/value storage (localStorage). Missing keys and storage errors give nullopt.
std::optional<std::string> storage_get(const std::string& key);
void storage_set(const std::string& key, const std::string& value);
void storage_remove(const std::string& key);

// Writes text to the system clipboard (Clipboard API with a fallback); `done(ok)` runs later.
void clipboard_write(const std::string& text, std::function<void(bool ok)> done);

// Opens a URL (a download link) the way the browser allows from the current user gesture.
void open_url(const std::string& url);

// Configuration of this page: API base URL and org (page config / data attributes), and the
// magic link's parameters from the page URL. Empty strings when absent.
struct PageConfig {
  std::string api_base;   // e.g. "" (same origin) or "https://api.example.com"
  std::string org;        // org slug the portal is scoped to, or empty
  std::string email;      // ?email= of the magic link
  std::string code;       // ?code= of the magic link
  std::string language;   // BCP 47 tag from config or the browser, e.g. "en-US"
  // The seller's look: accent colour, "light"/"dark"/"auto", corner radius, name, logo URL.
  std::string accent, scheme, radius, seller_name, logo_url;
  bool prefers_dark = false;  // the browser's prefers-color-scheme now
};
PageConfig page_config();
// Removes the magic link's email/code from the address bar once consumed.
void clear_url_params();

// Wall-clock time (Unix epoch, milliseconds).
double now_ms();

// Loads an image (the seller's logo) into a texture; `done` gets its ImTextureID and size, or
// nothing when it cannot be had (the portal then shows the name alone).
void load_image(const std::string& url, std::function<void(void* texture, int w, int h)> done);

// Asks the loop to draw another frame soon (after a response, a timer, a state change).
void request_frame();

}  // namespace continuata::platform
