// The portal's fonts in the browser: DejaVu Sans (subset at build time and compiled into the
// wasm) rasterised at device pixels for the density, the reader's text size and the scripts the
// data needs, and uploaded to the OpenGL3 renderer.
#pragma once

#include "portal/portal_views.hpp"

namespace continuata::platform {

// What the atlas was last built for.
struct WebFonts {
  double dpr = 0;         // the density the atlas was built for
  unsigned scripts = 0;   // the non-Latin scripts it holds (core::Script bits)
  double text_scale = 1;  // the page's root font size over 16 px, i.e. the reader's text size

  bool needs_rebuild(double new_dpr, unsigned new_scripts, double new_scale) const {
    return new_dpr != dpr || new_scripts != scripts || new_scale != text_scale;
  }
};

// Builds (or rebuilds) the atlas and the renderer's font texture; `out` gets the fonts.
void build_fonts(WebFonts& f, portal::Fonts& out, double dpr, unsigned scripts, double scale);

}  // namespace continuata::platform
