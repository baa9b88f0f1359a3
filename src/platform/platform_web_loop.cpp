// The idle render loop (see platform_web_loop.hpp): frames after input, responses and
// countdown seconds only.
#include "platform/platform_web_loop.hpp"

#include <emscripten.h>
#include <emscripten/html5.h>

#include <algorithm>
#include <cmath>

#include "platform/platform_runner.hpp"

namespace continuata::platform {
namespace {

struct Loop {
  Runner* runner = nullptr;
  bool frame_scheduled = false;
  int extra_frames = 0;  // frames still asked for after the next one
  long timer = 0;        // the countdown's wake-up, when idle
} g_loop;

void schedule_frame();

void on_timer(void*) {
  g_loop.timer = 0;
  request_frames(1);
}

EM_BOOL on_animation_frame(double, void*) {
  g_loop.frame_scheduled = false;
  // ImGui trickles fast input over several frames (a key per frame, a click after typed text), so
  // a burst of typing followed by a tap is still queued after the frames the input asked for.
  if (g_loop.runner->frame()) request_frames(1);
  if (g_loop.extra_frames > 0) {
    --g_loop.extra_frames;
    schedule_frame();
    return EM_FALSE;
  }
  // Idle: nothing is drawn until input, a response, or the next countdown second.
  double wake = g_loop.runner->app().next_wakeup_ms();
  if (g_loop.timer) emscripten_clear_timeout(g_loop.timer);
  g_loop.timer = 0;
  if (std::isfinite(wake))
    g_loop.timer = emscripten_set_timeout(on_timer, std::max(1.0, wake - emscripten_date_now()), nullptr);
  return EM_FALSE;
}

void schedule_frame() {
  if (g_loop.frame_scheduled || !g_loop.runner) return;
  g_loop.frame_scheduled = true;
  emscripten_request_animation_frame(on_animation_frame, nullptr);
}

}  // namespace

void loop_start(Runner& runner) {
  g_loop.runner = &runner;
  request_frames();
}

void request_frames(int n) {
  if (g_loop.extra_frames < n) g_loop.extra_frames = n;
  schedule_frame();
}

}  // namespace continuata::platform
