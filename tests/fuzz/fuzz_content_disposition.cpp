// Fuzz target: Content-Disposition of a download (content_disposition in http_range), for any
// path bytes. The value goes into a response header, so: printable ASCII only (no CR, LF, NUL or
// other control characters), and read back by a strict RFC 6266 / RFC 8187 reader it must be
// `attachment; filename="..."; filename*=UTF-8''...` with a well-formed quoted-string (every
// quote inside escaped) and a filename* that decodes to the last path segment exactly whenever
// that segment is valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "server/http_range.hpp"
#include "server/service_storage.hpp"

using namespace continuata::server;

namespace {

// RFC 8187 attr-char.
bool attr_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$&+-.^_`|~").find(c) != std::string_view::npos;
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

struct Parsed {
  std::string filename, filename_star;
};

// attachment; filename="<quoted-string>"; filename*=UTF-8''<value-chars>, exactly.
std::optional<Parsed> read(std::string_view v) {
  Parsed p;
  constexpr std::string_view head = "attachment; filename=\"";
  if (v.substr(0, head.size()) != head) return std::nullopt;
  size_t i = head.size();
  for (;; ++i) {
    if (i >= v.size()) return std::nullopt;
    if (v[i] == '\\') {
      if (++i >= v.size()) return std::nullopt;
      p.filename.push_back(v[i]);
    } else if (v[i] == '"') {
      ++i;
      break;
    } else {
      p.filename.push_back(v[i]);
    }
  }
  constexpr std::string_view star = "; filename*=UTF-8''";
  if (v.substr(i, star.size()) != star) return std::nullopt;
  for (i += star.size(); i < v.size(); ++i) {
    if (v[i] == '%') {
      if (i + 2 >= v.size() || hex(v[i + 1]) < 0 || hex(v[i + 2]) < 0) return std::nullopt;
      p.filename_star.push_back(char(hex(v[i + 1]) * 16 + hex(v[i + 2])));
      i += 2;
    } else if (attr_char(v[i])) {
      p.filename_star.push_back(v[i]);
    } else {
      return std::nullopt;
    }
  }
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view path(reinterpret_cast<const char*>(data), size);
  std::string value = content_disposition(path);
  for (unsigned char c : value)
    FUZZ_CHECK(c >= 0x20 && c < 0x7f, "byte " + std::to_string(c) + " in the header value");
  auto parsed = read(value);
  FUZZ_CHECK(parsed.has_value(), "not the documented form: " + value);
  std::string_view name = path.substr(path.rfind('/') == std::string_view::npos ? 0 : path.rfind('/') + 1);
  if (continuata::fuzz::reference_utf8(name))
    FUZZ_CHECK(parsed->filename_star == name, "filename* is not the file's name: " + value);
  // A path the upload route accepts must come out with its exact name.
  if (file_path_error(std::string(path)).empty() && continuata::fuzz::reference_utf8(path))
    FUZZ_CHECK(parsed->filename_star == name, "accepted path loses its name: " + value);
  return 0;
}
