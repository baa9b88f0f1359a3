// What nginx's range filter (ngx_http_range_filter_module, as in nginx 1.22) sends for a Range
// field, so that behind nginx the server logs exactly the bytes nginx sends. nginx keeps the
// ranges in request order and never coalesces them, refuses (416) syntax that RFC 9110 allows
// (empty list elements, tabs, numbers past 2^63), and sends the whole file past max_ranges or
// when the ranges add up to more than the file. Pure, no I/O, never throws.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "server/http_range.hpp"

namespace continuata::server {

// The parts nginx sends for `range_header` on a file of `size` bytes, in order; nullopt when it
// sends something else (the whole file, or 416). The If-Range check is not part of this.
std::optional<std::vector<ByteRange>> nginx_range_parts(std::string_view range_header, uint64_t size,
                                                        size_t max_ranges);

// The server's decision (decide_ranges) as nginx will carry it out: a Partial decision that
// nginx would send differently becomes Full, which the server then has nginx send by its
// whole-file location (max_ranges 0). Full and Unsatisfiable are returned as they are.
RangeDecision as_nginx_sends(const RangeDecision& decided, std::string_view range_header, uint64_t size);

}  // namespace continuata::server
