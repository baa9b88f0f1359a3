// Words and numbers as the portal shows them: file sizes, expiry countdowns, dates, waits, and
// whether a newer version than the purchased one exists.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "core/core_text.hpp"

namespace continuata::core {

// Each in the catalogue's language (English shown):
// "980 B", "300 KB", "1.4 MB", "2.1 GB" (decimal units, as operating systems show downloads).
std::string human_size(int64_t bytes, const Text& text = Text::english());
// "Expires in 23 h 59 min", "Expires in 59 min", "Expires in less than a minute", "Expired".
std::string expiry_text(int64_t expires_at_ms, int64_t now_ms, const Text& text = Text::english());
// "2026-04-01" (German "01.04.2026", French "01/04/2026"), in UTC.
std::string date_text(int64_t epoch_ms, const Text& text = Text::english());
// "Try again in 42 seconds." / "Try again in 3 min."
std::string wait_text(int64_t seconds, const Text& text = Text::english());
// Numeric comparison of dotted versions ("1.10.0" > "1.9.2"); non-numeric parts compare as text.
int compare_versions(std::string_view a, std::string_view b);
bool update_available(std::string_view purchased, std::string_view latest);
// Scripts beyond Latin that a text uses, as bits: the UI font rasterises them only when needed.
enum Script : unsigned { kScriptGreek = 1, kScriptCyrillic = 2 };
unsigned scripts_in(std::string_view utf8);
// Lower case for search: ASCII, Latin-1 letters, Greek and Cyrillic (the scripts the font draws);
// other UTF-8 passes through unchanged. Same byte length is not promised.
std::string fold_case(std::string_view utf8);
// Case-insensitive substring test, as fold_case folds.
bool contains_ignoring_case(std::string_view haystack, std::string_view needle);

}  // namespace continuata::core
