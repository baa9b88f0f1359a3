// CRC-32 (the ZIP and gzip polynomial, zlib's crc32) of bytes as they stream, and of a stored
// file read in fixed-size chunks, so memory stays flat for any file size.
#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>

namespace continuata::server {

class Crc32 {
 public:
  void update(const void* data, size_t len);
  uint32_t value() const { return crc_; }

 private:
  uint32_t crc_ = 0;
};

// The CRC-32 of the file's bytes; nullopt when it cannot be opened or read to the end.
std::optional<uint32_t> crc32_of_file(const std::filesystem::path& path);

}  // namespace continuata::server
