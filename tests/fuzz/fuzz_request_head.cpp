// Fuzz target: the front door's request-head check (http_request_head), the first code that sees
// a client's bytes. Whatever it accepts is read again here, independently, by RFC 9112's rules,
// and must agree on everything that decides how the body is framed (request smuggling lives in
// such disagreements): Content-Length, chunked, HTTP/1.0; and on the shape: CRLF lines only, no
// NUL, a token method, an ASCII target, token field names, no obs-fold, field values without
// control characters. Refusals must be 4xx/5xx with words.
//
// Input: any bytes; find_head_end cuts the head, as the front door does with what it has read.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "server/http_request_head.hpp"

using namespace continuata::server;

namespace {

bool tchar(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         std::string_view("!#$%&'*+-.^_`|~").find(char(c)) != std::string_view::npos;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// An accepted head, read again: returns what it says about framing.
void reread(std::string_view head, const RequestHead& h) {
  FUZZ_CHECK(head.find('\0') == std::string_view::npos, "NUL accepted");
  for (size_t i = 0; i < head.size(); ++i) {
    if (head[i] == '\r') FUZZ_CHECK(i + 1 < head.size() && head[i + 1] == '\n', "bare CR accepted");
    if (head[i] == '\n') FUZZ_CHECK(i > 0 && head[i - 1] == '\r', "bare LF accepted");
  }
  std::string_view rest = head.substr(0, head.size() - 4);  // without the blank line's CRLFCRLF
  size_t eol = rest.find("\r\n");
  std::string_view line = rest.substr(0, eol);
  rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 2);
  size_t sp1 = line.find(' '), sp2 = line.rfind(' ');
  FUZZ_CHECK(sp1 != std::string_view::npos && sp2 > sp1, "request line without two spaces accepted");
  std::string_view method = line.substr(0, sp1), target = line.substr(sp1 + 1, sp2 - sp1 - 1),
                   version = line.substr(sp2 + 1);
  FUZZ_CHECK(!method.empty() && h.method == method, "method " + h.method);
  for (unsigned char c : method) FUZZ_CHECK(tchar(c), "method not a token");
  FUZZ_CHECK(!target.empty() && h.target == target, "target " + h.target);
  for (unsigned char c : target) FUZZ_CHECK(c > 0x20 && c < 0x7f, "target byte " + std::to_string(c));
  FUZZ_CHECK(version == "HTTP/1.1" || version == "HTTP/1.0", "version " + std::string(version));
  FUZZ_CHECK(h.http10 == (version == "HTTP/1.0"), "http10");

  std::optional<uint64_t> length;
  int transfer_encodings = 0;
  bool chunked = false;
  size_t ranges = 0;
  while (!rest.empty()) {
    eol = rest.find("\r\n");
    line = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 2);
    FUZZ_CHECK(!line.empty() && line[0] != ' ' && line[0] != '\t', "empty or folded line accepted");
    size_t colon = line.find(':');
    FUZZ_CHECK(colon != std::string_view::npos && colon > 0, "field without name accepted");
    std::string_view name = line.substr(0, colon), value = trim(line.substr(colon + 1));
    for (unsigned char c : name) FUZZ_CHECK(tchar(c), "field name not a token: " + std::string(name));
    for (unsigned char c : value) FUZZ_CHECK(c >= 0x20 || c == '\t', "control character in a value accepted");
    if (iequals(name, "Content-Length")) {
      FUZZ_CHECK(!value.empty() && value.size() <= 19, "Content-Length " + std::string(value));
      unsigned __int128 n = 0;
      for (char c : value) {
        FUZZ_CHECK(c >= '0' && c <= '9', "Content-Length not a number: " + std::string(value));
        n = n * 10 + unsigned(c - '0');
      }
      FUZZ_CHECK(n <= UINT64_MAX, "Content-Length past 2^64 accepted");
      FUZZ_CHECK(!length || *length == uint64_t(n), "conflicting Content-Length accepted");
      length = uint64_t(n);
    } else if (iequals(name, "Transfer-Encoding")) {
      ++transfer_encodings;
      chunked = iequals(value, "chunked");
    } else if (iequals(name, "Range")) {
      FUZZ_CHECK(
          ranges < h.range_fields.size() && h.range_fields[ranges] == size_t(name.data() - head.data()),
          "Range field offsets");
      ++ranges;
    }
  }
  FUZZ_CHECK(ranges == h.range_fields.size(), "Range field count");
  FUZZ_CHECK(h.content_length == length, "Content-Length disagrees");
  FUZZ_CHECK(transfer_encodings <= 1 && (transfer_encodings == 0 || chunked),
             "a Transfer-Encoding other than chunked");
  FUZZ_CHECK(h.chunked == chunked, "chunked disagrees");
  FUZZ_CHECK(!(chunked && length), "chunked with Content-Length accepted");
  FUZZ_CHECK(!(chunked && h.http10), "chunked HTTP/1.0 accepted");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view buffer(reinterpret_cast<const char*>(data), size);
  size_t end = find_head_end(buffer);
  size_t first = buffer.find("\r\n\r\n");
  FUZZ_CHECK(end == (first == std::string_view::npos ? std::string_view::npos : first + 4), "find_head_end");
  // Heads are checked once complete; an incomplete one is checked too (a client that stops).
  std::string_view head = end == std::string_view::npos ? buffer : buffer.substr(0, end);
  RequestHead h = check_request_head(head);
  if (h.status != 0) {
    FUZZ_CHECK(h.status >= 400 && h.status <= 599 && !h.error.empty(),
               std::to_string(h.status) + " " + h.error);
    return 0;
  }
  FUZZ_CHECK(end != std::string_view::npos, "an incomplete head was accepted");
  reread(head, h);
  return 0;
}
