// PUT a version's file: the upload rules (a valid customer-facing path, a draft version of the
// org's product, the size limit before and while the bytes arrive) and putting the finished
// file into the version's manifest. The bytes stream to disk (service_storage), never whole in
// memory; the body is pulled through a reader so this file never sees the HTTP library.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "server/model_seller.hpp"
#include "server/server_context.hpp"
#include "server/service_storage.hpp"

namespace continuata::server {

// Hands the body to `sink` piece by piece; false when the body ended early or `sink` said stop.
using BodySink = std::function<bool(const char* data, size_t len)>;
using BodyReader = std::function<bool(const BodySink& sink)>;

// Checks in the order a client can fix them: 400 for a bad path, 404 for an unknown product or
// version, 409 for an active version, 413 when the declared or the actual length passes
// max_upload_bytes, 400 when the body was cut short; then records the file and returns its entry.
FileEntry upload_file(ServerContext& ctx, const std::string& org, const std::string& product_id,
                      const std::string& version, const std::string& path,
                      std::optional<uint64_t> declared_length, const BodyReader& read);

// Puts a finished upload into its version's manifest: in one transaction, refuses (409) when the
// version was activated while the bytes were arriving (an active manifest never changes),
// else places the file and records the row.
void record_upload(ServerContext& ctx, const std::string& version_id, const FileEntry& f,
                   UploadWriter& writer);

}  // namespace continuata::server
