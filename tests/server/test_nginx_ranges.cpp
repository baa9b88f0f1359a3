// What nginx's range filter sends (src/server/nginx_ranges.*), and the server's Range decision
// carried over to nginx: kept only when nginx sends exactly those parts. tests/deploy checks the
// same forms against a real nginx.
#include <doctest/doctest.h>

#include "server/nginx_ranges.hpp"

namespace srv = continuata::server;

namespace {
std::vector<std::pair<uint64_t, uint64_t>> parts(std::string_view header, uint64_t size = 1000) {
  std::vector<std::pair<uint64_t, uint64_t>> out;
  if (auto p = srv::nginx_range_parts(header, size, 16))
    for (const auto& r : *p) out.emplace_back(r.first, r.last);
  return out;
}
using P = std::vector<std::pair<uint64_t, uint64_t>>;
}  // namespace

TEST_CASE("nginx ranges: the forms nginx sends as asked") {
  CHECK(parts("bytes=0-99") == P{{0, 99}});
  CHECK(parts("bytes=100-") == P{{100, 999}});
  CHECK(parts("bytes=-100") == P{{900, 999}});
  CHECK(parts("bytes=-5000") == P{{0, 999}});
  CHECK(parts("bytes=0-99999") == P{{0, 999}});
  CHECK(parts("Bytes= 0 - 9 , 20-29") == P{{0, 9}, {20, 29}});
  CHECK(parts("bytes=20-29,0-9") == P{{20, 29}, {0, 9}});  // request order, never sorted
  CHECK(parts("bytes=5000-,0-9") == P{{0, 9}});            // an unsatisfiable part is dropped
}

TEST_CASE("nginx ranges: what nginx answers otherwise (416 or the whole file)") {
  for (const char* h : {"items=0-9", "bytes=x-9", "bytes=5-2", "bytes=0-1,,5-6", "bytes=\t0-9", "bytes=",
                        "bytes=0-99999999999999999999", "bytes=5000-", "bytes=0-9,0-999", "bytes=1-2-3"})
    CHECK_MESSAGE(parts(h).empty(), h);
  std::string many = "bytes=";
  for (int i = 0; i < 17; ++i) many += std::to_string(i * 10) + "-" + std::to_string(i * 10 + 1) + ",";
  many.pop_back();
  CHECK(parts(many).empty());  // past max_ranges
}

TEST_CASE("nginx ranges: the server's decision is kept only where nginx sends the same parts") {
  auto kept = [](std::string_view h) {
    auto d = srv::decide_ranges(h, 1000);
    return srv::as_nginx_sends(d, h, 1000).kind == d.kind;
  };
  CHECK(kept("bytes=0-99"));
  CHECK(kept("bytes=-100"));
  CHECK(kept("bytes=0-9, 500-509"));
  CHECK(kept("bytes=x-9"));                // Full stays Full
  CHECK(kept("bytes=5000-"));              // Unsatisfiable stays (the server answers 416 itself)
  CHECK_FALSE(kept("bytes=10-19,0-9"));    // coalesced by us, sent as two parts by nginx
  CHECK_FALSE(kept("bytes=0-499,400-"));   // overlapping: nginx sends the whole file
  CHECK_FALSE(kept("bytes=0-1,,5-6"));     // an empty element: nginx answers 416
  CHECK_FALSE(kept("bytes=0-9\t,20-29"));  // a tab: nginx answers 416
  auto full = srv::as_nginx_sends(srv::decide_ranges("bytes=10-19,0-9", 1000), "bytes=10-19,0-9", 1000);
  CHECK(full.kind == srv::RangeDecision::Kind::Full);
  CHECK(full.ranges.empty());
}
