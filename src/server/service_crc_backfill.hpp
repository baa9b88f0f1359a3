// The start-up step that gives files recorded before CRC-32s were kept (migration 104) their
// CRC-32, once: each such file is read from storage in fixed-size chunks and its row updated,
// so every ready version can be served as a ZIP whose bytes are all known before sending.
#pragma once
#include <cstddef>

#include "server/server_context.hpp"

namespace continuata::server {

struct CrcBackfill {
  size_t computed = 0, unreadable = 0;  // unreadable: the stored file is missing or cut short
};

// Runs before serving starts. A file that cannot be read keeps a NULL CRC-32 (its ZIP is
// refused as unavailable) and is tried again at the next start.
CrcBackfill backfill_crc32(ServerContext& ctx);

}  // namespace continuata::server
