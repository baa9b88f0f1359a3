// Serves the built portal at /my: index.html and its assets from the web folder, safely (nothing
// outside it), precompressed copies by Accept-Encoding, immutable caching for content-hashed
// names and ETag revalidation for the rest.
#pragma once
#include <string>
#include <string_view>

namespace continuata::server {

class HttpEngine;
void install_static_routes(HttpEngine& http, const std::string& web_dir);

// Exposed for tests: the q-value an Accept-Encoding header gives a coding (0 when refused or not
// offered), and whether an If-None-Match header matches an entity tag (weak comparison).
double accept_encoding_q(const std::string& header, std::string_view coding);
bool etag_matches(const std::string& header, const std::string& etag);

}  // namespace continuata::server
