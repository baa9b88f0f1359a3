// /my serves the portal page; /my/<file> its assets. The page links its assets relatively, so
// /my redirects to /my/ (keeping the query: the magic link's email and code ride on it).
#include "server/routes_static.hpp"

#include <httplib.h>

namespace continuata::server {

void install_static_routes(httplib::Server& http, const std::string& web_dir) {
  http.Get("/my", [](const httplib::Request& req, httplib::Response& res) {
    std::string target = "/my/";
    auto q = req.target.find('?');
    if (q != std::string::npos) target += req.target.substr(q);
    res.set_redirect(target, 302);
  });
  if (web_dir.empty()) return;
  http.set_file_extension_and_mimetype_mapping("wasm", "application/wasm");
  // Mounted at "/my/" so that "/my" itself reaches the redirect above.
  http.set_mount_point("/my/", web_dir);
}

}  // namespace continuata::server
