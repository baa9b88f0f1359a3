// The pieces every screen of portal_views is drawn with, shared by the files that draw one part
// of it (portal_views_history.cpp): the frame's context (Ctx: state, look, the semantics list
// and action table being filled) and the wrapping text, heading and button widgets, each
// recorded in the semantics list as it is drawn. Only src/portal includes this.
#pragma once
#include <imgui.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "core/core_semantics.hpp"
#include "core/core_state.hpp"
#include "core/core_theme.hpp"
#include "portal/portal_actions.hpp"
#include "portal/portal_style.hpp"
#include "portal/portal_views.hpp"

namespace continuata::portal::parts {

using core::Event;
using core::Screen;
using core::State;
using core::Status;

constexpr float kTouchTarget = 44.0f;

// One frame of drawing: what is drawn from, and the lists the widgets are recorded in.
struct Ctx {
  const State& s;
  const Fonts& fonts;
  const core::Palette& palette;  // the seller's theme, contrast-checked in core_theme
  Interaction& ui;
  core::Semantics& sem;
  ActionTable& actions;
  std::vector<Event>& events;
  bool touch = false;
  float content_height = 0;  // CSS px the screen needs without scrolling (for embedding)

  ImVec4 muted_colour() const { return colour(palette.muted); }
  float target_height() const { return std::max(ImGui::GetFrameHeight(), touch ? kTouchTarget : 0.0f); }

  core::SemanticNode& record(std::string id, std::string role, std::string name, std::string value = "",
                             bool disabled = false, std::string kind = "", std::string parent = "",
                             int level = 0) {
    ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    core::SemanticNode n;
    n.id = std::move(id);
    n.role = std::move(role);
    n.name = std::move(name);
    n.value = std::move(value);
    n.kind = std::move(kind);
    n.parent = std::move(parent);
    n.level = level;
    n.disabled = disabled;
    n.focused = ui.focused == n.id;
    // The focus ring, drawn where the browser's focus is (on the element over this widget).
    if (n.focused)
      ImGui::GetWindowDrawList()->AddRect(ImVec2(a.x - 3, a.y - 3), ImVec2(b.x + 3, b.y + 3),
                                          ImGui::GetColorU32(colour(palette.accent_text)),
                                          ImGui::GetStyle().FrameRounding + 3, 0, 2.5f);
    // Fitted: inside the current window's column horizontally (the layout test's check). Item
    // widths are CalcTextSize's, rounded up to a whole pixel by adding 0.99999 in float, which
    // turns a line exactly as wide as the column (glyph advances are whole pixels) into one
    // 1 px wider than the glyphs drawn: hence 1 px of slack.
    float lo = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMin().x;
    float hi = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    n.clipped = a.x < lo - 0.5f || b.x > hi + 1.0f;
    n.x = a.x;
    n.y = a.y;
    n.w = b.x - a.x;
    n.h = b.y - a.y;
    sem.push_back(std::move(n));
    return sem.back();
  }
};

// The purchase id a widget id ends in ("get-12" -> 12), or 0.
int64_t purchase_of(const std::string& id);

// Wrapped text (its role: text, status, alert) and a heading, recorded under `parent`.
core::SemanticNode& text(Ctx& c, std::string id, const std::string& s, ImVec4 col, std::string role = "text",
                         std::string parent = "");
core::SemanticNode& heading(Ctx& c, std::string id, const std::string& s, int level = 1,
                            std::string parent = "");

// The size a button with this label takes: its text wrapped to the column, at least a touch
// target tall on a touch screen, the whole column wide when `full`.
ImVec2 button_size(const Ctx& c, const std::string& label, bool full);
// Puts the next item of `width` on the current line when it fits there.
void flow(float width);

struct ButtonLook {
  bool enabled = true, primary = false, full = false, quiet = false;
};
// A button standing for `event` (a click emits it, and so does activating its element), named
// `name` for the page; `flowed` puts it beside the last item when it fits. Returns whether it
// was clicked in this frame.
bool button(Ctx& c, const std::string& id, const std::string& label, const std::string& name, Event event,
            ButtonLook look = {}, std::string parent = "", bool flowed = false);

}  // namespace continuata::portal::parts
