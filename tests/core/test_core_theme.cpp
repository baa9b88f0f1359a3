// Theming: colours parse, schemes follow the configuration or the browser, and whatever accent a
// seller configures, every text colour keeps WCAG AA contrast (4.5:1) with what it sits on.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/core_theme.hpp"

using namespace continuata::core;

TEST_CASE("hex colours parse; anything else does not") {
  CHECK(parse_hex_colour("#ffffff") == Rgb{1, 1, 1});
  CHECK(parse_hex_colour("000000") == Rgb{0, 0, 0});
  CHECK(parse_hex_colour("#f00") == Rgb{1, 0, 0});
  CHECK_FALSE(parse_hex_colour("red").has_value());
  CHECK_FALSE(parse_hex_colour("#12345").has_value());
  CHECK_FALSE(parse_hex_colour("#gg0000").has_value());
  CHECK(css_hex(*parse_hex_colour("#3354d9")) == "#3354d9");
  CHECK(css_hex(Rgb{1, 0, 0.5f}) == "#ff0080");
  CHECK(contrast_ratio(Rgb{0, 0, 0}, Rgb{1, 1, 1}) == doctest::Approx(21.0));
  CHECK(contrast_ratio(Rgb{1, 1, 1}, Rgb{1, 1, 1}) == doctest::Approx(1.0));
}

TEST_CASE("light, dark and auto: the configuration wins, the browser decides auto") {
  CHECK_FALSE(make_palette({}, false).dark);
  CHECK(make_palette({}, true).dark);
  CHECK(make_palette({"", "auto", ""}, true).dark);
  CHECK(make_palette({"", "dark", ""}, false).dark);
  CHECK_FALSE(make_palette({"", "light", ""}, true).dark);
  CHECK(make_palette({}, false).radius == 8);
  CHECK(make_palette({"", "", "0"}, false).radius == 0);
  CHECK(make_palette({"", "", "99"}, false).radius == 24);
  CHECK(make_palette({"", "", "round"}, false).radius == 8);
}

TEST_CASE("every accent, in both schemes, keeps text at WCAG AA") {
  for (std::string accent :
       {"", "#3354d9", "#ffff00", "#00ff00", "#ffffff", "#000000", "#ff6600", "#7f7f7f", "nonsense"}) {
    for (bool dark : {false, true}) {
      CAPTURE(accent);
      CAPTURE(dark);
      Palette p = make_palette({accent, dark ? "dark" : "light", ""}, false);
      CHECK(contrast_ratio(p.text, p.background) >= 4.5);
      CHECK(contrast_ratio(p.text, p.surface) >= 4.5);
      CHECK(contrast_ratio(p.text, p.button) >= 4.5);
      CHECK(contrast_ratio(p.muted, p.background) >= 4.5);
      CHECK(contrast_ratio(p.error, p.background) >= 4.5);
      CHECK(contrast_ratio(p.badge, p.background) >= 4.5);
      CHECK(contrast_ratio(p.on_accent, p.accent) >= 4.5);
      CHECK(contrast_ratio(p.accent_text, p.background) >= 4.5);
      CHECK(contrast_ratio(p.border, p.background) >= 3.0);  // non-text: WCAG 1.4.11
    }
  }
  // A seller's accent that already reads well is kept as it is.
  CHECK(make_palette({"#1d3fb8", "light", ""}, false).accent == *parse_hex_colour("#1d3fb8"));
}

// assets/theme.json is the one owner of the colours; these hold it to what the core does with them.
TEST_CASE("the theme file's defaults are what the core computes for its default accent") {
  auto close = [](Rgb a, Rgb b) {
    return std::abs(a.r - b.r) <= 1.5f / 255 && std::abs(a.g - b.g) <= 1.5f / 255 &&
           std::abs(a.b - b.b) <= 1.5f / 255;
  };
  for (bool dark : {false, true}) {
    CAPTURE(dark);
    Palette declared = make_palette({"", dark ? "dark" : "light", ""}, false);
    Palette computed = make_palette({"#3354d9", dark ? "dark" : "light", ""}, false);
    CHECK(close(declared.accent, computed.accent));
    CHECK(close(declared.accent_text, computed.accent_text));
    CHECK(close(declared.on_accent, computed.on_accent));
  }
}

TEST_CASE("every colour of assets/theme.json reaches the palette, in both schemes") {
  std::ifstream in(std::string(CONTINUATA_SOURCE_DIR) + "/assets/theme.json");
  auto theme = nlohmann::json::parse(in);
  CHECK(parse_hex_colour(theme.at("accent").get<std::string>()) == make_palette({}, false).accent);
  CHECK(make_palette({}, false).radius == theme.at("radius").get<float>());
  for (const char* scheme : {"light", "dark"}) {
    Palette p = make_palette({"", scheme, ""}, false);
    CAPTURE(scheme);
    CHECK(parse_hex_colour(theme[scheme].at("background").get<std::string>()) == p.background);
    CHECK(parse_hex_colour(theme[scheme].at("text").get<std::string>()) == p.text);
    CHECK(parse_hex_colour(theme[scheme].at("buttonActive").get<std::string>()) == p.button_active);
    // A palette field no key fills stays black; none may.
    for (Rgb c : {p.background, p.surface, p.text, p.muted, p.border, p.error, p.badge, p.button,
                  p.button_hovered, p.button_active, p.accent_text, p.on_accent})
      CHECK_FALSE(c == Rgb{});
  }
}
