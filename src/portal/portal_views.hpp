// The portal's Dear ImGui screens: email, code, library, and the status line. They read the
// core State, record every widget in the semantics list and in the action table (what an action
// on its accessibility element means), and return the user's actions as events; no HTTP, JSON
// or browser calls here. The look (ImGui's style) is portal_style's.
#pragma once
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/core_semantics.hpp"
#include "core/core_state.hpp"
#include "core/core_theme.hpp"
#include "portal/portal_actions.hpp"

namespace continuata::portal {

struct Fonts {
  void* body = nullptr;  // ImFont*, kept opaque so the header needs no ImGui
  void* heading = nullptr;
};

// The seller's name and logo (an ImTextureID and its size), when configured and loaded.
struct Branding {
  std::string name;
  void* logo = nullptr;
  float logo_w = 0, logo_h = 0;
};

// What the screens are drawn with: fonts (owned by the runner, which may rebuild them at any
// frame), the seller's branding, the palette of apply_portal_style.
struct Look {
  const Fonts* fonts = nullptr;
  Branding brand;
  core::Palette palette = core::make_palette({}, false);
  bool touch = false;  // a touch screen (coarse pointer): controls at least 44 px tall
};

// What the views keep from frame to frame: the widget that has the browser's focus (on its
// element in web/portal-a11y.js), and the screen last drawn (a new screen's field takes focus).
struct Interaction {
  std::string focused;
  core::Screen last_screen = core::Screen::Library;  // so the first screen takes focus too
  std::string scrolled_for;                          // the focus the list last scrolled in
  std::string column_scrolled_for;                   // the focus the library's column last scrolled to
  std::string widget_in_sight_for;                   // the focused row control last scrolled into sight
  std::string history_in_sight_for;                  // the open history (and its height) last scrolled in
  std::set<int64_t> files_in_sight;                  // open file lists scrolled into sight once
  std::set<std::string> full_checksums;              // files ("<purchase>-<index>") shown in full
  // The library's row heights as last drawn, per purchase (0: not drawn yet), valid for this
  // column width, text size and pointer.
  std::vector<float> row_h;
  float row_h_width = 0, row_h_font = 0;
  bool row_h_touch = false;
  // The row catalogue (every visible purchase, for the page's tree) and what it was built from.
  std::vector<core::RowSummary> rows;
  uint64_t rows_generation = 0;
  std::vector<size_t> rows_visible;
  const core::Text* rows_text = nullptr;
  std::vector<std::pair<int64_t, std::string>> rows_links;
  std::set<int64_t> rows_expanded;
  int64_t rows_history_open = -1;
  std::set<int64_t> rows_notes_open;
  const void* rows_purchases = nullptr;
  size_t rows_count = 0;
  // Per purchase: its details text ("" until made) and whether it was made for a refunded purchase
  // (a refund learnt from a download link's 410 changes the row without a new list).
  struct Details {
    std::string text;
    bool refunded = false;
  };
  std::vector<Details> details;
  const core::Text* details_text = nullptr;
};

// One frame's output of the views.
struct ViewFrame {
  std::vector<core::Event> events;  // what the customer did on the canvas in this frame
  core::Semantics semantics;        // every widget drawn, in Tab order
  ActionTable actions;              // what an action on each widget's element means
  // The CSS pixels the current screen needs without scrolling (every row of the library laid
  // out), which an embedding page sizes its iframe to.
  float content_height = 0;
  // Every visible purchase of the library in order (the page's tree holds them all, on screen
  // or not), and its generation: 0 off the library, going up whenever the list changes.
  const std::vector<core::RowSummary>* rows = nullptr;
  uint64_t rows_generation = 0;
};

// Draws the current screen inside NewFrame/Render; `out` is overwritten.
void draw_portal(const core::State& state, const Look& look, Interaction& ui, ViewFrame& out);

}  // namespace continuata::portal
