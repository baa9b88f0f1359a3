// The portal's entry point in the browser: the runner on #canvas, the services, the input
// backend and the page hooks wired together, the idle loop started; and the C functions the
// page's JS calls (a frame wanted, an accessibility action, the light/dark switch).
#include <emscripten.h>

#include <cstdio>

#include "platform/platform_services_web.hpp"
#include "platform/platform_web_input.hpp"
#include "platform/platform_web_js.hpp"
#include "platform/platform_web_loop.hpp"
#include "platform/platform_web_runner.hpp"

namespace {

constexpr const char* kCanvas = "#canvas";

continuata::platform::WebServices g_services;
continuata::platform::WebRunner* g_runner = nullptr;  // lives as long as the page

}  // namespace

extern "C" {
EMSCRIPTEN_KEEPALIVE void portal_request_frame() {
  continuata::platform::request_frames(1);
}
EMSCRIPTEN_KEEPALIVE void portal_a11y_action(const char* kind, const char* id, const char* value) {
  if (g_runner) g_runner->app().a11y_action(kind, id, value);
  continuata::platform::request_frames();
}
EMSCRIPTEN_KEEPALIVE void portal_color_scheme_changed(int dark) {
  if (g_runner) g_runner->app().color_scheme_changed(dark != 0);
  continuata::platform::request_frames(1);
}
}

int main() {
  using namespace continuata::platform;
  static WebRunner runner(kCanvas);
  if (!runner.create_context()) {
    std::fprintf(stderr, "WebGL2 is not available\n");
    return 1;
  }
  g_runner = &runner;
  input_install(kCanvas);
  cx_install_page_hooks();
  cx_a11y_install();
  cx_publish_start();
  runner.setup(read_page_config(), g_services);
  loop_start(runner);
  return 0;
}
