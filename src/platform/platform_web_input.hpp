// The portal's Dear ImGui platform backend on emscripten/html5.h, bound to the portal's canvas
// only (not emcc 3.1.6's built-in GLFW, which takes keys for the whole page, lands taps at the
// previous touch and reads text from the deprecated keypress).
//
// Implemented: mouse, wheel (on the canvas only; the page scrolls unless a portal list can still
//   scroll), touch (as a mouse source, hover cleared after the touch, a drag scrolls), keys with
//   modifiers, text from keydown's key, focus/blur, the clipboard for ImGui's own copy.
// Not here: text fields, paste, IME and autofill are real DOM inputs kept over the canvas by
//   web/portal-a11y.js (platform_web_a11y.js); sizes and density are the runner's.
#pragma once

namespace continuata::platform {

// Registers the input callbacks on `canvas` (a CSS selector) and ImGui's clipboard function;
// every input asks the loop (platform_web_loop.hpp) for frames.
void input_install(const char* canvas);

}  // namespace continuata::platform
