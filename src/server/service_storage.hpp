// Where version files live on disk and how they get there. Customer-facing paths are validated,
// but never used on disk: each upload is stored under a random name inside the version's own
// folder (DATA/files/<version id>/), written to a temporary file while its size and sha256 are
// computed, and renamed into place only when complete.
#pragma once
#include <openssl/evp.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "server/model_seller.hpp"
#include "server/server_context.hpp"

namespace continuata::server {

// A customer-facing file path: 1-1024 bytes of UTF-8, segments split by '/', none empty, "." or
// "..", no backslash, NUL or control characters, no leading '/'. Returns an error message or "".
std::string file_path_error(const std::string& path);

std::filesystem::path version_folder(const ServerContext& ctx, const std::string& version_id);
// The stored file of a manifest entry; throws when the result would leave the storage folder.
std::filesystem::path stored_file(const ServerContext& ctx, const std::string& version_id, const FileEntry& f);

// Streams bytes to a temporary file, hashing as it goes; commit() renames it into place.
class UploadWriter {
 public:
  UploadWriter(const ServerContext& ctx, const std::string& version_id, uint64_t max_bytes);
  ~UploadWriter();  // removes the temporary file unless committed
  UploadWriter(const UploadWriter&) = delete;
  UploadWriter& operator=(const UploadWriter&) = delete;

  // False when the upload grew past max_bytes or the disk refused the write.
  bool write(const char* data, size_t len);
  bool too_large() const { return too_large_; }
  // Finishes the hash, renames into place; returns the entry for `path`.
  FileEntry commit(const std::string& path);

 private:
  struct CloseFile {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  struct FreeDigest {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
  };
  std::filesystem::path folder_, temp_;
  std::string storage_name_;
  std::unique_ptr<std::FILE, CloseFile> file_;
  std::unique_ptr<EVP_MD_CTX, FreeDigest> digest_;
  uint64_t size_ = 0, max_;
  bool too_large_ = false, failed_ = false, committed_ = false;
};

}  // namespace continuata::server
