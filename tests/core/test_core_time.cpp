// ISO-8601 UTC round trips and rejection of malformed or impossible dates.
#include <doctest/doctest.h>

#include "core/core_time.hpp"

using namespace continuata::core;

TEST_CASE("formats epoch milliseconds as the API's UTC timestamps") {
  CHECK(format_iso8601_utc(0) == "1970-01-01T00:00:00.000Z");
  CHECK(format_iso8601_utc(1775088000000) == "2026-04-02T00:00:00.000Z");
  CHECK(format_iso8601_utc(1775088000000 + 86399999) == "2026-04-02T23:59:59.999Z");
}

TEST_CASE("parses what it formats, and plain dates") {
  for (int64_t ms : {int64_t(0), int64_t(951782400000), int64_t(1775088000123), int64_t(4102444799999)})
    CHECK(parse_iso8601_utc(format_iso8601_utc(ms)) == ms);
  CHECK(parse_iso8601_utc("2026-04-02") == 1775088000000);
  CHECK(parse_iso8601_utc("2026-04-02T00:00:00Z") == 1775088000000);
  CHECK(parse_iso8601_utc("2026-04-02T00:00:00.5Z") == 1775088000500);
}

TEST_CASE("rejects malformed and impossible timestamps") {
  for (const char* bad :
       {"", "2026", "2026-13-01", "2026-02-30", "2026-04-02T24:00:00Z", "2026-04-02T00:00:00",
        "2026-04-02T00:00:00+01:00", "2026-04-02x", "abcd-ef-gh", "2026-04-02T00:00:00.Z"})
    CHECK_MESSAGE(!parse_iso8601_utc(bad), bad);
}
