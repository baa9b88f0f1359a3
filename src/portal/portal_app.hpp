// The portal application: owns the core State, draws the views each frame, feeds their events
// to core::update and carries out the resulting commands through the platform services. The
// platform's runner calls these three functions and nothing else.
#pragma once
#include <string>

namespace continuata::portal {

struct Fonts;

// Once, after ImGui and the fonts are ready: reads the page configuration and the saved session.
// `fonts` stays owned by the platform, which may rebuild them (density, scripts) at any frame.
void portal_app_start(const Fonts* fonts);
// Inside NewFrame/Render. Returns true while it needs frames continuously (a request in flight).
bool portal_app_frame(double now_ms);
// When the screen next changes by itself (a countdown second), or infinity.
double portal_app_next_wakeup_ms();
// Non-Latin scripts the data on screen needs (core::Script bits), so the font can grow to them.
unsigned portal_app_scripts();
// What the customer did on the page's accessibility elements (web/portal-a11y.js): kind is
// activate, setValue, submit, cancel, focus or blur; id is the widget's semantics id.
void portal_app_a11y_action(const std::string& kind, const std::string& id, const std::string& value);
// The browser's light/dark preference changed (the theme follows it when set to "auto").
void portal_app_color_scheme_changed(bool dark);
// CSS pixels the current screen needs without scrolling, as of the last frame.
float portal_app_content_height();
// The semantics list of the last frame as JSON, and whether it changed in that frame.
const char* portal_app_semantics_json(bool* changed);

}  // namespace continuata::portal
