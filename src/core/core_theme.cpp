// Palettes for the light and dark schemes (colours from assets/theme.json), the seller's accent
// fitted to them for contrast.
#include "core/core_theme.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <utility>

namespace continuata::core {
namespace {

struct ThemeColour {
  std::string_view name;
  unsigned rgb;
};
#include "core_theme_data.inc"  // kThemeAccent, kThemeRadius, kTheme_light[], kTheme_dark[]

// assets/theme.json's names of a scheme's colours, and the palette field each one fills.
constexpr std::pair<std::string_view, Rgb Palette::*> kPaletteFields[] = {
    {"background", &Palette::background},
    {"surface", &Palette::surface},
    {"text", &Palette::text},
    {"muted", &Palette::muted},
    {"border", &Palette::border},
    {"error", &Palette::error},
    {"badge", &Palette::badge},
    {"button", &Palette::button},
    {"buttonHovered", &Palette::button_hovered},
    {"buttonActive", &Palette::button_active},
    {"accentText", &Palette::accent_text},
    {"onAccent", &Palette::on_accent},
};

constexpr double kAA = 4.5;

Rgb hex(unsigned v) {
  return Rgb{float((v >> 16) & 255) / 255.f, float((v >> 8) & 255) / 255.f, float(v & 255) / 255.f};
}

double channel(float c) {
  return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}
double luminance(Rgb c) {
  return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

Rgb mix(Rgb a, Rgb b, float t) {
  return Rgb{a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t};
}

// `colour` moved toward `toward` just far enough to reach AA contrast against `against`.
Rgb with_contrast(Rgb colour, Rgb against, Rgb toward) {
  for (int step = 0; step <= 20; ++step) {
    Rgb c = mix(colour, toward, float(step) / 20.f);
    if (contrast_ratio(c, against) >= kAA) return c;
  }
  return toward;
}

}  // namespace

std::optional<Rgb> parse_hex_colour(std::string_view t) {
  if (!t.empty() && t[0] == '#') t.remove_prefix(1);
  if (t.size() == 3) {  // #abc -> #aabbcc
    std::string six{t[0], t[0], t[1], t[1], t[2], t[2]};
    return parse_hex_colour(six);
  }
  if (t.size() != 6 || t.find_first_not_of("0123456789abcdefABCDEF") != std::string_view::npos)
    return std::nullopt;
  return hex(unsigned(std::strtoul(std::string(t).c_str(), nullptr, 16)));
}

std::string css_hex(Rgb c) {
  auto byte = [](float v) { return unsigned(std::lround(std::clamp(v, 0.f, 1.f) * 255.f)); };
  char out[8];
  std::snprintf(out, sizeof out, "#%02x%02x%02x", byte(c.r), byte(c.g), byte(c.b));
  return out;
}

double contrast_ratio(Rgb a, Rgb b) {
  double la = luminance(a), lb = luminance(b);
  if (la < lb) std::swap(la, lb);
  return (la + 0.05) / (lb + 0.05);
}

Palette make_palette(const ThemeConfig& config, bool prefers_dark) {
  Palette p;
  p.dark = config.scheme == "dark" || (config.scheme != "light" && prefers_dark);
  for (const ThemeColour& c : p.dark ? std::span(kTheme_dark) : std::span(kTheme_light)) {
    for (const auto& [name, field] : kPaletteFields) {
      if (c.name == name) p.*field = hex(c.rgb);
    }
  }
  p.radius = kThemeRadius;
  auto seller_accent = parse_hex_colour(config.accent);
  if (seller_accent) {
    Rgb accent = *seller_accent;
    // Text on a filled accent button: white or near-black, whichever reads better; then the
    // accent itself is shifted (darker under white text, lighter under dark text) until AA holds.
    Rgb white = hex(0xffffff), ink = hex(0x111111);
    bool white_text = contrast_ratio(white, accent) >= contrast_ratio(ink, accent);
    p.on_accent = white_text ? white : ink;
    p.accent = with_contrast(accent, p.on_accent, white_text ? Rgb{} : white);
    // Accent as text on the background: toward the scheme's text colour until AA holds.
    p.accent_text = with_contrast(accent, p.background, p.text);
  } else {  // the default accent, as assets/theme.json gives it for this scheme
    p.accent = hex(kThemeAccent);
  }
  char* end = nullptr;
  long radius = std::strtol(config.radius.c_str(), &end, 10);
  if (!config.radius.empty() && end && *end == '\0') p.radius = float(std::clamp(radius, 0L, 24L));
  return p;
}

}  // namespace continuata::core
