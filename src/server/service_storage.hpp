// Where version files live on disk and how bytes get there. Customer-facing paths are validated,
// but never used on disk: each file is stored under a random name inside the version's own
// folder (DATA/files/<version id>/), written to a temporary file while its size, sha256 and CRC-32 are
// computed, and renamed into place only when complete. The upload rules are service_uploads'.
#pragma once
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "server/crypto_util.hpp"
#include "server/file_crc32.hpp"
#include "server/model_seller.hpp"
#include "server/server_context.hpp"

namespace continuata::server {

// A customer-facing file path: 1-1024 bytes of well-formed UTF-8, segments split by '/', none empty, "." or
// "..", no backslash, NUL or control characters, no leading '/'. Returns an error message or "".
std::string file_path_error(const std::string& path);

// DATA/files: every stored file is inside it. Behind nginx (--file-serving nginx) it is the
// internal location's alias, so nginx and every server instance must see it at the same path.
std::filesystem::path storage_folder(const ServerContext& ctx);
std::filesystem::path version_folder(const ServerContext& ctx, const std::string& version_id);
// The stored file of a manifest entry; throws when the result would leave the storage folder.
std::filesystem::path stored_file(const ServerContext& ctx, const std::string& version_id,
                                  const FileEntry& f);
// The same file's path relative to storage_folder ("version_ab12/9f3c..."), for nginx's
// X-Accel-Redirect; the same check, so it never holds ".." or a leading '/'.
std::string stored_relative_path(const ServerContext& ctx, const std::string& version_id, const FileEntry& f);

// At start, before any upload can be running: removes partial uploads (*.part) left by a
// killed process, and stored files no manifest row names (renamed into place, but the row
// never committed). Returns how many files it removed.
size_t sweep_unreferenced_files(ServerContext& ctx);

// Streams bytes to a temporary file, hashing as it goes (sha256 and CRC-32). finish() makes the bytes durable
// (fsync) outside any lock; place() renames the file into place and makes the rename durable,
// to be called inside the transaction that records the manifest row, so a row never names a
// file that a power loss could take back.
class UploadWriter {
 public:
  UploadWriter(const ServerContext& ctx, const std::string& version_id, uint64_t max_bytes);
  ~UploadWriter();  // removes the temporary file unless committed
  UploadWriter(const UploadWriter&) = delete;
  UploadWriter& operator=(const UploadWriter&) = delete;

  // False when the upload grew past max_bytes or the disk refused the write.
  bool write(const char* data, size_t len);
  bool too_large() const { return too_large_; }
  // Finishes the hash and fsyncs the file; returns the entry for `path`.
  FileEntry finish(const std::string& path);
  // Renames the finished file into place and fsyncs its folder.
  void place();

 private:
  struct CloseFile {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::filesystem::path folder_, temp_;
  std::string storage_name_;
  std::unique_ptr<std::FILE, CloseFile> file_;
  Sha256 digest_;
  Crc32 crc_;
  uint64_t size_ = 0, max_;
  bool too_large_ = false, failed_ = false, committed_ = false;
  std::string sha256_;
};

}  // namespace continuata::server
