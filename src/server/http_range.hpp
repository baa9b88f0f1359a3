// The headers of a file download: Range requests (RFC 9110 §14) for one representation of
// `size` bytes (which bytes to send, the multipart/byteranges body that carries several parts,
// If-Range) and Content-Disposition (RFC 6266). Pure functions of their arguments, no I/O,
// never throw: fuzzed by tests/fuzz.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace continuata::server {

struct ByteRange {
  uint64_t first = 0, last = 0;  // inclusive, first <= last < size
  uint64_t length() const { return last - first + 1; }
};

struct RangeDecision {
  enum class Kind { Full, Partial, Unsatisfiable };
  Kind kind = Kind::Full;
  std::vector<ByteRange> ranges;  // Partial: ascending, disjoint, not adjacent, 1..kMaxRangeParts
};

// Parts in one multipart answer; a Range asking for more (after coalescing) gets the whole
// representation, as RFC 9110 §14.2 allows, so a crafted header cannot multiply the work.
constexpr size_t kMaxRangeParts = 16;

// A Range field value: not a "bytes" range or not valid syntax: Full (the field is ignored,
// §14.2); no satisfiable range: Unsatisfiable (416 with "Content-Range: bytes */size"); else
// the satisfiable ranges clamped to the representation, sorted, overlapping and adjacent ones
// coalesced (§14.6).
RangeDecision decide_ranges(std::string_view range_header, uint64_t size);

// "bytes first-last/size"
std::string content_range(const ByteRange& r, uint64_t size);

// One piece of a response body: literal bytes, or `length` bytes of the file from `offset`.
struct BodyPiece {
  std::string literal;
  uint64_t offset = 0, length = 0;  // used when literal is empty
  uint64_t size() const { return literal.empty() ? length : literal.size(); }
};

// The multipart/byteranges body (§14.6) of several ranges: part headers as literals, file
// bytes as pieces. Its Content-Type is "multipart/byteranges; boundary=" + boundary.
std::vector<BodyPiece> multipart_byteranges(const std::vector<ByteRange>& ranges, uint64_t size,
                                            std::string_view content_type, std::string_view boundary);

// If-Range (§13.1.5): true when the Range applies, i.e. the field is absent or is a strong
// entity tag equal to `etag`. A date never matches: downloads carry no Last-Modified.
bool if_range_allows(std::string_view if_range, std::string_view etag);

// "attachment" with an ASCII fallback name and the exact UTF-8 name in filename* (RFC 6266,
// RFC 8187), for the last segment of `path`. Never contains CR, LF, NUL or an unescaped quote.
std::string content_disposition(std::string_view path);

}  // namespace continuata::server
