// Strict request-head checks (RFC 9112 §2-§7): see the header for what is refused and why.
#include "server/http_request_head.hpp"

#include <cctype>

namespace continuata::server {
namespace {

bool is_tchar(unsigned char c) {
  // token = 1*tchar (RFC 9110 §5.6.2)
  if (std::isalnum(c) && c < 0x80) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

RequestHead refuse(RequestHead h, int status, std::string error) {
  h.status = status;
  h.error = std::move(error);
  return h;
}

}  // namespace

size_t find_head_end(std::string_view buffer) {
  size_t at = buffer.find("\r\n\r\n");
  return at == std::string_view::npos ? std::string_view::npos : at + 4;
}

RequestHead check_request_head(std::string_view head) {
  RequestHead h;
  if (head.size() < 4 || head.substr(head.size() - 4) != "\r\n\r\n")
    return refuse(h, 400, "Incomplete request head");
  for (size_t i = 0; i < head.size(); ++i) {
    char c = head[i];
    if (c == '\0') return refuse(h, 400, "NUL in the request head");
    if (c == '\r' && (i + 1 >= head.size() || head[i + 1] != '\n'))
      return refuse(h, 400, "Bare CR in the request head");
    if (c == '\n' && (i == 0 || head[i - 1] != '\r')) return refuse(h, 400, "Bare LF in the request head");
  }
  std::string_view rest = head.substr(0, head.size() - 2);  // each line keeps its CRLF
  size_t eol = rest.find("\r\n");
  std::string_view line = rest.substr(0, eol);
  rest.remove_prefix(eol + 2);

  // request-line = method SP request-target SP HTTP-version
  size_t sp1 = line.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp1 == std::string_view::npos || sp2 == std::string_view::npos ||
      line.find(' ', sp2 + 1) != std::string_view::npos)
    return refuse(h, 400, "Malformed request line");
  std::string_view method = line.substr(0, sp1), target = line.substr(sp1 + 1, sp2 - sp1 - 1),
                   version = line.substr(sp2 + 1);
  if (method.empty()) return refuse(h, 400, "Malformed request line");
  for (unsigned char c : method)
    if (!is_tchar(c)) return refuse(h, 400, "Malformed request method");
  if (target.empty()) return refuse(h, 400, "Malformed request target");
  for (unsigned char c : target)
    if (c <= 0x20 || c >= 0x7f)
      return refuse(h, 400, "The request target must be ASCII: percent-encode other bytes");
  if (version == "HTTP/1.0")
    h.http10 = true;
  else if (version != "HTTP/1.1")
    return refuse(h, 505, "Only HTTP/1.1 and HTTP/1.0 are supported");
  h.method = std::string(method);
  h.target = std::string(target);

  bool has_transfer_encoding = false;
  while (!rest.empty()) {
    eol = rest.find("\r\n");
    line = rest.substr(0, eol);
    rest.remove_prefix(eol + 2);
    if (line.empty()) return refuse(h, 400, "Malformed header field");
    if (line.front() == ' ' || line.front() == '\t')
      return refuse(h, 400, "Folded header lines are not accepted");
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return refuse(h, 400, "Malformed header field");
    std::string_view name = line.substr(0, colon);
    for (unsigned char c : name)
      if (!is_tchar(c)) return refuse(h, 400, "Malformed header field name");
    std::string_view value = trim(line.substr(colon + 1));
    for (unsigned char c : value)
      if (c < 0x20 && c != '\t') return refuse(h, 400, "Control character in a header field");
    std::string key = lower(name);
    if (key == "content-length") {
      if (value.empty() || value.size() > 18)
        return refuse(h, 400, "Content-Length must be a decimal number");
      uint64_t n = 0;
      for (char c : value) {
        if (c < '0' || c > '9') return refuse(h, 400, "Content-Length must be a decimal number");
        n = n * 10 + uint64_t(c - '0');
      }
      if (h.content_length && *h.content_length != n)
        return refuse(h, 400, "Conflicting Content-Length fields");
      h.content_length = n;
    } else if (key == "transfer-encoding") {
      if (has_transfer_encoding || lower(value) != "chunked")
        return refuse(h, 501, "Only \"Transfer-Encoding: chunked\" is supported");
      has_transfer_encoding = true;
    } else if (key == "content-encoding") {
      if (lower(value) != "identity") h.has_content_encoding = true;
    } else if (key == "range") {
      h.range_fields.push_back(size_t(name.data() - head.data()));
    } else if (key == "expect") {
      if (lower(value) == "100-continue") h.expects_continue = true;
    }
  }
  if (has_transfer_encoding && h.content_length)
    return refuse(h, 400, "A request may not carry both Transfer-Encoding and Content-Length");
  if (has_transfer_encoding && h.http10) return refuse(h, 400, "HTTP/1.0 has no chunked transfer coding");
  h.chunked = has_transfer_encoding;
  return h;
}

}  // namespace continuata::server
