// The frame sequence shared by every runner (see platform_runner.hpp).
#include "platform/platform_runner.hpp"

#include <imgui.h>
#include <imgui_internal.h>  // InputEventsQueue: input ImGui has not consumed yet

#include <algorithm>

namespace continuata::platform {

Runner::Runner() {
  IMGUI_CHECKVERSION();
  context_ = ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.ConfigInputTextCursorBlink = false;  // a blinking caret would mean a frame every half second
}

void Runner::setup(const portal::PageConfig& page, portal::Services& services) {
  ImGui::SetCurrentContext(context_);
  services_ = &services;
  impl_init();
  app_.start(page, services, &fonts_);
}

bool Runner::frame() {
  ImGui::SetCurrentContext(context_);
  double started = impl_clock_ms();
  FrameSize size = impl_new_frame();
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(size.css_w, size.css_h);
  io.DisplayFramebufferScale = ImVec2(float(size.dpr), float(size.dpr));
  double now = services_->now_ms();
  if (last_now_ms_ < 0) last_now_ms_ = now;
  io.DeltaTime = float(std::max(0.001, (now - last_now_ms_) / 1000.0));
  last_now_ms_ = now;

  double ui_started = impl_clock_ms();
  ImGui::NewFrame();
  bool busy = app_.frame(now);
  ImGui::Render();
  double ui_ms = impl_clock_ms() - ui_started;  // the portal's own work, without drawing
  impl_render(ImGui::GetDrawData(), size);

  FrameReport report;
  report.frames = ++frames_;
  report.frame_ms = impl_clock_ms() - started;
  report.ui_ms = ui_ms;
  report.semantics_changed = app_.semantics_generation() != published_generation_;
  published_generation_ = app_.semantics_generation();
  report.rows_changed = app_.rows_generation() != published_rows_generation_;
  published_rows_generation_ = app_.rows_generation();
  report.content_height = app_.content_height();
  report.css_h = size.css_h;
  impl_publish(report);
  return busy || !ImGui::GetCurrentContext()->InputEventsQueue.empty();
}

}  // namespace continuata::platform
