// The portal's fonts (see platform_fonts.hpp).
#include "platform/platform_fonts.hpp"

#include <imgui.h>

#include "core/core_format.hpp"

namespace continuata::platform {
namespace {

constexpr float kBodyPx = 16.0f, kHeadingPx = 21.0f;

// Glyphs for Latin (with Extended-A accents) and typographic punctuation always; Greek and
// Cyrillic only once a product name needs them: fewer glyphs to rasterise before the first frame.
ImVector<ImWchar> glyph_ranges(unsigned scripts, bool heading) {
  ImVector<ImWchar> r;
  auto add = [&](ImWchar a, ImWchar b) {
    r.push_back(a);
    r.push_back(b);
  };
  add(0x0020, heading ? 0x00FF : 0x017F);
  if (scripts & core::kScriptGreek) add(0x0370, 0x03FF);
  if (scripts & core::kScriptCyrillic) add(0x0400, 0x04FF);
  add(0x2010, 0x2027);
  add(0x20AC, 0x20AC);
  add(0x2190, 0x2193);
  r.push_back(0);
  return r;
}

}  // namespace

void add_portal_fonts(const unsigned char* ttf, int ttf_size, double scale, double dpr, unsigned scripts,
                      portal::Fonts& out) {
  static ImVector<ImWchar> body_ranges, heading_ranges;  // must outlive the atlas build
  body_ranges = glyph_ranges(scripts, false);
  heading_ranges = glyph_ranges(scripts, true);
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  ImFontConfig cfg;
  cfg.FontDataOwnedByAtlas = false;  // the caller's bytes
  cfg.OversampleH = 1;
  cfg.PixelSnapH = true;
  auto* data = const_cast<unsigned char*>(ttf);
  out.body =
      io.Fonts->AddFontFromMemoryTTF(data, ttf_size, float(kBodyPx * scale * dpr), &cfg, body_ranges.Data);
  out.heading = io.Fonts->AddFontFromMemoryTTF(data, ttf_size, float(kHeadingPx * scale * dpr), &cfg,
                                               heading_ranges.Data);
  io.FontGlobalScale = float(1.0 / dpr);  // rasterised at device pixels, laid out in CSS pixels
}

}  // namespace continuata::platform
