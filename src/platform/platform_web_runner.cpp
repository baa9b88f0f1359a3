// The browser's runner (see platform_web_runner.hpp).
#include "platform/platform_web_runner.hpp"

#include <GLES3/gl3.h>
#include <emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>

#include <cmath>

#include "platform/platform_web_embed.hpp"
#include "platform/platform_web_js.hpp"

namespace continuata::platform {

bool WebRunner::create_context() {
  EmscriptenWebGLContextAttributes attrs;
  emscripten_webgl_init_context_attributes(&attrs);
  attrs.majorVersion = 2;
  attrs.minorVersion = 0;
  attrs.alpha = false;
  attrs.antialias = false;
  attrs.depth = false;
  attrs.stencil = false;
  EMSCRIPTEN_WEBGL_CONTEXT_HANDLE ctx = emscripten_webgl_create_context(canvas_, &attrs);
  if (ctx <= 0) return false;
  emscripten_webgl_make_context_current(ctx);
  return true;
}

void WebRunner::impl_init() {
  ImGui_ImplOpenGL3_Init("#version 300 es");
  build_fonts(font_state_, fonts_, emscripten_get_device_pixel_ratio(), 0, cx_text_scale());
}

Runner::FrameSize WebRunner::impl_new_frame() {
  double css_w = 0, css_h = 0;
  emscripten_get_element_css_size(canvas_, &css_w, &css_h);
  double dpr = emscripten_get_device_pixel_ratio();
  unsigned scripts = app().scripts() | font_state_.scripts;
  // Browser zoom and moving between screens change the density; new data may need new scripts;
  // the reader's text size (the root font size) scales the text.
  double scale = cx_text_scale();
  if (font_state_.needs_rebuild(dpr, scripts, scale)) build_fonts(font_state_, fonts_, dpr, scripts, scale);
  // The backing store at CSS size x density: set here and nowhere else.
  fb_w_ = int(std::lround(css_w * dpr));
  fb_h_ = int(std::lround(css_h * dpr));
  int cur_w = 0, cur_h = 0;
  emscripten_get_canvas_element_size(canvas_, &cur_w, &cur_h);
  if (cur_w != fb_w_ || cur_h != fb_h_) emscripten_set_canvas_element_size(canvas_, fb_w_, fb_h_);
  ImGui_ImplOpenGL3_NewFrame();
  return {float(css_w), float(css_h), dpr};
}

void WebRunner::impl_render(ImDrawData* draw_data, const FrameSize&) {
  glViewport(0, 0, fb_w_, fb_h_);
  ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(draw_data);
}

void WebRunner::impl_publish(const FrameReport& report) {
  cx_publish_frame(report.frames, report.frame_ms, report.ui_ms);
  if (report.rows_changed) cx_a11y_rows(app().rows_json().c_str());  // before the frame's nodes
  if (report.semantics_changed) cx_a11y_update(app().semantics_json().c_str());
  embed_report(report.content_height, report.css_h);
}

double WebRunner::impl_clock_ms() {
  return emscripten_get_now();
}

}  // namespace continuata::platform
