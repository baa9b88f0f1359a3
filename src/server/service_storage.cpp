// Validated paths, per-version folders and streaming, hashing uploads.
#include "server/service_storage.hpp"

#include "server/api_error.hpp"
#include "server/crypto_util.hpp"

namespace continuata::server {
namespace fs = std::filesystem;

std::string file_path_error(const std::string& path) {
  if (path.empty()) return "The file path is empty";
  if (path.size() > 1024) return "The file path is longer than 1024 bytes";
  if (path.front() == '/') return "The file path must be relative (no leading '/')";
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string seg = path.substr(start, end - start);
    if (seg.empty()) return "The file path has an empty segment";
    if (seg == "." || seg == "..") return "The file path may not contain '.' or '..' segments";
    start = end + 1;
  }
  for (unsigned char c : path) {
    if (c < 0x20 || c == 0x7f) return "The file path contains control characters";
    if (c == '\\') return "The file path may not contain backslashes";
  }
  // UTF-8 well-formedness (names go into headers and HTML).
  for (size_t i = 0; i < path.size();) {
    unsigned char c = static_cast<unsigned char>(path[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > path.size()) return "The file path is not valid UTF-8";
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(path[i + k]) >> 6) != 2) return "The file path is not valid UTF-8";
    i += n;
  }
  return "";
}

fs::path version_folder(const ServerContext& ctx, const std::string& version_id) {
  return fs::path(ctx.config.data_dir) / "files" / version_id;
}

fs::path stored_file(const ServerContext& ctx, const std::string& version_id, const FileEntry& f) {
  fs::path root = fs::weakly_canonical(fs::path(ctx.config.data_dir) / "files");
  fs::path p = fs::weakly_canonical(version_folder(ctx, version_id) / f.storage_name);
  auto [r, _] = std::mismatch(root.begin(), root.end(), p.begin(), p.end());
  if (r != root.end()) throw ApiError(500, "Stored file outside the storage folder");
  return p;
}

UploadWriter::UploadWriter(const ServerContext& ctx, const std::string& version_id, uint64_t max_bytes)
    : folder_(version_folder(ctx, version_id)), storage_name_(random_hex(16)), max_(max_bytes) {
  fs::create_directories(folder_);
  temp_ = folder_ / (storage_name_ + ".part");
  file_.reset(std::fopen(temp_.c_str(), "wb"));
  digest_.reset(EVP_MD_CTX_new());
  if (!file_ || !digest_ || EVP_DigestInit_ex(digest_.get(), EVP_sha256(), nullptr) != 1)
    throw ApiError(500, "Cannot create the upload file");
}

UploadWriter::~UploadWriter() {
  if (!committed_) {
    file_.reset();
    std::error_code ec;
    fs::remove(temp_, ec);
  }
}

bool UploadWriter::write(const char* data, size_t len) {
  if (failed_ || too_large_) return false;
  if (size_ + len > max_) {
    too_large_ = true;
    return false;
  }
  if (std::fwrite(data, 1, len, file_.get()) != len || EVP_DigestUpdate(digest_.get(), data, len) != 1) {
    failed_ = true;
    return false;
  }
  size_ += len;
  return true;
}

FileEntry UploadWriter::commit(const std::string& path) {
  if (failed_) throw ApiError(500, "Writing the upload to disk failed");
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(digest_.get(), md, &len);
  if (std::fflush(file_.get()) != 0) throw ApiError(500, "Writing the upload to disk failed");
  file_.reset();
  fs::rename(temp_, folder_ / storage_name_);
  committed_ = true;
  static const char* hex = "0123456789abcdef";
  std::string sha;
  for (unsigned i = 0; i < len; ++i) {
    sha.push_back(hex[md[i] >> 4]);
    sha.push_back(hex[md[i] & 15]);
  }
  return FileEntry{path, storage_name_, sha, int64_t(size_)};
}

}  // namespace continuata::server
