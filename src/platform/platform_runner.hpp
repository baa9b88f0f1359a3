// The runner between a platform and the portal, in the manner of hello_imgui's AbstractRunner:
// the order of a frame is written here once (the platform's new frame, ImGui's NewFrame, the
// portal's frame, Render, the platform's drawing, what the page is told), and each platform
// fills in the impl_ steps: platform_web_runner.cpp (WebGL2 in the browser) and
// platform_runner_headless.cpp (no renderer at all: the native tests).
//
// Owns the ImGui context (made in the constructor; a runner that ends before its process, as
// the headless one, destroys it: the browser's lives as long as the page, so the wasm carries no
// ImGui shutdown code) and the PortalApp; the Services it starts the app with stay the caller's
// and must outlive the runner.
#pragma once
#include <cstdint>

#include "portal/portal_app.hpp"
#include "portal/portal_services.hpp"

struct ImGuiContext;
struct ImDrawData;

namespace continuata::platform {

class Runner {
 public:
  Runner();
  virtual ~Runner() = default;
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  // Once: the platform's backend (impl_init), then the app with the page's configuration.
  void setup(const portal::PageConfig& page, portal::Services& services);
  // One frame. Returns true while the app wants frames continuously (a request in flight, or
  // input ImGui has not consumed yet: it trickles a fast burst over several frames).
  bool frame();

  portal::PortalApp& app() { return app_; }
  int frames() const { return frames_; }

 protected:
  // What the platform says about the frame about to be drawn.
  struct FrameSize {
    float css_w = 0, css_h = 0;  // the canvas's layout size, in CSS pixels
    double dpr = 1;              // device pixels per CSS pixel
  };
  // What a frame produced, for the platform to tell its page.
  struct FrameReport {
    int frames = 0;                  // drawn so far, this one included
    double frame_ms = 0, ui_ms = 0;  // CPU time of the whole frame, and of NewFrame..Render
    bool semantics_changed = false;
    bool rows_changed = false;  // the library's row catalogue (PortalApp::rows_json)
    float content_height = 0;   // CSS px the screen needs without scrolling
    float css_h = 0;
  };

  // ImGui's io set up for this platform (flags, clipboard, renderer init) and the fonts built.
  virtual void impl_init() = 0;
  // Before NewFrame: fonts rebuilt when the density or the scripts changed, the renderer's own
  // NewFrame; returns the size to lay out for.
  virtual FrameSize impl_new_frame() = 0;
  // After Render: the draw data onto the screen.
  virtual void impl_render(ImDrawData* draw_data, const FrameSize& size) = 0;
  // What the page is told after each frame.
  virtual void impl_publish(const FrameReport& report) = 0;
  // A monotonic clock (ms) for frame timings.
  virtual double impl_clock_ms() = 0;

  portal::Fonts fonts_;  // what impl_init / impl_new_frame build; the app draws with them
  ImGuiContext* context_ = nullptr;

 private:
  portal::Services* services_ = nullptr;
  portal::PortalApp app_;
  int frames_ = 0;
  double last_now_ms_ = -1;
  uint64_t published_generation_ = 0;
  uint64_t published_rows_generation_ = 0;
};

}  // namespace continuata::platform
