// Theming: colours parse, schemes follow the configuration or the browser, and whatever accent a
// seller configures, every text colour keeps WCAG AA contrast (4.5:1) with what it sits on.
#include <doctest/doctest.h>

#include "core/core_theme.hpp"

using namespace continuata::core;

TEST_CASE("hex colours parse; anything else does not") {
  CHECK(parse_hex_colour("#ffffff") == Rgb{1, 1, 1});
  CHECK(parse_hex_colour("000000") == Rgb{0, 0, 0});
  CHECK(parse_hex_colour("#f00") == Rgb{1, 0, 0});
  CHECK_FALSE(parse_hex_colour("red").has_value());
  CHECK_FALSE(parse_hex_colour("#12345").has_value());
  CHECK_FALSE(parse_hex_colour("#gg0000").has_value());
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
  for (std::string accent : {"", "#3354d9", "#ffff00", "#00ff00", "#ffffff", "#000000", "#ff6600", "#7f7f7f", "nonsense"}) {
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
