// Fuzz target: Range headers (decide_ranges in http_range), against a reference reading of
// RFC 9110 §14 written here independently, plus the invariants every answer must keep: ranges
// inside [0, size), ascending, disjoint and not adjacent, at most kMaxRangeParts of them; the
// multipart/byteranges body made of them carries exactly those bytes; If-Range compares
// strongly.
//
// Input: byte 0 picks the representation size (0-127 as is; 128-191: the next two bytes;
// 192-255: the next eight, up to UINT64_MAX); the rest is the Range field value.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "server/http_range.hpp"

using namespace continuata::server;

namespace {

bool ows(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && ows(s.back())) s.remove_suffix(1);
  return s;
}

// 1*DIGIT; values past UINT64_MAX saturate (no file is that large, so they act alike).
std::optional<uint64_t> digits(std::string_view s) {
  if (s.empty()) return std::nullopt;
  unsigned __int128 n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + unsigned(c - '0');
    if (n > UINT64_MAX) n = UINT64_MAX;
  }
  return uint64_t(n);
}

struct Reference {
  bool valid = false;                  // a bytes ranges-specifier with at least one range-spec
  size_t specs = 0;                    // non-empty range-specs
  std::vector<ByteRange> satisfiable;  // clamped to the representation, coalesced, ascending
};

// ranges-specifier = range-unit "=" range-set; range-set = 1#range-spec, empty list elements
// and OWS around the commas allowed; range-spec = int-range / suffix-range (other-range is not
// a byte range); an int-range with last-pos < first-pos makes the whole field invalid.
Reference reference(std::string_view field, uint64_t size) {
  Reference out;
  std::string_view v = trim(field);
  if (v.size() < 6) return out;
  for (size_t i = 0; i < 5; ++i)
    if ((v[i] | 0x20) != "bytes"[i]) return out;
  if (v[5] != '=') return out;
  v.remove_prefix(6);
  std::vector<ByteRange> wanted;
  for (;;) {
    size_t comma = v.find(',');
    std::string_view spec = trim(v.substr(0, comma));
    if (!spec.empty()) {
      ++out.specs;
      size_t dash = spec.find('-');
      if (dash == std::string_view::npos) return Reference{};
      std::string_view a = spec.substr(0, dash), b = spec.substr(dash + 1);
      if (a.empty()) {  // suffix-range
        auto n = digits(b);
        if (!n) return Reference{};
        if (*n > 0 && size > 0) wanted.push_back({size - std::min(*n, size), size - 1});
      } else {
        auto first = digits(a);
        auto last = b.empty() ? std::optional<uint64_t>(UINT64_MAX) : digits(b);
        if (!first || !last || *last < *first) return Reference{};
        if (*first < size) wanted.push_back({*first, std::min(*last, size - 1)});
      }
    }
    if (comma == std::string_view::npos) break;
    v.remove_prefix(comma + 1);
  }
  if (out.specs == 0) return Reference{};
  out.valid = true;
  std::sort(wanted.begin(), wanted.end(),
            [](const ByteRange& x, const ByteRange& y) { return x.first < y.first; });
  for (const auto& r : wanted) {
    if (!out.satisfiable.empty() && r.first <= out.satisfiable.back().last + 1)
      out.satisfiable.back().last = std::max(out.satisfiable.back().last, r.last);
    else
      out.satisfiable.push_back(r);
  }
  return out;
}

std::string show(const RangeDecision& d) {
  std::string s = d.kind == RangeDecision::Kind::Full      ? "Full"
                  : d.kind == RangeDecision::Kind::Partial ? "Partial"
                                                           : "Unsatisfiable";
  for (const auto& r : d.ranges) s += " " + std::to_string(r.first) + "-" + std::to_string(r.last);
  return s;
}

