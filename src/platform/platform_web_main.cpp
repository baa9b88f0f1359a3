// The portal in the browser: our own small Dear ImGui platform backend on emscripten/html5.h,
// bound to the portal's canvas only (not emcc 3.1.6's built-in GLFW, which takes keys for the
// whole page, lands taps at the previous touch, has no high-DPI framebuffer and reads text from
// the deprecated keypress), a WebGL2 context of its own with ImGui's OpenGL3 renderer, and a
// render loop that draws only when something changed.
//
// Implemented: mouse, wheel (on the canvas only; the page scrolls unless a portal list can still
//   scroll), touch (as a mouse source, hover cleared after the touch, a drag scrolls), keys with
//   modifiers, text from keydown's key, focus/blur, container resize, devicePixelRatio and the
//   reader's text size (fonts rebuilt), idle rendering (frames after input, responses and
//   countdown seconds only). Text fields, paste, IME and autofill are real DOM inputs kept over
//   the canvas by web/portal-a11y.js, whose actions arrive through portal_a11y_action.
#include <GLES3/gl3.h>
#include <emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>
#include <imgui_internal.h>  // InputEventsQueue: input ImGui has not consumed yet

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "core/core_format.hpp"
#include "platform/platform_services.hpp"
#include "platform/platform_web_js.hpp"
#include "portal/portal_app.hpp"
#include "portal/portal_views.hpp"

extern const unsigned char kPortalFont[];
extern const unsigned int kPortalFontSize;

