// CRC-32 through zlib.
#include "server/file_crc32.hpp"

#include <zlib.h>

#include <cstdio>
#include <memory>
#include <vector>

namespace continuata::server {

void Crc32::update(const void* data, size_t len) {
  crc_ = uint32_t(crc32_z(crc_, static_cast<const Bytef*>(data), len));
}

std::optional<uint32_t> crc32_of_file(const std::filesystem::path& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return std::nullopt;
  std::vector<char> buf(1 << 20);
  Crc32 crc;
  size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), f.get())) > 0) crc.update(buf.data(), n);
  if (std::ferror(f.get())) return std::nullopt;
  return crc.value();
}

}  // namespace continuata::server