bool same(const std::vector<ByteRange>& a, const std::vector<ByteRange>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].first != b[i].first || a[i].last != b[i].last) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t len) {
  if (len == 0) return 0;
  uint64_t size = data[0];
  size_t used = 1;
  if (data[0] >= 128) {
    size_t n = data[0] < 192 ? 2 : 8;
    if (len < 1 + n) return 0;
    size = 0;
    for (size_t i = 0; i < n; ++i) size = size << 8 | data[1 + i];
    used += n;
  }
  std::string_view field(reinterpret_cast<const char*>(data) + used, len - used);
  const std::string where = " (size " + std::to_string(size) + ", Range \"" + std::string(field) + "\")";

  RangeDecision d = decide_ranges(field, size);
  // Invariants of any answer.
  if (d.kind == RangeDecision::Kind::Partial) {
    FUZZ_CHECK(!d.ranges.empty() && d.ranges.size() <= kMaxRangeParts, show(d) + where);
    for (size_t i = 0; i < d.ranges.size(); ++i) {
      FUZZ_CHECK(d.ranges[i].first <= d.ranges[i].last && d.ranges[i].last < size, show(d) + where);
      if (i)
        FUZZ_CHECK(d.ranges[i - 1].last + 1 < d.ranges[i].first,
                   "overlapping or adjacent: " + show(d) + where);
    }
  } else {
    FUZZ_CHECK(d.ranges.empty(), show(d) + where);
  }

  // Against the reference.
  Reference ref = reference(field, size);
  if (!ref.valid) {
    FUZZ_CHECK(d.kind == RangeDecision::Kind::Full,
               "an invalid or absent Range must be ignored: " + show(d) + where);
  } else if (size > 0) {  // for an empty representation Full and Unsatisfiable are both fair answers
    bool many_specs = ref.specs > 1000;  // the server may ignore a field this long; it is no download manager
    if (ref.satisfiable.empty())
      FUZZ_CHECK(d.kind == RangeDecision::Kind::Unsatisfiable || many_specs,
                 "expected 416: " + show(d) + where);
    else if (ref.satisfiable.size() > kMaxRangeParts)
      FUZZ_CHECK(d.kind == RangeDecision::Kind::Full,
                 "too many parts must be answered whole: " + show(d) + where);
    else
      FUZZ_CHECK((d.kind == RangeDecision::Kind::Partial && same(d.ranges, ref.satisfiable)) ||
                     (many_specs && d.kind == RangeDecision::Kind::Full),
                 "expected the coalesced satisfiable ranges: " + show(d) + where);
  }

  // The body of a multipart answer carries exactly those ranges' bytes, in order.
  if (d.kind == RangeDecision::Kind::Partial && d.ranges.size() > 1) {
    auto body = multipart_byteranges(d.ranges, size, "application/octet-stream", "CONTINUATA-BOUNDARY");
    size_t next = 0;
    for (const auto& piece : body) {
      if (!piece.literal.empty()) {
        FUZZ_CHECK(piece.literal.find("--CONTINUATA-BOUNDARY") != std::string::npos,
                   "part header without boundary");
        if (next < d.ranges.size())
          FUZZ_CHECK(piece.literal.find("Content-Range: " + content_range(d.ranges[next], size) + "\r\n") !=
                             std::string::npos ||
                         piece.literal.find("--\r\n") != std::string::npos,
                     "part header names another range: " + piece.literal);
        continue;
      }
      FUZZ_CHECK(next < d.ranges.size() && piece.offset == d.ranges[next].first &&
                     piece.length == d.ranges[next].length(),
                 "body piece is not the next range" + where);
      ++next;
    }
    FUZZ_CHECK(next == d.ranges.size(), "ranges missing from the multipart body" + where);
  }

  // If-Range: strong comparison only.
  std::string etag = "\"" + std::string(field.substr(0, field.find('"'))) + "\"";
  FUZZ_CHECK(if_range_allows("", etag), "absent If-Range must allow");
  FUZZ_CHECK(if_range_allows(etag, etag), "equal strong tag must allow: " + etag);
  FUZZ_CHECK(!if_range_allows("W/" + etag, etag), "weak tag must not allow: " + etag);
  (void)if_range_allows(field, etag);
  return 0;
}
