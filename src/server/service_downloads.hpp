// Download links: minting (random token, stored hashed, 24 h), resolving a token to its
// version's files, choosing the file a request asks for, and logging each download session
// (in its own transaction). Shared by the seller API's generate-download-url, the customer
// portal's download-url and GET /download.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/core_api.hpp"
#include "server/http_range.hpp"
#include "server/model_seller.hpp"
#include "server/server_context.hpp"

namespace continuata::server {

inline constexpr int64_t kDownloadTokenLifetimeMs = 24LL * 60 * 60 * 1000;

// The version a link may be minted for: version empty, the product's active version. Throws 404
// "No active manifest for ID@VER" when that version is not active (ready with files).
Version mintable_version(ServerContext& ctx, const std::string& org, const std::string& product_id,
                         const std::optional<std::string>& version);

// version empty: the product's active version. Throws as mintable_version. source is "api" or "portal".
// A link for a refunded purchase is refused: 410 {"code": "purchase_refunded"} (service_refunds).
core::DownloadLink mint_download_link(ServerContext& ctx, const std::string& org,
                                      const std::string& product_id,
                                      const std::optional<std::string>& version,
                                      std::optional<int64_t> purchase_id, const std::string& source);

// POST /api/generate-download-url's body {"productId", "version"?, "purchaseId"?}, or
// {"items": [...]} for a bundle (service_bundles): throws 400 for a bad body, then as
// mint_download_link. With purchaseId (one of the org's purchases of that product; 404
// otherwise) the link is the purchase's: refused once it is refunded, and dead (410) when it is
// refunded later, like the portal's links.
core::DownloadLink mint_from_request(ServerContext& ctx, const std::string& org, const nlohmann::json& body);

// One version of a bundle token, as its ZIP's folder shows it.
struct BundlePart {
  std::string org_id, product_id, product_name;
  Version version;
  std::vector<FileEntry> files;
};

struct ResolvedDownload {
  enum class State { Ok, Unknown, Expired, Refunded } state = State::Unknown;
  int64_t token_id = 0;
  std::string org_id, product_id;  // a bundle: its first item's
  Version version;
  std::vector<FileEntry> files;
  bool bundle = false;            // its download is one ZIP of `parts`
  std::vector<BundlePart> parts;  // a bundle's versions, in folder order
};
ResolvedDownload resolve_download(ServerContext& ctx, const std::string& token);

// The file a request names (?file=PATH), or the only file when it names none; nullptr when
// there is no such file or the version has several and the request named none (a listing).
const FileEntry* select_file(const ResolvedDownload& d, const std::string& wanted);

// Records that `ranges` of `file` are being sent (Full: the whole file): the session starts at
// the first range's first byte and counts the bytes of all ranges. One from byte 0 counts as a
// new download, later ones (a resume, a segment) are logged uncounted. A probe (shorter than
// kProbeBytes and ending before the file does: a download manager's bytes=0-0) writes nothing,
// so probes cost no row under the write lock. The caller never logs HEAD requests.
inline constexpr uint64_t kProbeBytes = 64 * 1024;
void log_download(ServerContext& ctx, const ResolvedDownload& d, const FileEntry& file,
                  const RangeDecision& ranges, const std::string& ip, const std::string& user_agent);

// The same for a ZIP of `size` bytes named `name`: one session row (archive = 1) for each org
// whose files are in it, so each seller's report shows the download.
void log_archive_download(ServerContext& ctx, const ResolvedDownload& d, const std::string& name,
                          uint64_t size, const RangeDecision& ranges, const std::string& ip,
                          const std::string& user_agent);

}  // namespace continuata::server
