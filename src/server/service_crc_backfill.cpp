// CRC-32s for older files, computed page by page outside any transaction (reading a large file
// takes long), each row updated on its own.
#include "server/service_crc_backfill.hpp"

#include <exception>
#include <filesystem>

#include "server/file_crc32.hpp"
#include "server/service_storage.hpp"
#include "server/store_seller.hpp"

namespace continuata::server {

CrcBackfill backfill_crc32(ServerContext& ctx) {
  CrcBackfill done;
  Db& db = ctx.db->connection();
  store::FileWithoutCrc after;
  for (;;) {
    auto page = store::files_without_crc32(db, after, 100);
    for (const auto& row : page) {
      std::optional<uint32_t> crc;
      try {
        std::error_code ec;
        auto path = stored_file(ctx, row.version_id, row.file);
        if (std::filesystem::file_size(path, ec) == uint64_t(row.file.size) && !ec) crc = crc32_of_file(path);
      } catch (const std::exception&) {  // a storage name that would leave the storage folder
      }
      if (!crc) {
        ++done.unreadable;
        continue;
      }
      Transaction tx(db, TxLock::Concurrent);  // one update of one row
      store::set_file_crc32(db, row.version_id, row.file, int64_t(*crc));
      tx.commit();
      ++done.computed;
    }
    if (page.size() < 100) break;
    after = page.back();
  }
  return done;
}

}  // namespace continuata::server
