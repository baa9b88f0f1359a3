// GET /download?token=...: the files of a minted link, streamed from disk with Range (resume),
// Content-Length, Content-Disposition and ETag; a listing when the version has several files;
// plain pages for unknown (404) and expired (410) links. Each GET of a file is logged as a
// download session (not HEAD, not a short probe); only one starting at byte 0 counts as a new
// download (service_downloads decides).
#pragma once

namespace continuata::server {

class HttpEngine;
struct ServerContext;
void install_download_routes(HttpEngine& http, ServerContext& ctx);

}  // namespace continuata::server
