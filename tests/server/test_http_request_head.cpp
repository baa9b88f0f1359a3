// The strict request-head check: what it accepts, and each form of framing it refuses.
#include <doctest/doctest.h>

#include "server/http_request_head.hpp"

using continuata::server::check_request_head;
using continuata::server::find_head_end;

TEST_CASE("request heads: plain requests pass with their framing read out") {
  auto h = check_request_head("GET /a?b=c HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(h.status == 0);
  CHECK(h.method == "GET");
  CHECK(h.target == "/a?b=c");
  CHECK(!h.content_length);
  h = check_request_head("POST /p HTTP/1.1\r\nContent-Length:  12 \r\ncontent-length: 12\r\n\r\n");
  CHECK(h.status == 0);
  CHECK(h.content_length == 12u);
  h = check_request_head("PUT /p HTTP/1.1\r\nTransfer-Encoding: ChUnKeD\r\nRange: bytes=0-1\r\n\r\n");
  CHECK(h.status == 0);
  CHECK(h.chunked);
  REQUIRE(h.range_fields.size() == 1);
  CHECK(h.range_fields[0] == std::string("PUT /p HTTP/1.1\r\nTransfer-Encoding: ChUnKeD\r\n").size());
  CHECK(check_request_head("POST / HTTP/1.1\r\nContent-Encoding: gzip\r\n\r\n").has_content_encoding);
  CHECK(!check_request_head("POST / HTTP/1.1\r\nContent-Encoding: identity\r\n\r\n").has_content_encoding);
  CHECK(check_request_head("GET / HTTP/1.0\r\n\r\n").http10);
  CHECK(find_head_end("GET / HTTP/1.1\r\n\r\nrest") == 18);
  CHECK(find_head_end("GET / HTTP/1.1\r\n") == std::string::npos);
}

TEST_CASE("request heads: smuggling and malformed framing are refused with the right status") {
  struct Case {
    const char* head;
    int status;
  } cases[] = {
      {"GET / HTTP/1.1\nHost: x\r\n\r\n", 400},               // bare LF
      {"GET / HTTP/1.1\r\nHost: x\rY: z\r\n\r\n", 400},       // bare CR
      {"GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", 400},  // obs-fold
      {"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n", 400},         // space in a name
      {"GET / HTTP/1.1\r\n: x\r\n\r\n", 400},                 // empty name
      {"GET / HTTP/1.1\r\nNoColon\r\n\r\n", 400},
      {"GET /\xff HTTP/1.1\r\n\r\n", 400},  // raw byte in target
      {"GET / x HTTP/1.1\r\n\r\n", 400},    // three spaces
      {"GET / HTTP/2.0\r\n\r\n", 505},
      {"GE\x01T / HTTP/1.1\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n", 400},  // non-numeric
      {"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400},  // conflicting
      {"POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", 400},    // overflow
      {"POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 501},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", 400},
      {"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nX: a\x01"
       "b\r\n\r\n",
       400},  // control character
  };
  for (const auto& c : cases) {
    auto h = check_request_head(c.head);
    CHECK_MESSAGE(h.status == c.status, c.head);
    CHECK(!h.error.empty());
  }
  CHECK(check_request_head(std::string("GET / HTTP/1.1\r\nX: a\0b\r\n\r\n", 25)).status == 400);  // NUL
  // Bytes past 0x7f are allowed in field values (obs-text), never in the target.
  CHECK(check_request_head("GET / HTTP/1.1\r\nUser-Agent: caf\xc3\xa9 \xff\r\n\r\n").status == 0);
}
