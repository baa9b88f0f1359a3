// The portal's look in Dear ImGui terms: ImGui's style set from a palette (core::make_palette:
// the seller's accent, light or dark, radius; text contrast at least WCAG AA), and a palette
// colour as ImGui wants it. The screens themselves are in portal_views.
#pragma once
#include <imgui.h>

#include "core/core_theme.hpp"

namespace continuata::portal {

inline ImVec4 colour(core::Rgb c, float alpha = 1) {
  return ImVec4(c.r, c.g, c.b, alpha);
}

// Sets the current ImGui context's style (spacing, rounding, every colour) for this palette.
void apply_portal_style(const core::Palette& palette);

}  // namespace continuata::portal
