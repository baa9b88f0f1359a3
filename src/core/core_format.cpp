// Formatting and comparison helpers of the portal.
#include "core/core_format.hpp"

#include <cstdio>

#include "core/core_time.hpp"

namespace continuata::core {

std::string human_size(int64_t bytes, const Text& text) {
  if (bytes < 1000) return text("size.bytes", {{"n", std::to_string(bytes)}});
  const char* units[] = {"size.kb", "size.mb", "size.gb", "size.tb"};
  double v = double(bytes);
  int u = -1;
  while (v >= 1000 && u < 3) {
    v /= 1000;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, (v >= 100 || u == 0) ? "%.0f" : "%.1f", v);
  std::string number = buf;
  if (auto dot = number.find('.'); dot != std::string::npos) number.replace(dot, 1, text("number.decimal"));
  return text(units[u], {{"n", number}});
}

std::string expiry_text(int64_t expires_at_ms, int64_t now_ms, const Text& text) {
  int64_t left = expires_at_ms - now_ms;
  if (left <= 0) return text("expiry.expired");
  int64_t minutes = left / 60000;
  if (minutes == 0) return text("expiry.under_a_minute");
  if (minutes < 60) return text("expiry.minutes", {{"m", std::to_string(minutes)}});
  return text("expiry.hours", {{"h", std::to_string(minutes / 60)}, {"m", std::to_string(minutes % 60)}});
}

std::string date_text(int64_t epoch_ms, const Text& text) {
  std::string iso = format_iso8601_utc(epoch_ms);  // YYYY-MM-DDT...
  return text("date.format",
              {{"yyyy", iso.substr(0, 4)}, {"mm", iso.substr(5, 2)}, {"dd", iso.substr(8, 2)}});
}

std::string wait_text(int64_t seconds, const Text& text) {
  if (seconds <= 1) return text("wait.second");
  if (seconds < 120) return text("wait.seconds", {{"n", std::to_string(seconds)}});
  return text("wait.minutes", {{"n", std::to_string((seconds + 59) / 60)}});
}

int compare_versions(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    size_t ie = a.find('.', i), je = b.find('.', j);
    if (ie == std::string_view::npos) ie = a.size();
    if (je == std::string_view::npos) je = b.size();
    std::string_view pa = i < a.size() ? a.substr(i, ie - i) : std::string_view("0");
    std::string_view pb = j < b.size() ? b.substr(j, je - j) : std::string_view("0");
    bool na = !pa.empty() && pa.find_first_not_of("0123456789") == std::string_view::npos;
    bool nb = !pb.empty() && pb.find_first_not_of("0123456789") == std::string_view::npos;
    if (na && nb) {
      while (pa.size() > 1 && pa[0] == '0') pa.remove_prefix(1);
      while (pb.size() > 1 && pb[0] == '0') pb.remove_prefix(1);
      if (pa.size() != pb.size()) return pa.size() < pb.size() ? -1 : 1;
    }
    if (pa != pb) return pa < pb ? -1 : 1;
    i = ie + 1;
    j = je + 1;
  }
  return 0;
}

bool update_available(std::string_view purchased, std::string_view latest) {
  return !purchased.empty() && !latest.empty() && compare_versions(latest, purchased) > 0;
}

unsigned scripts_in(std::string_view s) {
  unsigned out = 0;
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xE0) != 0xC0) continue;  // Greek and Cyrillic are two-byte sequences
    unsigned cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu);
    if (cp >= 0x370 && cp <= 0x3FF) out |= kScriptGreek;
    if (cp >= 0x400 && cp <= 0x4FF) out |= kScriptCyrillic;
  }
  return out;
}

namespace {

// The lower-case partner of one code point in the ranges fold_case covers.
char32_t fold(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;     // À..Þ except ×
  if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 32;  // Α..Ω
  switch (c) {                                                // accented Greek capitals
    case 0x386:
      return 0x3AC;
    case 0x388:
    case 0x389:
    case 0x38A:
      return c + 37;
    case 0x38C:
      return 0x3CC;
    case 0x38E:
    case 0x38F:
      return c + 63;
    default:
      break;
  }
  if (c >= 0x410 && c <= 0x42F) return c + 32;  // А..Я
  if (c >= 0x400 && c <= 0x40F) return c + 80;  // Ѐ..Џ
  return c;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += char(c);
  } else if (c < 0x800) {
    out += char(0xC0 | (c >> 6));
    out += char(0x80 | (c & 0x3F));
  } else {
    out += char(0xE0 | (c >> 12));
    out += char(0x80 | ((c >> 6) & 0x3F));
    out += char(0x80 | (c & 0x3F));
  }
}

}  // namespace

std::string fold_case(std::string_view t) {
  std::string out;
  out.reserve(t.size());
  for (size_t i = 0; i < t.size();) {
    unsigned char b = static_cast<unsigned char>(t[i]);
    // Only one- and two-byte sequences can fold here; everything else is copied as it is.
    if (b >= 0xC0 && b < 0xE0 && i + 1 < t.size() && (static_cast<unsigned char>(t[i + 1]) & 0xC0) == 0x80) {
      char32_t c = (char32_t(b & 0x1F) << 6) | (static_cast<unsigned char>(t[i + 1]) & 0x3F);
      append_utf8(out, fold(c));
      i += 2;
    } else {
      out += char(b < 0x80 ? fold(b) : b);
      ++i;
    }
  }
  return out;
}

bool contains_ignoring_case(std::string_view haystack, std::string_view needle) {
  return fold_case(haystack).find(fold_case(needle)) != std::string::npos;
}

}  // namespace continuata::core
