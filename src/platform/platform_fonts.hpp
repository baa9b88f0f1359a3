// The portal's two faces as both runners build them: DejaVu Sans (the browser's compiled-in
// subset, the native tests' Debian TTF it is cut from) at the body and heading sizes, with the
// glyph ranges of the scripts in use, rasterised at device pixels and laid out in CSS pixels.
// One definition, so what the layout test measures is what the browser draws.
#pragma once

#include "portal/portal_views.hpp"

namespace continuata::platform {

// Adds the body and heading fonts to ImGui's atlas (cleared first) from TTF bytes that outlive
// the atlas, for the reader's text size `scale`, the density `dpr` and the scripts beyond Latin
// (core::Script bits); `out` gets them. The caller builds and uploads the atlas.
void add_portal_fonts(const unsigned char* ttf, int ttf_size, double scale, double dpr, unsigned scripts,
                      portal::Fonts& out);

}  // namespace continuata::platform
