// Where a download's bytes come from, read at any offset: one stored file, or a ZIP archive
// laid out by zip_layout whose file pieces come from several stored files. The archive source
// opens each file only when a read reaches it and keeps at most one open, reading into the
// caller's buffer, so memory stays flat whatever the archive's size or number of files.
#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "server/zip_layout.hpp"

namespace continuata::server {

class BodySource {
 public:
  virtual ~BodySource() = default;
  // Up to `n` bytes at `offset` into `buf`; 0 when nothing could be read (past the end, a file
  // missing or shorter than recorded).
  virtual size_t read(uint64_t offset, char* buf, size_t n) = 0;
};

class FileSource final : public BodySource {
 public:
  explicit FileSource(int fd) : fd_(fd) {}  // takes the descriptor
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  size_t read(uint64_t offset, char* buf, size_t n) override;

 private:
  int fd_;
};

class ZipSource final : public BodySource {
 public:
  // files[i] is the stored file of the layout's entry i.
  ZipSource(ZipLayout layout, std::vector<std::filesystem::path> files);
  ~ZipSource() override;
  ZipSource(const ZipSource&) = delete;
  ZipSource& operator=(const ZipSource&) = delete;
  size_t read(uint64_t offset, char* buf, size_t n) override;
  uint64_t size() const { return layout_.total; }

 private:
  ZipLayout layout_;
  std::vector<std::filesystem::path> files_;
  size_t open_entry_ = SIZE_MAX;
  int fd_ = -1;
};

}  // namespace continuata::server
