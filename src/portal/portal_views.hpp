// The portal's Dear ImGui screens: email, code, library, and the status line. They read the
// core State, record every widget in the semantics list, and return the user's actions as
// events; no HTTP, JSON or browser calls here.
#pragma once
#include <set>
#include <string>
#include <vector>

#include "core/core_semantics.hpp"
#include "core/core_state.hpp"
#include "core/core_theme.hpp"

namespace continuata::portal {

struct Fonts {
  void* body = nullptr;     // ImFont*, kept opaque so the header needs no ImGui
  void* heading = nullptr;
};

// The seller's name and logo (an ImTextureID and its size), when configured and loaded.
struct Branding {
  std::string name;
  void* logo = nullptr;
  float logo_w = 0, logo_h = 0;
};

// What the customer did on the page's accessibility elements since the last frame (see
// web/portal-a11y.js): buttons activated there, and the widget that has the browser's focus.
struct Interaction {
  std::set<std::string> activated;
  std::string focused;
};

// `content_height`: the CSS pixels the current screen needs without scrolling (every row of the
// library laid out), which an embedding page sizes its iframe to.
std::vector<core::Event> draw_portal(const core::State& state, const Fonts& fonts, const Branding& brand,
                                     const Interaction& ui, core::Semantics& semantics, float& content_height);

// The portal's look from a palette (core::make_palette: the seller's accent, light or dark,
// radius; text contrast at least WCAG AA).
void apply_portal_style(const core::Palette& palette);

}  // namespace continuata::portal
