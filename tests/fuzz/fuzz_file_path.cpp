// Fuzz target: upload paths (file_path_error in service_storage). Whatever it accepts must be
// safe everywhere the path goes: the manifest JSON (nlohmann's dump refuses invalid UTF-8),
// the download page's HTML, Content-Disposition, the CSV report. Checked here against an
// independent reading of the rule: 1-1024 bytes of strict UTF-8 (RFC 3629: no overlong forms,
// no surrogates, nothing past U+10FFFF), '/'-separated segments, none empty, "." or "..", no
// leading '/', no backslash, no control characters.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "fuzz_world.hpp"

using namespace continuata;

namespace {

bool safe_segments(std::string_view p) {
  if (p.empty() || p.size() > 1024 || p.front() == '/') return false;
  for (size_t start = 0;;) {
    size_t end = p.find('/', start);
    std::string_view seg =
        p.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (seg.empty() || seg == "." || seg == "..") return false;
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  for (unsigned char c : p)
    if (c < 0x20 || c == 0x7f || c == '\\') return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string path(reinterpret_cast<const char*>(data), size);
  std::string error = server::file_path_error(path);
  if (!error.empty()) {
    fuzz::must_serialise("file_path_error message", nlohmann::json(error));
    return 0;
  }
  FUZZ_CHECK(safe_segments(path), "accepted an unsafe path");
  FUZZ_CHECK(continuata::fuzz::reference_utf8(path), "accepted a path that is not valid UTF-8");
  // The manifest (GET versions/{v}, activate, portal purchases) serialises every stored path.
  fuzz::must_serialise("manifest path", nlohmann::json{{"path", path}});
  return 0;
}
