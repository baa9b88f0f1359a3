// The front door's check of an HTTP/1.1 request head (request line and header fields, up to and
// including the blank line), before httplib parses it or any handler runs. It refuses what
// RFC 9112 says a server must refuse and what request smuggling relies on: bare CR or LF, NUL,
// obs-fold, bytes outside ASCII in the request target, a header name that is not a token,
// Transfer-Encoding other than a single "chunked", Transfer-Encoding beside Content-Length,
// and Content-Length values that are not one decimal number. It reads nothing but the bytes it
// is given and never throws: a pure function, fuzzed by tests/fuzz.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace continuata::server {

// Where the head ends in a buffer: the offset just past "\r\n\r\n", or npos.
size_t find_head_end(std::string_view buffer);

struct RequestHead {
  int status = 0;        // 0 when acceptable; else the status to answer with, then close
  std::string error;     // plain words for that answer
  std::string method;    // e.g. "GET"
  std::string target;    // the request target as sent (not decoded)
  bool http10 = false;   // HTTP/1.0: no chunked bodies, close unless keep-alive is asked for
  bool chunked = false;  // Transfer-Encoding: chunked (in any letter case)
  std::optional<uint64_t> content_length;  // when the head has one
  bool has_content_encoding = false;       // a Content-Encoding other than identity
  bool expects_continue = false;           // Expect: 100-continue
  std::vector<size_t> range_fields;        // offsets of each "Range" field name in the head
};

// `head` is the bytes up to and including the terminating "\r\n\r\n".
RequestHead check_request_head(std::string_view head);

}  // namespace continuata::server
