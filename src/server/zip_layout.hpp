// The bytes of a ZIP archive of stored files (APPNOTE 6.3.10), computed before any is sent: the
// local headers, central directory and end records as literal bytes, each file's bytes as a
// range of that file. Every entry is stored (method 0, no recompression), with its CRC-32 and
// sizes in its local header (no data descriptors), its name in UTF-8 (general-purpose flag bit
// 11). ZIP64 fields appear only where a value does not fit the classic field: an entry gets a
// ZIP64 extra field when its size (local and central header) or its offset (central header)
// needs one, and the archive gets the ZIP64 end record and locator when the entry count, the
// central directory's size or its offset needs them. Pure: no I/O, the same entries always
// give the same bytes.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace continuata::server {

struct ZipEntry {
  std::string name;  // UTF-8 path inside the archive, '/'-separated
  uint64_t size = 0;
  uint32_t crc32 = 0;
  int64_t modified_ms = 0;  // Unix milliseconds (UTC), written as the entry's MS-DOS date and time
};

// One piece of the archive: literal bytes, or all `length` bytes of entry `entry`'s file.
struct ZipPiece {
  uint64_t start = 0;   // offset of the piece in the archive
  std::string literal;  // header bytes; empty for a file's bytes
  size_t entry = 0;     // the file's entry, when literal is empty
  uint64_t length = 0;  // its length, when literal is empty
  uint64_t size() const { return literal.empty() ? length : literal.size(); }
};

struct ZipLayout {
  std::vector<ZipPiece> pieces;  // in archive order, none empty, each starting where the last ended
  uint64_t total = 0;            // the archive's exact size
};

// "" when `name` may be an entry name: 1-65535 bytes of well-formed UTF-8, '/'-separated
// segments, none empty, "." or ".."; no leading '/', no backslash, no control character, no
// drive letter ("C:"). Else why not.
std::string zip_name_error(std::string_view name);

// The archive of `entries`, in their order. Throws std::invalid_argument for a bad or repeated name.
ZipLayout zip_layout(const std::vector<ZipEntry>& entries);

// The ZIP64 threshold of 32-bit fields (0xFFFFFFFF means "in the ZIP64 field") and of the
// 16-bit entry counts (0xFFFF): a value at or above it goes into a ZIP64 field.
inline constexpr uint64_t kZip32Limit = 0xFFFFFFFFu;
inline constexpr uint64_t kZip16Limit = 0xFFFFu;

}  // namespace continuata::server
