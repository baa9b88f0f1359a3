// The headless runner of the native tests (see platform_runner_headless.hpp). Its fonts are
// ImGui's built-in one at the portal's two sizes: the tests read roles, names and states, not
// pixels.
#include "platform/platform_runner_headless.hpp"

#include <imgui.h>

#include <chrono>

namespace continuata::platform {

HeadlessRunner::~HeadlessRunner() {
  ImGui::DestroyContext(context_);
}

void HeadlessRunner::impl_init() {
  ImGuiIO& io = ImGui::GetIO();
  io.BackendPlatformName = "continuata_headless";
  build_fonts();
}

void HeadlessRunner::build_fonts() {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  ImFontConfig body, heading;
  body.SizePixels = 16 * text_scale_;
  heading.SizePixels = 21 * text_scale_;
  fonts_.body = io.Fonts->AddFontDefault(&body);
  fonts_.heading = io.Fonts->AddFontDefault(&heading);
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);  // built, as a renderer would upload it
  io.Fonts->SetTexID(ImTextureID(nullptr));
}

Runner::FrameSize HeadlessRunner::impl_new_frame() {
  if (fonts_dirty_) {
    fonts_dirty_ = false;
    build_fonts();
  }
  return {css_w_, css_h_, 1.0};
}

void HeadlessRunner::impl_publish(const FrameReport& report) {
  if (report.semantics_changed) {
    published_ = app().semantics_json();
    ++publications_;
  }
  content_height_ = report.content_height;
  if (report.rows_changed) {
    rows_ = app().rows_json();
    ++rows_publications_;
  }
}

double HeadlessRunner::impl_clock_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace continuata::platform
