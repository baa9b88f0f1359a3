// portal::Services in the browser, over platform_web_services.js and platform_web_images.js,
// and the page's configuration read through platform_web_page.js.
#pragma once
#include "portal/portal_services.hpp"

namespace continuata::platform {

class WebServices final : public portal::Services {
 public:
  void http_send(const core::HttpRequest& request, std::function<void(core::HttpResponse)> done) override;
  std::optional<std::string> storage_get(const std::string& key) override;
  void storage_set(const std::string& key, const std::string& value) override;
  void storage_remove(const std::string& key) override;
  void clipboard_write(const std::string& text, std::function<void(bool ok)> done) override;
  void open_url(const std::string& url) override;
  void clear_url_params() override;
  double now_ms() override;
  void load_image(const std::string& url, std::function<void(void* texture, int w, int h)> done) override;
  void request_frame() override;
};

// The page's options (each key of portal::kPageOptions), the magic link's email/code and what
// the browser says (language, light/dark).
portal::PageConfig read_page_config();

}  // namespace continuata::platform
