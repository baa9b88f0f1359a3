// Words and numbers as the portal shows them: file sizes, expiry countdowns, dates, waits, and
// whether a newer version than the purchased one exists.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace continuata::core {

// "980 B", "300 KB", "1.4 MB", "2.1 GB" (decimal units, as operating systems show downloads).
std::string human_size(int64_t bytes);
// "Expires in 23 h 59 min", "Expires in 59 min", "Expires in less than a minute", "Expired".
std::string expiry_text(int64_t expires_at_ms, int64_t now_ms);
// "2026-04-01"
std::string date_text(int64_t epoch_ms);
// "Try again in 42 seconds." / "Try again in 3 min."
std::string wait_text(int64_t seconds);
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
