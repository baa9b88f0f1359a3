// The runner in the browser: a WebGL2 context of its own on the portal's canvas with ImGui's
// OpenGL3 renderer; the one owner of the canvas's size (its backing store follows its CSS size
// times devicePixelRatio, set here before each frame); the fonts rebuilt when the density, the
// reader's text size or the data's scripts change; after each frame, the page told what changed
// (semantics, layout for an embedding page, frame times).
#pragma once

#include "platform/platform_runner.hpp"
#include "platform/platform_web_fonts.hpp"

namespace continuata::platform {

class WebRunner final : public Runner {
 public:
  explicit WebRunner(const char* canvas) : canvas_(canvas) {}
  // The WebGL2 context; false when the browser has none.
  bool create_context();

 protected:
  void impl_init() override;
  FrameSize impl_new_frame() override;
  void impl_render(ImDrawData* draw_data, const FrameSize& size) override;
  void impl_publish(const FrameReport& report) override;
  double impl_clock_ms() override;

 private:
  const char* canvas_;
  WebFonts font_state_;
  int fb_w_ = 0, fb_h_ = 0;
};

}  // namespace continuata::platform
