// The html5.h input backend (see platform_web_input.hpp).
#include "platform/platform_web_input.hpp"

#include <emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_internal.h>  // HoveredWindow, ScrollMax: whether the portal can scroll

#include <cfloat>
#include <cmath>
#include <cstring>

#include "platform/platform_web_loop.hpp"

namespace continuata::platform {
namespace {

// A finger on the canvas: its last position while it drags, and whether it is scrolling.
struct Touch {
  float y = 0;
  bool scrolling = false;
} g_touch;

ImGuiKey key_from_code(const char* code) {
  struct Entry {
    const char* code;
    ImGuiKey key;
  };
  static const Entry table[] = {
      {"Tab", ImGuiKey_Tab},
      {"ArrowLeft", ImGuiKey_LeftArrow},
      {"ArrowRight", ImGuiKey_RightArrow},
      {"ArrowUp", ImGuiKey_UpArrow},
      {"ArrowDown", ImGuiKey_DownArrow},
      {"PageUp", ImGuiKey_PageUp},
      {"PageDown", ImGuiKey_PageDown},
      {"Home", ImGuiKey_Home},
      {"End", ImGuiKey_End},
      {"Delete", ImGuiKey_Delete},
      {"Backspace", ImGuiKey_Backspace},
      {"Space", ImGuiKey_Space},
      {"Enter", ImGuiKey_Enter},
      {"NumpadEnter", ImGuiKey_KeypadEnter},
      {"Escape", ImGuiKey_Escape},
      {"KeyA", ImGuiKey_A},
      {"KeyC", ImGuiKey_C},
      {"KeyV", ImGuiKey_V},
      {"KeyX", ImGuiKey_X},
      {"KeyY", ImGuiKey_Y},
      {"KeyZ", ImGuiKey_Z},
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
  return (io.WantTextInput || io.WantCaptureKeyboard) &&
         (key != ImGuiKey_None || is_single_character(e->key));
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
    g_touch.y = y;
    g_touch.scrolling = false;
    io.AddMousePosEvent(x, y);
    io.AddMouseButtonEvent(0, true);
  } else if (type == EMSCRIPTEN_EVENT_TOUCHMOVE) {
    // A finger dragging up or down scrolls what is under it (ImGui itself scrolls only by wheel):
    // once past a small slop the press is let go, so a drag never ends as a click.
    float dy = y - g_touch.y;
    if (!g_touch.scrolling && std::fabs(dy) > 8) {
      g_touch.scrolling = true;
      io.AddMousePosEvent(-FLT_MAX, -FLT_MAX);
      io.AddMouseButtonEvent(0, false);
      io.AddMousePosEvent(x, y);
    }
    if (g_touch.scrolling) {
      io.AddMouseWheelEvent(0, dy / (5 * ImGui::GetFontSize()));  // ImGui scrolls 5 lines a notch
      g_touch.y = y;
    } else {
      io.AddMousePosEvent(x, y);
    }
  } else {
    if (!g_touch.scrolling) io.AddMouseButtonEvent(0, false);
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
  EM_ASM(
      {
        if (navigator.clipboard) navigator.clipboard.writeText(UTF8ToString($0)).catch(function(){});
      },
      text);
}

}  // namespace

void input_install(const char* canvas) {
  ImGuiIO& io = ImGui::GetIO();
  io.SetClipboardTextFn = set_clipboard;
  io.BackendPlatformName = "continuata_html5";
  emscripten_set_mousedown_callback(canvas, nullptr, false, on_mouse);
  emscripten_set_mouseup_callback(canvas, nullptr, false, on_mouse);
  emscripten_set_mousemove_callback(canvas, nullptr, false, on_mouse);
  emscripten_set_mouseleave_callback(canvas, nullptr, false, on_mouse);
  emscripten_set_wheel_callback(canvas, nullptr, false, on_wheel);
  emscripten_set_keydown_callback(canvas, nullptr, false, on_key);
  emscripten_set_keyup_callback(canvas, nullptr, false, on_key);
  emscripten_set_touchstart_callback(canvas, nullptr, false, on_touch);
  emscripten_set_touchmove_callback(canvas, nullptr, false, on_touch);
  emscripten_set_touchend_callback(canvas, nullptr, false, on_touch);
  emscripten_set_touchcancel_callback(canvas, nullptr, false, on_touch);
  emscripten_set_focus_callback(canvas, nullptr, false, on_focus);
  emscripten_set_blur_callback(canvas, nullptr, false, on_focus);
}

}  // namespace continuata::platform
