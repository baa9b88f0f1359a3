// A transcription of ngx_http_range_parse (nginx 1.22, src/http/modules/ngx_http_range_filter_module.c)
// over half-open [start, end) ranges, as nginx keeps them.
#include "server/nginx_ranges.hpp"

#include <cctype>

namespace continuata::server {

std::optional<std::vector<ByteRange>> nginx_range_parts(std::string_view v, uint64_t size,
                                                        size_t max_ranges) {
  if (v.size() < 6) return std::nullopt;  // not "bytes=": nginx ignores the field (whole file)
  for (size_t i = 0; i < 6; ++i)
    if (std::tolower(static_cast<unsigned char>(v[i])) != "bytes="[i]) return std::nullopt;
  const uint64_t max_off = uint64_t(INT64_MAX);  // nginx's off_t
  size_t i = 6;
  auto at = [&] { return i < v.size() ? v[i] : '\0'; };
  auto spaces = [&] {
    while (at() == ' ') ++i;
  };
  auto digits = [&](uint64_t& n) {  // false on overflow past off_t
    for (; at() >= '0' && at() <= '9'; ++i) {
      uint64_t d = uint64_t(at() - '0');
      if (n > (max_off - d) / 10) return false;
      n = n * 10 + d;
    }
    return true;
  };
  std::vector<ByteRange> parts;
  uint64_t total = 0;
  for (;;) {
    uint64_t start = 0, end = 0;
    bool suffix = false, to_end = false;
    spaces();
    if (at() != '-') {
      if (at() < '0' || at() > '9' || !digits(start)) return std::nullopt;
      spaces();
      if (at() != '-') return std::nullopt;
      ++i;
      spaces();
      if (at() == ',' || at() == '\0') {
        end = size;
        to_end = true;
      }
    } else {
      suffix = true;
      ++i;
    }
    if (!to_end) {
      if (at() < '0' || at() > '9' || !digits(end)) return std::nullopt;
      spaces();
      if (at() != ',' && at() != '\0') return std::nullopt;
      if (suffix) {
        start = end < size ? size - end : 0;
        end = size - 1;
      }
      end = end >= size ? size : end + 1;
    }
    if (start < end) {
      parts.push_back({start, end - 1});
      total += end - start;
      if (parts.size() > max_ranges) return std::nullopt;  // the whole file
    }
    if (at() != ',') break;
    ++i;
  }
  if (parts.empty() || total > size) return std::nullopt;  // 416, or the whole file
  return parts;
}

RangeDecision as_nginx_sends(const RangeDecision& decided, std::string_view range_header, uint64_t size) {
  if (decided.kind != RangeDecision::Kind::Partial) return decided;
  auto parts = nginx_range_parts(range_header, size, kMaxRangeParts);
  bool same = parts && parts->size() == decided.ranges.size();
  for (size_t k = 0; same && k < parts->size(); ++k)
    same = (*parts)[k].first == decided.ranges[k].first && (*parts)[k].last == decided.ranges[k].last;
  return same ? decided : RangeDecision{};
}

}  // namespace continuata::server
