// Range decisions (RFC 9110 §14) and the multipart/byteranges body, as pure functions.
#include <doctest/doctest.h>

#include "server/http_range.hpp"

using namespace continuata::server;
using Kind = RangeDecision::Kind;

namespace {
std::string spans(const RangeDecision& d) {
  std::string s;
  for (auto& r : d.ranges) s += std::to_string(r.first) + "-" + std::to_string(r.last) + ";";
  return s;
}
}  // namespace

TEST_CASE("ranges: every form of a byte range, clamped to the representation") {
  const uint64_t size = 1000;
  CHECK(spans(decide_ranges("bytes=0-99", size)) == "0-99;");
  CHECK(spans(decide_ranges("bytes=0-99999999999", size)) == "0-999;");              // end clamped
  CHECK(spans(decide_ranges("bytes=0-99999999999999999999999", size)) == "0-999;");  // saturated
  CHECK(spans(decide_ranges("bytes=990-", size)) == "990-999;");
  CHECK(spans(decide_ranges("bytes=-10", size)) == "990-999;");  // suffix
  CHECK(spans(decide_ranges("bytes=-5000", size)) == "0-999;");  // suffix longer than file
  CHECK(spans(decide_ranges("BYTES = 1-2", size)).empty());      // OWS before '=': not a range
  CHECK(spans(decide_ranges("Bytes=1-2", size)) == "1-2;");      // unit is case-insensitive
  CHECK(spans(decide_ranges("bytes= 1-2 , 5-6", size)) == "1-2;5-6;");
  CHECK(spans(decide_ranges("bytes=1-2,,5-6", size)) == "1-2;5-6;");  // empty list elements
}

TEST_CASE("ranges: overlapping and adjacent ranges coalesce; order is ascending") {
  CHECK(spans(decide_ranges("bytes=50-60,0-10,5-20,21-30", 1000)) == "0-30;50-60;");
  CHECK(spans(decide_ranges("bytes=0-0,0-0,0-0", 1000)) == "0-0;");
  CHECK(spans(decide_ranges("bytes=-1,999-", 1000)) == "999-999;");
}

TEST_CASE("ranges: unsatisfiable, ignored and too many") {
  CHECK(decide_ranges("bytes=1000-", 1000).kind == Kind::Unsatisfiable);
  CHECK(decide_ranges("bytes=5000-6000,1000-", 1000).kind == Kind::Unsatisfiable);
  CHECK(decide_ranges("bytes=-0", 1000).kind == Kind::Unsatisfiable);
  CHECK(decide_ranges("bytes=0-", 0).kind == Kind::Unsatisfiable);  // an empty file has no bytes
  // One satisfiable range among unsatisfiable ones is served.
  CHECK(spans(decide_ranges("bytes=5000-,10-19", 1000)) == "10-19;");
  for (const char* ignored : {"", "bytes=", "bytes=abc", "bytes=5-2", "bytes=-", "items=0-1", "bytes=1-2-3",
                              "bytes=0x10-20", "bytes=+1-2", "bytes=1-+2"})
    CHECK_MESSAGE(decide_ranges(ignored, 1000).kind == Kind::Full, ignored);
  std::string many = "bytes=";
  for (int i = 0; i < 17; ++i) many += std::to_string(i * 10) + "-" + std::to_string(i * 10 + 1) + ",";
  CHECK(decide_ranges(many, 1000).kind == Kind::Full);  // 17 parts: the whole file instead
  std::string sixteen = "bytes=";
  for (int i = 0; i < 16; ++i) sixteen += std::to_string(i * 10) + "-" + std::to_string(i * 10 + 1) + ",";
  CHECK(decide_ranges(sixteen, 1000).ranges.size() == 16);
  std::string huge = "bytes=";
  for (int i = 0; i < 5000; ++i) huge += "0-0,";
  CHECK(decide_ranges(huge, 1000).kind == Kind::Full);  // too many specs to read
}

TEST_CASE("ranges: the multipart body has exact part headers and pieces") {
  auto d = decide_ranges("bytes=0-1,10-12", 100);
  auto pieces = multipart_byteranges(d.ranges, 100, "application/octet-stream", "B");
  REQUIRE(pieces.size() == 5);
  CHECK(pieces[0].literal ==
        "\r\n--B\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 0-1/100\r\n\r\n");
  CHECK(pieces[1].offset == 0);
  CHECK(pieces[1].length == 2);
  CHECK(pieces[3].offset == 10);
  CHECK(pieces[3].length == 3);
  CHECK(pieces[4].literal == "\r\n--B--\r\n");
  CHECK(content_range({5, 9}, 10) == "bytes 5-9/10");
}

TEST_CASE("If-Range: only the same strong entity tag keeps the range") {
  CHECK(if_range_allows("", "\"abc\""));
  CHECK(if_range_allows("\"abc\"", "\"abc\""));
  CHECK(!if_range_allows("\"abd\"", "\"abc\""));
  CHECK(!if_range_allows("W/\"abc\"", "\"abc\""));
  CHECK(!if_range_allows("Wed, 21 Oct 2026 07:28:00 GMT", "\"abc\""));
}

TEST_CASE("Content-Disposition: ASCII fallback and the exact UTF-8 name, no header injection") {
  CHECK(content_disposition("docs/Read Me.pdf") ==
        "attachment; filename=\"Read Me.pdf\"; filename*=UTF-8''Read%20Me.pdf");
  CHECK(content_disposition("Ωmega \"q\".wav") ==
        "attachment; filename=\"_mega _q_.wav\"; filename*=UTF-8''%CE%A9mega%20%22q%22.wav");
  std::string evil = content_disposition("a\r\nSet-Cookie: x=1");
  CHECK(evil.find('\r') == std::string::npos);
  CHECK(evil.find('\n') == std::string::npos);
}
