// Sizes, countdowns, waits, version comparison and case-insensitive search as the portal shows them.
#include <doctest/doctest.h>

#include "core/core_format.hpp"

using namespace continuata::core;

TEST_CASE("human sizes use decimal units with one decimal under 100") {
  CHECK(human_size(0) == "0 B");
  CHECK(human_size(980) == "980 B");
  CHECK(human_size(307200) == "307 KB");
  CHECK(human_size(1433600) == "1.4 MB");
  CHECK(human_size(157286400) == "157 MB");
  CHECK(human_size(2100000000) == "2.1 GB");
}

TEST_CASE("expiry countdown text") {
  const int64_t now = 1000000;
  CHECK(expiry_text(now + 24LL * 3600 * 1000, now) == "Expires in 24 h 0 min");
  CHECK(expiry_text(now + 24LL * 3600 * 1000 - 1, now) == "Expires in 23 h 59 min");
  CHECK(expiry_text(now + 59 * 60000 + 59000, now) == "Expires in 59 min");
  CHECK(expiry_text(now + 30000, now) == "Expires in less than a minute");
  CHECK(expiry_text(now, now) == "Expired");
}

TEST_CASE("waits read naturally") {
  CHECK(wait_text(1) == "Try again in 1 second.");
  CHECK(wait_text(42) == "Try again in 42 seconds.");
  CHECK(wait_text(600) == "Try again in 10 min.");
}

TEST_CASE("versions compare numerically, part by part") {
  CHECK(compare_versions("1.10.0", "1.9.2") > 0);
  CHECK(compare_versions("1.0", "1.0.0") == 0);
  CHECK(compare_versions("2.0.0", "10.0.0") < 0);
  CHECK(compare_versions("1.0.0-beta", "1.0.0") != 0);
  CHECK(update_available("1.0.0", "1.1.0"));
  CHECK_FALSE(update_available("1.1.0", "1.1.0"));
  CHECK_FALSE(update_available("2.0.0", "1.9.9"));
  CHECK_FALSE(update_available("", "1.0.0"));
}

TEST_CASE("search ignores case and needs no copies") {
  CHECK(contains_ignoring_case("Epic Drum Kit", "drum"));
  CHECK(contains_ignoring_case("Epic Drum Kit", "EPIC d"));
  CHECK(contains_ignoring_case("anything", ""));
  CHECK_FALSE(contains_ignoring_case("Epic", "epics"));
}

TEST_CASE("search folds the case of accented Latin, Greek and Cyrillic too") {
  CHECK(fold_case("ÉCOLE Überschall") == "école überschall");
  CHECK(fold_case("ΚΡΟΥΣΤΆ Ώρα") == "κρουστά ώρα");
  CHECK(fold_case("УДАРНЫЕ Ёлка") == "ударные ёлка");
  CHECK(fold_case("× · 漢字 €") == "× · 漢字 €");  // no case, unchanged
  CHECK(contains_ignoring_case("Ударные барабаны", "БАРАБ"));
  CHECK(contains_ignoring_case("Café Sounds", "CAFÉ"));
  CHECK_FALSE(contains_ignoring_case("Κρουστά", "ударные"));
}

TEST_CASE("scripts beyond Latin are detected so the font can grow to them") {
  CHECK(scripts_in("Epic Drum Kit — Vol. 1 (café)") == 0);
  CHECK(scripts_in("Κρουστά") == kScriptGreek);
  CHECK(scripts_in("Ударные") == kScriptCyrillic);
  CHECK(scripts_in("Drums Κ and Д") == (kScriptGreek | kScriptCyrillic));
}
