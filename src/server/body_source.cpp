// Reading a download's bytes with pread: no shared file position, one descriptor per source.
#include "server/body_source.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace continuata::server {

FileSource::~FileSource() {
  if (fd_ >= 0) ::close(fd_);
}

size_t FileSource::read(uint64_t offset, char* buf, size_t n) {
  ssize_t got = ::pread(fd_, buf, n, off_t(offset));
  return got > 0 ? size_t(got) : 0;
}

ZipSource::ZipSource(ZipLayout layout, std::vector<std::filesystem::path> files)
    : layout_(std::move(layout)), files_(std::move(files)) {}

ZipSource::~ZipSource() {
  if (fd_ >= 0) ::close(fd_);
}

size_t ZipSource::read(uint64_t offset, char* buf, size_t n) {
  if (offset >= layout_.total || n == 0) return 0;
  // The last piece starting at or before offset.
  auto it = std::upper_bound(layout_.pieces.begin(), layout_.pieces.end(), offset,
                             [](uint64_t at, const ZipPiece& p) { return at < p.start; });
  const ZipPiece& p = *(it - 1);
  uint64_t within = offset - p.start;
  size_t take = size_t(std::min<uint64_t>(n, p.size() - within));
  if (!p.literal.empty()) {
    std::memcpy(buf, p.literal.data() + within, take);
    return take;
  }
  if (open_entry_ != p.entry) {
    if (fd_ >= 0) ::close(fd_);
    open_entry_ = SIZE_MAX;
    fd_ = p.entry < files_.size() ? ::open(files_[p.entry].c_str(), O_RDONLY | O_CLOEXEC) : -1;
    if (fd_ < 0) return 0;
    open_entry_ = p.entry;
  }
  ssize_t got = ::pread(fd_, buf, take, off_t(within));
  return got > 0 ? size_t(got) : 0;
}

}  // namespace continuata::server
