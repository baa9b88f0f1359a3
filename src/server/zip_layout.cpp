// ZIP headers, little-endian field by field as APPNOTE 4.3 lays them out.
#include "server/zip_layout.hpp"

#include <ctime>
#include <stdexcept>
#include <unordered_set>

#include "server/text_encoding.hpp"

namespace continuata::server {
namespace {

constexpr uint16_t kUtf8Flag = 1u << 11;
constexpr uint16_t kNeedsStored = 10, kNeedsZip64 = 45;
constexpr uint16_t kMadeByUnix = 3u << 8;
constexpr uint32_t kRegularFile0644 = 0100644u << 16;  // external attributes: st_mode in the high half

void le(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(char((v >> (8 * i)) & 0xFF));
}

// MS-DOS time and date (2-second resolution, years 1980-2107), UTC so the archive is the same
// wherever it is built.
std::pair<uint16_t, uint16_t> dos_time_date(int64_t ms) {
  std::time_t t = std::time_t(ms / 1000);
  std::tm tm{};
  if (ms < 315532800000LL || !gmtime_r(&t, &tm)) return {0, (0 << 9) | (1 << 5) | 1};  // 1980-01-01
  if (tm.tm_year + 1900 > 2107) return {(23 << 11) | (59 << 5) | 29, uint16_t((127 << 9) | (12 << 5) | 31)};
  uint16_t time = uint16_t((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
  uint16_t date = uint16_t(((tm.tm_year + 1900 - 1980) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
  return {time, date};
}

uint32_t field32(uint64_t v) {
  return v >= kZip32Limit ? uint32_t(kZip32Limit) : uint32_t(v);
}

}  // namespace

std::string zip_name_error(std::string_view name) {
  if (name.empty()) return "an entry name is empty";
  if (name.size() > 65535) return "an entry name is longer than 65535 bytes";
  if (!is_valid_utf8(name)) return "an entry name is not UTF-8";
  if (name.front() == '/') return "an entry name is absolute";
  if (name.size() >= 2 && name[1] == ':') return "an entry name starts with a drive letter";
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7F || c == '\\') return "an entry name holds a control character or a backslash";
  for (size_t start = 0; start <= name.size();) {
    size_t end = std::min(name.find('/', start), name.size());
    std::string_view seg = name.substr(start, end - start);
    if (seg.empty() || seg == "." || seg == "..")
      return "an entry name has an empty, \".\" or \"..\" segment";
    start = end + 1;
  }
  return "";
}

ZipLayout zip_layout(const std::vector<ZipEntry>& entries) {
  ZipLayout out;
  auto add_literal = [&out](std::string bytes) {
    if (bytes.empty()) return;
    ZipPiece p;
    p.start = out.total;
    p.literal = std::move(bytes);
    out.total += p.literal.size();
    out.pieces.push_back(std::move(p));
  };
  std::unordered_set<std::string_view> seen;
  std::string central;
  for (size_t i = 0; i < entries.size(); ++i) {
    const ZipEntry& e = entries[i];
    if (auto err = zip_name_error(e.name); !err.empty()) throw std::invalid_argument(err + ": " + e.name);
    if (!seen.insert(e.name).second) throw std::invalid_argument("an entry name is repeated: " + e.name);
    const uint64_t offset = out.total;
    const bool big = e.size >= kZip32Limit, far = offset >= kZip32Limit;
    const uint16_t needs = big || far ? kNeedsZip64 : kNeedsStored;
    auto [time, date] = dos_time_date(e.modified_ms);

    std::string local;
    le(local, 0x04034b50, 4);
    le(local, needs, 2);
    le(local, kUtf8Flag, 2);
    le(local, 0, 2);  // stored
    le(local, time, 2);
    le(local, date, 2);
    le(local, e.crc32, 4);
    le(local, field32(e.size), 4);  // compressed size = size: stored
    le(local, field32(e.size), 4);
    le(local, e.name.size(), 2);
    le(local, big ? 20 : 0, 2);
    local += e.name;
    if (big) {  // the local ZIP64 extra field holds both sizes, always
      le(local, 0x0001, 2);
      le(local, 16, 2);
      le(local, e.size, 8);
      le(local, e.size, 8);
    }
    add_literal(std::move(local));
    if (e.size > 0) {
      ZipPiece p;
      p.start = out.total;
      p.entry = i;
      p.length = e.size;
      out.total += e.size;
      out.pieces.push_back(std::move(p));
    }

    std::string extra;  // the central ZIP64 extra field: only the values that overflow, in this order
    if (big) {
      le(extra, e.size, 8);
      le(extra, e.size, 8);
    }
    if (far) le(extra, offset, 8);
    le(central, 0x02014b50, 4);
    le(central, kMadeByUnix | needs, 2);
    le(central, needs, 2);
    le(central, kUtf8Flag, 2);
    le(central, 0, 2);
    le(central, time, 2);
    le(central, date, 2);
    le(central, e.crc32, 4);
    le(central, field32(e.size), 4);
    le(central, field32(e.size), 4);
    le(central, e.name.size(), 2);
    le(central, extra.empty() ? 0 : extra.size() + 4, 2);
    le(central, 0, 2);  // comment
    le(central, 0, 2);  // disk number start
    le(central, 0, 2);  // internal attributes
    le(central, kRegularFile0644, 4);
    le(central, field32(offset), 4);
    central += e.name;
    if (!extra.empty()) {
      le(central, 0x0001, 2);
      le(central, extra.size(), 2);
      central += extra;
    }
  }
  const uint64_t cd_offset = out.total, cd_size = central.size(), count = entries.size();
  add_literal(std::move(central));

  std::string end;
  if (count >= kZip16Limit || cd_size >= kZip32Limit || cd_offset >= kZip32Limit) {
    const uint64_t zip64_end = out.total;
    le(end, 0x06064b50, 4);
    le(end, 44, 8);  // the record's size after this field
    le(end, kMadeByUnix | kNeedsZip64, 2);
    le(end, kNeedsZip64, 2);
    le(end, 0, 4);  // this disk
    le(end, 0, 4);  // the central directory's disk
    le(end, count, 8);
    le(end, count, 8);
    le(end, cd_size, 8);
    le(end, cd_offset, 8);
    le(end, 0x07064b50, 4);  // the locator
    le(end, 0, 4);
    le(end, zip64_end, 8);
    le(end, 1, 4);  // disks
  }
  le(end, 0x06054b50, 4);
  le(end, 0, 2);
  le(end, 0, 2);
  le(end, count >= kZip16Limit ? kZip16Limit : count, 2);
  le(end, count >= kZip16Limit ? kZip16Limit : count, 2);
  le(end, field32(cd_size), 4);
  le(end, field32(cd_offset), 4);
  le(end, 0, 2);  // comment
  add_literal(std::move(end));
  return out;
}

}  // namespace continuata::server
