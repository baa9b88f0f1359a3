// Validated paths, per-version folders, streaming and hashing writes, the start-up sweep.
#include "server/service_storage.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <set>

#include "server/api_error.hpp"
#include "server/crypto_util.hpp"
#include "server/store_seller.hpp"
#include "server/text_encoding.hpp"

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
  // Strict UTF-8 (no overlong forms or surrogates): names go into headers, HTML and JSON, and
  // one ill-formed name stored would break every listing that includes it.
  if (!is_valid_utf8(path)) return "The file path is not valid UTF-8";
  return "";
}

fs::path storage_folder(const ServerContext& ctx) {
  return fs::path(ctx.config.data_dir) / "files";
}

fs::path version_folder(const ServerContext& ctx, const std::string& version_id) {
  return storage_folder(ctx) / version_id;
}

namespace {

// The stored file's canonical path and the part of it below the canonical storage folder; throws
// unless that part is one or more plain segments.
std::pair<fs::path, fs::path> stored_file_below_root(const ServerContext& ctx, const std::string& version_id,
                                                     const FileEntry& f) {
  fs::path root = fs::weakly_canonical(storage_folder(ctx));
  fs::path p = fs::weakly_canonical(version_folder(ctx, version_id) / f.storage_name);
  auto [r, below] = std::mismatch(root.begin(), root.end(), p.begin(), p.end());
  fs::path rel;
  for (; below != p.end(); ++below) rel /= *below;
  if (r != root.end() || rel.empty()) throw ApiError(500, "Stored file outside the storage folder");
  return {p, rel};
}

}  // namespace

fs::path stored_file(const ServerContext& ctx, const std::string& version_id, const FileEntry& f) {
  return stored_file_below_root(ctx, version_id, f).first;
}

std::string stored_relative_path(const ServerContext& ctx, const std::string& version_id,
                                 const FileEntry& f) {
  return stored_file_below_root(ctx, version_id, f).second.generic_string();
}

namespace {

// A rename or a new folder entry is durable only once its folder is fsynced.
void fsync_folder(const fs::path& folder) {
  int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw ApiError(500, "Cannot open the storage folder");
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw ApiError(500, "Writing the upload to disk failed");
}

}  // namespace

UploadWriter::UploadWriter(const ServerContext& ctx, const std::string& version_id, uint64_t max_bytes)
    : folder_(version_folder(ctx, version_id)), storage_name_(random_hex(16)), max_(max_bytes) {
  if (fs::create_directories(folder_)) {  // files/ itself may be new too
    fsync_folder(folder_.parent_path());
    fsync_folder(folder_.parent_path().parent_path());
  }
  temp_ = folder_ / (storage_name_ + ".part");
  file_.reset(std::fopen(temp_.c_str(), "wb"));
  if (!file_) throw ApiError(500, "Cannot create the upload file");
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
  if (std::fwrite(data, 1, len, file_.get()) != len || !digest_.update(data, len)) {
    failed_ = true;
    return false;
  }
  crc_.update(data, len);
  size_ += len;
  return true;
}

FileEntry UploadWriter::finish(const std::string& path) {
  if (failed_) throw ApiError(500, "Writing the upload to disk failed");
  sha256_ = digest_.finish_hex();
  if (std::fflush(file_.get()) != 0 || ::fsync(fileno(file_.get())) != 0)
    throw ApiError(500, "Writing the upload to disk failed");
  file_.reset();
  FileEntry f{path, storage_name_, sha256_, int64_t(size_), std::nullopt, 0};
  f.crc32 = int64_t(crc_.value());
  return f;
}

void UploadWriter::place() {
  fs::rename(temp_, folder_ / storage_name_);
  committed_ = true;
  fsync_folder(folder_);
}

size_t sweep_unreferenced_files(ServerContext& ctx) {
  // On PostgreSQL, instances share the storage folder: a file another instance is uploading, or
  // has placed but not yet recorded, is unreferenced too, but young. Only files untouched for an
  // hour (uploads time out long before) are left over from a crash. On SQLite the folder is this
  // instance's own, and nothing is being written while it starts.
  auto oldest_kept = ctx.db->dialect() == Dialect::Postgres
                         ? fs::file_time_type::clock::now() - std::chrono::hours(1)
                         : fs::file_time_type::max();
  fs::path root = storage_folder(ctx);
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return 0;
  Db& db = ctx.db->connection();
  size_t removed = 0;
  for (const auto& folder : fs::directory_iterator(root, ec)) {
    if (!folder.is_directory()) continue;
    std::set<std::string> named;
    for (const auto& f : store::list_files(db, folder.path().filename().string()))
      named.insert(f.storage_name);
    for (const auto& file : fs::directory_iterator(folder.path(), ec)) {
      std::string name = file.path().filename().string();
      if (named.count(name)) continue;
      auto written = fs::last_write_time(file.path(), ec);
      if (ec || written > oldest_kept) continue;
      if (fs::remove(file.path(), ec)) ++removed;
    }
  }
  return removed;
}

}  // namespace continuata::server
