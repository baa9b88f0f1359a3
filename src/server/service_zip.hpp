// The ZIP a download token's /download?format=zip (or any bundle token's download) sends: its
// entries from the manifest (a version's files at their paths; a bundle's under one folder per
// product, "Product Name/path", folder names unique), its stored files, the download's name
// ("Epic Drum Kit 1.0.0.zip"; a bundle: "<seller> library.zip") and a strong ETag computed from
// the entries alone (names, sizes, CRC-32s, times), so the same manifest always gives the same
// archive and ETag and a resumed or parallel download can trust its pieces.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "server/server_context.hpp"
#include "server/service_downloads.hpp"
#include "server/zip_layout.hpp"

namespace continuata::server {

struct ZipArchive {
  std::string name, etag;
  ZipLayout layout;
  std::vector<std::filesystem::path> files;  // the stored file of each entry
};

// nullopt when a file's CRC-32 is not known yet (its start-up computation could not read it).
std::optional<ZipArchive> zip_archive(ServerContext& ctx, const ResolvedDownload& d);

// The folder names of a bundle's parts: bundle_folder_name of each, a repeat (compared without
// ASCII case, as Windows and macOS compare) suffixed " (2)", " (3)", ...
std::vector<std::string> unique_folder_names(const std::vector<std::string>& names);

}  // namespace continuata::server
