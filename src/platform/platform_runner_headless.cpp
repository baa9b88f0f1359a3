// The headless runner of the native tests (see platform_runner_headless.hpp). Its fonts are the
// browser's: DejaVu Sans from Debian's fonts-dejavu-core (the TTF the wasm's subset is cut from,
// CONTINUATA_UI_FONT) at the same sizes and glyph ranges (platform_fonts), so the layout test
// measures the text the browser draws.
#include "platform/platform_runner_headless.hpp"

#include <imgui.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "platform/platform_fonts.hpp"

namespace continuata::platform {

HeadlessRunner::~HeadlessRunner() {
  ImGui::DestroyContext(context_);
}

void HeadlessRunner::impl_init() {
  ImGuiIO& io = ImGui::GetIO();
  io.BackendPlatformName = "continuata_headless";
  std::ifstream in(CONTINUATA_UI_FONT, std::ios::binary);
  font_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (font_.empty())
    throw std::runtime_error(std::string("the UI font is missing: ") + CONTINUATA_UI_FONT +
                             " (Debian's fonts-dejavu-core, installed by scripts/setup)");
  build_fonts();
}

void HeadlessRunner::build_fonts() {
  ImGuiIO& io = ImGui::GetIO();
  add_portal_fonts(font_.data(), int(font_.size()), text_scale_, 1.0, scripts_, fonts_);
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);  // built, as a renderer would upload it
  io.Fonts->SetTexID(ImTextureID(nullptr));
}

Runner::FrameSize HeadlessRunner::impl_new_frame() {
  // The scripts the data needs, as the browser's runner adds them (platform_web_runner.cpp).
  unsigned scripts = app().scripts() | scripts_;
  if (fonts_dirty_ || scripts != scripts_) {
    fonts_dirty_ = false;
    scripts_ = scripts;
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
