// Upload rules and recording an upload in its manifest.
#include "server/service_uploads.hpp"

#include "server/api_error.hpp"
#include "server/service_products.hpp"
#include "server/store_seller.hpp"

namespace continuata::server {
namespace fs = std::filesystem;

namespace {

ApiError too_large(uint64_t max) {
  return ApiError(413, "The file is larger than the upload limit of " + std::to_string(max) + " bytes");
}

}  // namespace

FileEntry upload_file(ServerContext& ctx, const std::string& org, const std::string& product_id,
                      const std::string& version, const std::string& path,
                      std::optional<uint64_t> declared_length, const BodyReader& read) {
  if (auto err = file_path_error(path); !err.empty()) throw ApiError(400, err);
  Version v = require_version(ctx, org, product_id, version);
  if (v.status == "ready") throw ApiError(409, "Version " + v.version + " is active: create a new version");
  uint64_t max = ctx.config.max_upload_bytes;
  if (declared_length && *declared_length > max) throw too_large(max);
  // The body may take minutes to arrive and needs no row: the connection goes back to the pool
  // meanwhile (record_upload borrows one again).
  ctx.db->release_connection();
  UploadWriter writer(ctx, v.id, max);
  bool ok = read([&](const char* data, size_t len) { return writer.write(data, len); });
  if (writer.too_large()) throw too_large(max);
  if (!ok) throw ApiError(400, "The upload was interrupted");
  FileEntry f = writer.finish(path);
  record_upload(ctx, v.id, f, writer);
  return f;
}

void record_upload(ServerContext& ctx, const std::string& version_id, const FileEntry& f,
                   UploadWriter& writer) {
  Db& db = ctx.db->connection();
  Transaction tx(db);
  auto v = store::find_version_by_id(db, version_id);
  if (!v) throw ApiError(404, "The version was deleted during the upload");
  if (v->status == "ready")
    throw ApiError(409, "Version " + v->version + " was activated during the upload: create a new version");
  std::optional<std::string> replaced;  // a draft's file uploaded again: the old bytes go
  for (const auto& old : store::list_files(db, version_id))
    if (old.path == f.path) replaced = old.storage_name;
  writer.place();
  store::upsert_file(db, version_id, f, ctx.now_ms());
  tx.commit();
  if (replaced) {
    // After the commit, so the row never names a missing file; a download still reading the
    // old file keeps its open descriptor.
    std::error_code ec;
    fs::remove(version_folder(ctx, version_id) / *replaced, ec);
  }
}

}  // namespace continuata::server
