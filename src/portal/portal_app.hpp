// The portal application: owns the core State, draws the views each frame, feeds their events
// to core::update and carries out the resulting commands through the Services the platform gave
// it (portal_services.hpp). A runner (src/platform/platform_runner.hpp) drives it: start once,
// then frame() inside each ImGui NewFrame/Render, and the page's events in between.
#pragma once
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/core_semantics.hpp"
#include "core/core_state.hpp"
#include "portal/portal_services.hpp"
#include "portal/portal_views.hpp"

namespace continuata::portal {

class PortalApp {
 public:
  // Once, after ImGui and the fonts are ready: the page's configuration, the services (which
  // must outlive the app) and the fonts, which stay the runner's (it may rebuild them at any
  // frame: density, scripts).
  void start(const PageConfig& page, Services& services, const Fonts* fonts);
  // Inside NewFrame/Render. Returns true while it needs frames continuously (a request in flight
  // or a result waiting).
  bool frame(double now_ms);
  // What the customer did on the page's accessibility elements (web/portal-a11y.js): kind is
  // activate, setValue, submit, cancel, focus (value "pointer": by a click or a tap, so the
  // widget is not scrolled) or blur; id is the widget's semantics id. An action
  // with an event (the last frame's action table) is dispatched at once.
  void a11y_action(std::string_view kind, const std::string& id, const std::string& value);
  // The browser's light/dark preference changed (the theme follows it when set to "auto").
  void color_scheme_changed(bool dark);

  // When the screen next changes by itself (a countdown second), or infinity.
  double next_wakeup_ms() const;
  // Non-Latin scripts the data on screen needs (core::Script bits), so the font can grow to them.
  unsigned scripts();
  // CSS pixels the current screen needs without scrolling, as of the last frame.
  float content_height() const { return view_.content_height; }
  // The last frame's semantics; the generation goes up in each frame that changed them.
  const core::Semantics& semantics() const { return published_; }
  uint64_t semantics_generation() const { return generation_; }
  // The semantics as JSON for the page, serialised once per generation (when asked for).
  const std::string& semantics_json();
  // The library's row catalogue (every visible purchase, core::rows_json) and its generation,
  // which changes only when the list does (not while scrolling); "[]" off the library.
  uint64_t rows_generation() const { return view_.rows_generation; }
  const std::string& rows_json();
  const ActionTable& actions() const { return view_.actions; }
  const core::State& state() const { return state_; }

 private:
  void dispatch(const core::Event& e);
  void run(const core::Command& command);
  void apply_style();

  core::State state_;
  Services* services_ = nullptr;
  std::deque<core::Event> pending_;  // results that arrived between frames
  Look look_;
  core::ThemeConfig theme_;
  bool prefers_dark_ = false;
  Interaction ui_;
  ViewFrame view_;
  // The activations, Enters and Escapes answered since the last frame: a repeat before the next
  // frame is the same press (two clicks between frames are one, as on a canvas button).
  std::vector<std::pair<std::string, ActionKind>> answered_;
  core::Semantics published_;
  uint64_t generation_ = 0, json_generation_ = 0;
  std::string json_ = "[]";
  uint64_t rows_json_generation_ = 0;
  std::string rows_json_ = "[]";
  const core::Text* scripts_language_ = nullptr;
  unsigned language_scripts_ = 0;
};

}  // namespace continuata::portal
