// Everything the portal needs from the platform it runs on, in one place: the page's
// configuration (PageConfig, given to PortalApp::start) and the services (Services, an interface
// each platform implements: src/platform/platform_services_web.cpp in the browser, a fake in
// tests/portal). The portal calls only these; it includes nothing from src/platform.
#pragma once
#include <functional>
#include <optional>
#include <string>

#include "core/core_http.hpp"
#include "portal/portal_page_options.hpp"  // generated from assets/page_options.json

namespace continuata::portal {

// The page the portal runs in: its options (assets/page_options.json, as the page set them) and
// what the browser says about it. Empty strings when absent.
struct PageConfig {
  PageOptions options;
  std::string link_email;        // ?email= of the magic link
  std::string link_code;         // ?code= of the magic link
  std::string browser_language;  // navigator.language, used when options.lang is empty
  bool prefers_dark = false;     // the browser's prefers-color-scheme now
  bool coarse_pointer = false;   // a touch screen ((pointer: coarse)): 44 px touch targets
};

// Callbacks (`done`) run later on the main thread, never inline, and between frames.
class Services {
 public:
  virtual ~Services() = default;
  // Sends a request; `done` gets the response (a transport failure is a value in it).
  virtual void http_send(const core::HttpRequest& request, std::function<void(core::HttpResponse)> done) = 0;
  // Persistent key/value storage (localStorage). Missing keys and storage errors give nullopt.
  virtual std::optional<std::string> storage_get(const std::string& key) = 0;
  virtual void storage_set(const std::string& key, const std::string& value) = 0;
  virtual void storage_remove(const std::string& key) = 0;
  // Writes text to the system clipboard; `done(ok)`.
  virtual void clipboard_write(const std::string& text, std::function<void(bool ok)> done) = 0;
  // Opens a URL (a download link) the way the browser allows from the current user gesture.
  virtual void open_url(const std::string& url) = 0;
  // Removes the magic link's email/code from the address bar once consumed.
  virtual void clear_url_params() = 0;
  // Wall-clock time (Unix epoch, milliseconds).
  virtual double now_ms() = 0;
  // Loads an image (the seller's logo) into a texture; `done` gets its ImTextureID and size, or
  // a null texture when it cannot be had (the portal then shows the name alone).
  virtual void load_image(const std::string& url, std::function<void(void* texture, int w, int h)> done) = 0;
  // Asks the runner to draw another frame soon (after a response, a timer, a state change).
  virtual void request_frame() = 0;
};

}  // namespace continuata::portal