namespace {

constexpr const char* kCanvas = "#canvas";
constexpr float kBodyPx = 16.0f, kHeadingPx = 21.0f;

struct Backend {
  double dpr = 0;         // the density the font atlas was built for
  unsigned scripts = 0;   // the non-Latin scripts it holds
  bool frame_scheduled = false;
  int extra_frames = 0;  // ImGui settles hover/active state over a frame or two after input
  long timer = 0;
  int frames = 0;
  int reported_height = -1;  // the content height last sent to an embedding page
  float touch_y = 0;          // the finger's last position while it drags
  bool touch_scrolling = false;
  double text_scale = 1;
  int touch_scrolls_page = -1;  // whether a vertical drag on the canvas is the browser's (as last set)
  continuata::portal::Fonts fonts;
} g;

void schedule_frame();

void request_frames(int n = 2) {
  if (g.extra_frames < n) g.extra_frames = n;
  schedule_frame();
}

// Glyphs for Latin (with Extended-A accents) and typographic punctuation always; Greek and
// Cyrillic only once a product name needs them: fewer glyphs to rasterise before the first frame.
ImVector<ImWchar> glyph_ranges(unsigned scripts, bool heading) {
  ImVector<ImWchar> r;
  auto add = [&](ImWchar a, ImWchar b) {
    r.push_back(a);
    r.push_back(b);
  };
  add(0x0020, heading ? 0x00FF : 0x017F);
  if (scripts & continuata::core::kScriptGreek) add(0x0370, 0x03FF);
  if (scripts & continuata::core::kScriptCyrillic) add(0x0400, 0x04FF);
  add(0x2010, 0x2027);
  add(0x20AC, 0x20AC);
  add(0x2190, 0x2193);
  r.push_back(0);
  return r;
}

// `scale`: the page's root font size over 16 px, i.e. the reader's chosen text size.
void build_fonts(double dpr, unsigned scripts, double scale) {
  static ImVector<ImWchar> body_ranges, heading_ranges;  // must outlive the atlas build
  body_ranges = glyph_ranges(scripts, false);
  heading_ranges = glyph_ranges(scripts, true);
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  ImFontConfig cfg;
  cfg.FontDataOwnedByAtlas = false;  // the data lives in the wasm image
  cfg.OversampleH = 1;
  cfg.PixelSnapH = true;
  auto* data = const_cast<unsigned char*>(kPortalFont);
  g.fonts.body = io.Fonts->AddFontFromMemoryTTF(data, int(kPortalFontSize), float(kBodyPx * scale * dpr), &cfg, body_ranges.Data);
  g.fonts.heading =
      io.Fonts->AddFontFromMemoryTTF(data, int(kPortalFontSize), float(kHeadingPx * scale * dpr), &cfg, heading_ranges.Data);
  io.FontGlobalScale = float(1.0 / dpr);  // rasterised at device pixels, laid out in CSS pixels
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
  g.dpr = dpr;
  g.scripts = scripts;
  g.text_scale = scale;
  cx_publish_font_scripts(scripts);
}

ImGuiKey key_from_code(const char* code) {
  struct Entry {
    const char* code;
    ImGuiKey key;
  };
  static const Entry table[] = {
      {"Tab", ImGuiKey_Tab},         {"ArrowLeft", ImGuiKey_LeftArrow}, {"ArrowRight", ImGuiKey_RightArrow},
      {"ArrowUp", ImGuiKey_UpArrow}, {"ArrowDown", ImGuiKey_DownArrow}, {"PageUp", ImGuiKey_PageUp},
      {"PageDown", ImGuiKey_PageDown}, {"Home", ImGuiKey_Home},         {"End", ImGuiKey_End},
      {"Delete", ImGuiKey_Delete},   {"Backspace", ImGuiKey_Backspace}, {"Space", ImGuiKey_Space},
      {"Enter", ImGuiKey_Enter},     {"NumpadEnter", ImGuiKey_KeypadEnter}, {"Escape", ImGuiKey_Escape},
      {"KeyA", ImGuiKey_A},          {"KeyC", ImGuiKey_C},              {"KeyV", ImGuiKey_V},
      {"KeyX", ImGuiKey_X},          {"KeyY", ImGuiKey_Y},              {"KeyZ", ImGuiKey_Z},
  };
  for (const auto& e : table)
    if (std::strcmp(e.code, code) == 0) return e.key;
  return ImGuiKey_None;
}

void update_mods(const EmscriptenKeyboardEvent* e) {
  ImGuiIO& io = ImGui::GetIO();
  io.AddKeyEvent(ImGuiMod_Ctrl, e->ctrlKey);
  io.AddKeyEvent(ImGuiMod_Shift, e->shiftKey);
  io.AddKeyEvent(ImGuiMod_Alt, e->altKey);
  io.AddKeyEvent(ImGuiMod_Super, e->metaKey);
}

// One Unicode character (not a key name like "Enter")?
bool is_single_character(const char* s) {
  unsigned char c = static_cast<unsigned char>(s[0]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  return n && std::strlen(s) == n && c >= 0x20 && c != 0x7f;
}

EM_BOOL on_key(int type, const EmscriptenKeyboardEvent* e, void*) {
  ImGuiIO& io = ImGui::GetIO();
  update_mods(e);
  bool down = type == EMSCRIPTEN_EVENT_KEYDOWN;
  ImGuiKey key = key_from_code(e->code);
  // Tab stays the browser's: focus moves on through the page, so the canvas is no keyboard trap.
  if (key == ImGuiKey_Tab) return EM_FALSE;
  if (key != ImGuiKey_None) io.AddKeyEvent(key, down);
  request_frames();
  bool shortcut = e->ctrlKey || e->metaKey;
  if (down && !shortcut && is_single_character(e->key)) io.AddInputCharactersUTF8(e->key);
  // Ctrl/Cmd+V must reach the browser, or no paste event follows.
  if (shortcut && std::strcmp(e->code, "KeyV") == 0) return EM_FALSE;
  return (io.WantTextInput || io.WantCaptureKeyboard) && (key != ImGuiKey_None || is_single_character(e->key));
}

EM_BOOL on_mouse(int type, const EmscriptenMouseEvent* e, void*) {
  ImGuiIO& io = ImGui::GetIO();
  io.AddMouseSourceEvent(ImGuiMouseSource_Mouse);
  io.AddMousePosEvent(float(e->targetX), float(e->targetY));
  if (type == EMSCRIPTEN_EVENT_MOUSEDOWN || type == EMSCRIPTEN_EVENT_MOUSEUP) {
    int button = e->button == 0 ? 0 : e->button == 2 ? 1 : e->button == 1 ? 2 : -1;
    if (button >= 0) io.AddMouseButtonEvent(button, type == EMSCRIPTEN_EVENT_MOUSEDOWN);
  }
  if (type == EMSCRIPTEN_EVENT_MOUSELEAVE) io.AddMousePosEvent(-FLT_MAX, -FLT_MAX);
  request_frames();
  return EM_FALSE;  // true would also stop the browser focusing the canvas on mousedown
}

// Whether a vertical wheel would move something in the portal: the window under the pointer,
// or the nearest parent ImGui would pass the wheel to, can still scroll that way (as of the last
// frame). When not, the browser scrolls the page, or the seller's page around our iframe, the
// way a scrolled-to-the-end element hands the wheel on.
bool portal_scrolls(double delta_y) {
  for (ImGuiWindow* w = ImGui::GetCurrentContext()->HoveredWindow; w; w = w->ParentWindow) {
    bool scrollable = w->ScrollMax.y > 0 && !(w->Flags & ImGuiWindowFlags_NoScrollWithMouse);
    if (scrollable) return delta_y > 0 ? w->Scroll.y < w->ScrollMax.y : w->Scroll.y > 0;
    if (!(w->Flags & ImGuiWindowFlags_ChildWindow)) break;
  }
  return false;
}

EM_BOOL on_wheel(int, const EmscriptenWheelEvent* e, void*) {
  ImGuiIO& io = ImGui::GetIO();
  double scale = e->deltaMode == DOM_DELTA_LINE ? 1.0 : e->deltaMode == DOM_DELTA_PAGE ? 10.0 : 1.0 / 40.0;
  io.AddMouseWheelEvent(float(-e->deltaX * scale), float(-e->deltaY * scale));
  request_frames();
  return io.WantCaptureMouse && portal_scrolls(e->deltaY);  // otherwise the page scrolls
}

EM_BOOL on_touch(int type, const EmscriptenTouchEvent* e, void*) {
  ImGuiIO& io = ImGui::GetIO();
  const EmscriptenTouchPoint* t = nullptr;
  for (int i = 0; i < e->numTouches; ++i)
    if (e->touches[i].isChanged) t = &e->touches[i];
  if (!t) return EM_FALSE;
  io.AddMouseSourceEvent(ImGuiMouseSource_TouchScreen);
  float x = float(t->targetX), y = float(t->targetY);
  if (type == EMSCRIPTEN_EVENT_TOUCHSTART) {
    g.touch_y = y;
    g.touch_scrolling = false;
    io.AddMousePosEvent(x, y);
    io.AddMouseButtonEvent(0, true);
  } else if (type == EMSCRIPTEN_EVENT_TOUCHMOVE) {
    // A finger dragging up or down scrolls what is under it (ImGui itself scrolls only by wheel):
    // once past a small slop the press is let go, so a drag never ends as a click.
    float dy = y - g.touch_y;
    if (!g.touch_scrolling && std::fabs(dy) > 8) {
      g.touch_scrolling = true;
      io.AddMousePosEvent(-FLT_MAX, -FLT_MAX);
      io.AddMouseButtonEvent(0, false);
      io.AddMousePosEvent(x, y);
    }
    if (g.touch_scrolling) {
      io.AddMouseWheelEvent(0, dy / (5 * ImGui::GetFontSize()));  // ImGui scrolls 5 lines a notch
      g.touch_y = y;
    } else {
      io.AddMousePosEvent(x, y);
    }
  } else {
    if (!g.touch_scrolling) io.AddMouseButtonEvent(0, false);
    io.AddMousePosEvent(-FLT_MAX, -FLT_MAX);  // no hover left behind by a finger
  }
  request_frames(3);
  return EM_TRUE;  // no emulated mouse events after the touch
}

EM_BOOL on_focus(int type, const EmscriptenFocusEvent*, void*) {
  ImGui::GetIO().AddFocusEvent(type == EMSCRIPTEN_EVENT_FOCUS);
  request_frames();
  return EM_FALSE;
}

void set_clipboard(void*, const char* text) {
  EM_ASM({ if (navigator.clipboard) navigator.clipboard.writeText(UTF8ToString($0)).catch(function () {}); }, text);
}

void draw_frame() {
  double started = emscripten_get_now();
  double css_w = 0, css_h = 0;
  emscripten_get_element_css_size(kCanvas, &css_w, &css_h);
  double dpr = emscripten_get_device_pixel_ratio();
  unsigned scripts = continuata::portal::portal_app_scripts() | g.scripts;
  // Browser zoom and moving between screens change the density; new data may need new scripts;
  // the reader's text size (the root font size) scales the text.
  double scale = cx_text_scale();
  if (dpr != g.dpr || scripts != g.scripts || scale != g.text_scale) build_fonts(dpr, scripts, scale);
  int fb_w = int(std::lround(css_w * dpr)), fb_h = int(std::lround(css_h * dpr));
  int cur_w = 0, cur_h = 0;
  emscripten_get_canvas_element_size(kCanvas, &cur_w, &cur_h);
  if (cur_w != fb_w || cur_h != fb_h) emscripten_set_canvas_element_size(kCanvas, fb_w, fb_h);

  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(float(css_w), float(css_h));
  io.DisplayFramebufferScale = ImVec2(float(dpr), float(dpr));
  double now = continuata::platform::now_ms();
  static double last = now;
  io.DeltaTime = float(std::max(0.001, (now - last) / 1000.0));
  last = now;

  ImGui_ImplOpenGL3_NewFrame();
  double ui_started = emscripten_get_now();
  ImGui::NewFrame();
  bool busy = continuata::portal::portal_app_frame(now);
  ImGui::Render();
  double ui_ms = emscripten_get_now() - ui_started;  // the portal's own work, without GL submission
  glViewport(0, 0, fb_w, fb_h);
  ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  ++g.frames;
  bool changed = false;
  const char* sem = continuata::portal::portal_app_semantics_json(&changed);
  cx_publish_frame(g.frames, emscripten_get_now() - started, ui_ms, changed ? sem : nullptr);
  int wanted = int(std::ceil(continuata::portal::portal_app_content_height()));
  if (wanted != g.reported_height) cx_report_content_height(g.reported_height = wanted);
  // When everything fits, a vertical drag on the canvas scrolls the page (an embedded widget on a
  // phone); when the portal has to scroll its list, the drag is ours.
  int page_scrolls = wanted <= css_h + 1 ? 1 : 0;
  if (page_scrolls != g.touch_scrolls_page) cx_set_touch_scrolls_page(g.touch_scrolls_page = page_scrolls);
  // ImGui trickles fast input over several frames (a key per frame, a click after typed text), so
  // a burst of typing followed by a tap is still queued after the frames the input asked for.
  if (busy || !ImGui::GetCurrentContext()->InputEventsQueue.empty()) request_frames(1);
}

void on_timer(void*) {
  g.timer = 0;
  request_frames(1);
}

EM_BOOL on_animation_frame(double, void*) {
  g.frame_scheduled = false;
  draw_frame();
  if (g.extra_frames > 0) {
    --g.extra_frames;
    schedule_frame();
    return EM_FALSE;
  }
  // Idle: nothing is drawn until input, a response, or the next countdown second.
  double wake = continuata::portal::portal_app_next_wakeup_ms();
  if (g.timer) emscripten_clear_timeout(g.timer);
  g.timer = 0;
  if (std::isfinite(wake)) g.timer = emscripten_set_timeout(on_timer, std::max(1.0, wake - continuata::platform::now_ms()), nullptr);
  return EM_FALSE;
}

void schedule_frame() {
  if (g.frame_scheduled) return;
  g.frame_scheduled = true;
  emscripten_request_animation_frame(on_animation_frame, nullptr);
}

}  // namespace

namespace continuata::platform {
void request_frame() { request_frames(1); }
}  // namespace continuata::platform

extern "C" {
EMSCRIPTEN_KEEPALIVE void portal_request_frame() { request_frames(1); }
EMSCRIPTEN_KEEPALIVE void portal_a11y_action(const char* kind, const char* id, const char* value) {
  continuata::portal::portal_app_a11y_action(kind, id, value);
  request_frames();
}
EMSCRIPTEN_KEEPALIVE void portal_color_scheme_changed(int dark) {
  continuata::portal::portal_app_color_scheme_changed(dark != 0);
  request_frames(1);
}
}

int main() {
  EmscriptenWebGLContextAttributes attrs;
  emscripten_webgl_init_context_attributes(&attrs);
  attrs.majorVersion = 2;
  attrs.minorVersion = 0;
  attrs.alpha = false;
  attrs.antialias = false;
  attrs.depth = false;
  attrs.stencil = false;
  EMSCRIPTEN_WEBGL_CONTEXT_HANDLE ctx = emscripten_webgl_create_context(kCanvas, &attrs);
  if (ctx <= 0) {
    std::fprintf(stderr, "WebGL2 is not available\n");
    return 1;
  }
  emscripten_webgl_make_context_current(ctx);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.ConfigInputTextCursorBlink = false;  // a blinking caret would mean a frame every half second
  io.SetClipboardTextFn = set_clipboard;
  io.BackendPlatformName = "continuata_html5";
  ImGui_ImplOpenGL3_Init("#version 300 es");
  build_fonts(emscripten_get_device_pixel_ratio(), 0, cx_text_scale());

  emscripten_set_mousedown_callback(kCanvas, nullptr, false, on_mouse);
  emscripten_set_mouseup_callback(kCanvas, nullptr, false, on_mouse);
  emscripten_set_mousemove_callback(kCanvas, nullptr, false, on_mouse);
  emscripten_set_mouseleave_callback(kCanvas, nullptr, false, on_mouse);
  emscripten_set_wheel_callback(kCanvas, nullptr, false, on_wheel);
  emscripten_set_keydown_callback(kCanvas, nullptr, false, on_key);
  emscripten_set_keyup_callback(kCanvas, nullptr, false, on_key);
  emscripten_set_touchstart_callback(kCanvas, nullptr, false, on_touch);
  emscripten_set_touchmove_callback(kCanvas, nullptr, false, on_touch);
  emscripten_set_touchend_callback(kCanvas, nullptr, false, on_touch);
  emscripten_set_touchcancel_callback(kCanvas, nullptr, false, on_touch);
  emscripten_set_focus_callback(kCanvas, nullptr, false, on_focus);
  emscripten_set_blur_callback(kCanvas, nullptr, false, on_focus);
  cx_install_page_hooks();

  continuata::portal::portal_app_start(&g.fonts);
  request_frames();
  return 0;
}
