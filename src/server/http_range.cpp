// Range decisions and multipart/byteranges bodies: see the header.
#include "server/http_range.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include "server/text_encoding.hpp"

namespace continuata::server {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Digits only; saturates at UINT64_MAX (a huge last-pos is still valid syntax).
std::optional<uint64_t> number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  uint64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    uint64_t d = uint64_t(c - '0');
    n = n > (UINT64_MAX - d) / 10 ? UINT64_MAX : n * 10 + d;
  }
  return n;
}

constexpr size_t kMaxRangeSpecs = 1000;  // more than this is not a download manager: ignore

}  // namespace

RangeDecision decide_ranges(std::string_view header, uint64_t size) {
  RangeDecision full;
  std::string_view v = trim(header);
  if (v.size() < 6) return full;
  std::string unit(v.substr(0, 6));
  for (auto& c : unit) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (unit != "bytes=") return full;
  v.remove_prefix(6);

  std::vector<ByteRange> wanted;
  size_t specs = 0;
  bool any = false;
  while (true) {
    size_t comma = v.find(',');
    std::string_view spec = trim(v.substr(0, comma));
    if (!spec.empty()) {  // 1#range-spec allows empty list elements
      any = true;
      if (++specs > kMaxRangeSpecs) return full;
      size_t dash = spec.find('-');
      if (dash == std::string_view::npos) return full;
      std::string_view a = spec.substr(0, dash), b = spec.substr(dash + 1);
      auto first = number(a);
      auto last = number(b);
      if ((!a.empty() && !first) || (!b.empty() && !last)) return full;  // not digits
      if (!first) {
        if (!last) return full;  // "-" alone
        // suffix-range: the last N bytes; N = 0 is unsatisfiable
        if (*last > 0 && size > 0) wanted.push_back({size - std::min(*last, size), size - 1});
      } else {
        if (last && *last < *first) return full;  // invalid range-spec: ignore the field
        if (*first < size) wanted.push_back({*first, std::min(last.value_or(size - 1), size - 1)});
      }
    }
    if (comma == std::string_view::npos) break;
    v.remove_prefix(comma + 1);
  }
  if (!any) return full;
  RangeDecision d;
  if (wanted.empty()) {
    d.kind = RangeDecision::Kind::Unsatisfiable;
    return d;
  }
  std::sort(wanted.begin(), wanted.end(),
            [](const ByteRange& a, const ByteRange& b) { return a.first < b.first; });
  for (const auto& r : wanted) {
    if (!d.ranges.empty() && r.first <= d.ranges.back().last + 1)
      d.ranges.back().last = std::max(d.ranges.back().last, r.last);
    else
      d.ranges.push_back(r);
  }
  if (d.ranges.size() > kMaxRangeParts) return full;
  d.kind = RangeDecision::Kind::Partial;
  return d;
}

std::string content_range(const ByteRange& r, uint64_t size) {
  return "bytes " + std::to_string(r.first) + "-" + std::to_string(r.last) + "/" + std::to_string(size);
}

std::vector<BodyPiece> multipart_byteranges(const std::vector<ByteRange>& ranges, uint64_t size,
                                            std::string_view content_type, std::string_view boundary) {
  std::vector<BodyPiece> body;
  for (const auto& r : ranges) {
    BodyPiece head;
    head.literal = "\r\n--" + std::string(boundary) + "\r\nContent-Type: " + std::string(content_type) +
                   "\r\nContent-Range: " + content_range(r, size) + "\r\n\r\n";
    body.push_back(std::move(head));
    BodyPiece bytes;
    bytes.offset = r.first;
    bytes.length = r.length();
    body.push_back(bytes);
  }
  BodyPiece end;
  end.literal = "\r\n--" + std::string(boundary) + "--\r\n";
  body.push_back(std::move(end));
  return body;
}

bool if_range_allows(std::string_view if_range, std::string_view etag) {
  std::string_view v = trim(if_range);
  if (v.empty()) return true;
  return v == etag && v.front() == '"';  // strong comparison: a weak W/"..." never matches
}

std::string content_disposition(std::string_view path) {
  size_t slash = path.rfind('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  std::string ascii;  // one '_' per character outside printable ASCII (not per UTF-8 byte)
  for (unsigned char c : name) {
    if ((c & 0xC0) == 0x80) continue;
    ascii.push_back(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? char(c) : '_');
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + url_encode(name);
}

}  // namespace continuata::server
