// Serves the built portal at /my (index.html, portal.js, portal.wasm) with the right MIME types.
#pragma once
#include <string>

namespace httplib { class Server; }

namespace continuata::server {

void install_static_routes(httplib::Server& http, const std::string& web_dir);

}  // namespace continuata::server
