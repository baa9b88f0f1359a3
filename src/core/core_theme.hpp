// The portal's colours and corner radius from the seller's configuration (accent colour,
// light/dark/auto, radius), with every text colour kept at WCAG AA contrast (4.5:1) against what
// it is drawn on, whatever accent a seller picks.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace continuata::core {

struct Rgb {
  float r = 0, g = 0, b = 0;  // 0..1, sRGB
  bool operator==(const Rgb&) const = default;
};

// As configured on the page (data-* attributes, portal.config.json, URL): strings, unchecked.
struct ThemeConfig {
  std::string accent;  // "#2554d9" or "2554d9"
  std::string scheme;  // "light", "dark" or "auto" (the browser's prefers-color-scheme)
  std::string radius;  // corner radius in CSS px, 0..24
};

struct Palette {
  bool dark = false;
  Rgb background, surface, text, muted, border, error, badge;
  Rgb accent;       // filled buttons
  Rgb on_accent;    // text on those buttons
  Rgb accent_text;  // links and accented text on the background
  Rgb button, button_hovered, button_active;
  float radius = 8;
};

std::optional<Rgb> parse_hex_colour(std::string_view text);
// "#rrggbb", for pages and mail written as HTML (the server's) in the portal's colours.
std::string css_hex(Rgb colour);
// WCAG 2 contrast ratio, 1..21.
double contrast_ratio(Rgb a, Rgb b);
// The palette for this configuration; `prefers_dark` is the browser's colour scheme, used when
// the scheme is "auto" or not set. Invalid values fall back to the defaults.
Palette make_palette(const ThemeConfig& config, bool prefers_dark);

}  // namespace continuata::core
