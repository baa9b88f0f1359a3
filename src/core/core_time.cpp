// ISO-8601 UTC formatting and parsing via the civil-date algorithms (days from 1970-01-01).
#include "core/core_time.hpp"

#include <cstdio>

namespace continuata::core {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days: exact for the proleptic Gregorian calendar.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = unsigned(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + int64_t(doe) - 719468;
}

void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = unsigned(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = int64_t(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

bool digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

}  // namespace

std::string format_iso8601_utc(int64_t ms) {
  int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  int64_t millis = ms - secs * 1000;
  int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  int64_t rem = secs - days * 86400;
  int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ", (long long)y, m, d, int(rem / 3600),
                int(rem / 60 % 60), int(rem % 60), int(millis));
  return buf;
}

std::optional<int64_t> parse_iso8601_utc(std::string_view s) {
  int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0;
  if (!digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
  size_t pos = 10;
  if (s.size() > 10) {
    if (s[10] != 'T' || !digits(s, 11, 2, h) || s.size() < 19 || s[13] != ':' || !digits(s, 14, 2, mi) ||
        s[16] != ':' || !digits(s, 17, 2, sec))
      return std::nullopt;
    if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
    pos = 19;
    if (pos < s.size() && s[pos] == '.') {
      size_t start = ++pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
      if (pos == start) return std::nullopt;
      int frac = 0;
      digits(s, start, std::min<size_t>(3, pos - start), frac);
      for (size_t n = pos - start; n < 3; ++n) frac *= 10;
      ms = frac;
    }
    if (pos >= s.size() || s[pos] != 'Z' || pos + 1 != s.size()) return std::nullopt;
  }
  // Reject dates like 2026-02-31 by round-tripping the day count.
  int64_t days = days_from_civil(y, unsigned(mo), unsigned(d));
  int64_t ry;
  unsigned rm, rd;
  civil_from_days(days, ry, rm, rd);
  if (ry != y || int(rm) != mo || int(rd) != d) return std::nullopt;
  return ((days * 86400 + h * 3600 + mi * 60 + sec) * 1000) + ms;
}

}  // namespace continuata::core
