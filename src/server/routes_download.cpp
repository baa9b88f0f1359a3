// The download route: token resolution, file selection, streaming through a content provider
// (httplib applies the Range header to it: 206 with Content-Range, 416 when unsatisfiable).
#include "server/routes_download.hpp"

#include <httplib.h>

#include <cstdio>
#include <memory>

#include "server/service_downloads.hpp"
#include "server/service_storage.hpp"
#include "server/store_seller.hpp"

namespace continuata::server {
namespace {

constexpr size_t kChunk = 256 * 1024;  // large reads keep syscalls per GB low

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

void page(httplib::Response& res, int status, const std::string& title, const std::string& body_html) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" +
                      html_escape(title) +
                      "</title><style>body{font:16px system-ui,sans-serif;max-width:40rem;margin:3rem auto;"
                      "padding:0 1rem;color:#1d1d25}a{color:#3a4bd8}</style></head><body><h1>" +
                      html_escape(title) + "</h1>" + body_html + "</body></html>",
                  "text/html; charset=utf-8");
}

std::string url_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out.push_back(char(c));
    else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

// RFC 6266: an ASCII fallback plus the exact UTF-8 name in filename*.
std::string content_disposition(const std::string& path) {
  std::string name = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
  std::string ascii;  // one '_' per character outside printable ASCII (not per UTF-8 byte)
  for (unsigned char c : name) {
    if ((c & 0xC0) == 0x80) continue;
    ascii.push_back(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? char(c) : '_');
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + url_encode(name);
}

}  // namespace

void install_download_routes(httplib::Server& http, ServerContext& ctx) {
  http.Get("/download", [&ctx](const httplib::Request& req, httplib::Response& res) {
    std::string portal = ctx.config.public_url + "/my";
    auto d = resolve_download(ctx, req.get_param_value("token"));
    if (d.state == ResolvedDownload::State::Unknown) {
      page(res, 404, "Download link not found",
           "<p>This download link does not exist. Check that the whole link was copied, or get a fresh one at "
           "<a href=\"" + html_escape(portal) + "\">" + html_escape(portal) + "</a>.</p>");
      return;
    }
    if (d.state == ResolvedDownload::State::Expired) {
      page(res, 410, "This download link has expired",
           "<p>Download links last 24 hours. Get a fresh one at <a href=\"" + html_escape(portal) + "\">" +
               html_escape(portal) + "</a> with the email address you bought with.</p>");
      return;
    }
    std::string wanted = req.get_param_value("file");
    const FileEntry* file = nullptr;
    if (wanted.empty() && d.files.size() == 1) file = &d.files[0];
    for (const auto& f : d.files)
      if (!wanted.empty() && f.path == wanted) file = &f;
    if (!file) {
      if (!wanted.empty()) {
        page(res, 404, "File not found", "<p>This download has no file of that name.</p>");
        return;
      }
      std::string list = "<p>" + html_escape(d.product_id) + " " + html_escape(d.version.version) + ": " +
                         std::to_string(d.files.size()) + " files.</p><ul>";
      std::string token = req.get_param_value("token");
      for (const auto& f : d.files)
        list += "<li><a href=\"/download?token=" + token + "&amp;file=" + url_encode(f.path) + "\">" +
                html_escape(f.path) + "</a> (" + std::to_string(f.size) + " bytes, sha256 " + f.sha256 + ")</li>";
      page(res, 200, "Your download", list + "</ul>");
      return;
    }

    std::string etag = "\"" + file->sha256 + "\"";
    res.set_header("ETag", etag);
    res.set_header("Accept-Ranges", "bytes");
    res.set_header("Cache-Control", "private, no-transform");
    if (req.get_header_value("If-None-Match") == etag) {
      res.status = 304;
      return;
    }
    auto path = stored_file(ctx, d.version.id, *file);
    std::shared_ptr<std::FILE> fp(std::fopen(path.c_str(), "rb"), [](std::FILE* f) {
      if (f) std::fclose(f);
    });
    if (!fp) {
      page(res, 500, "This file is unavailable", "<p>Please try again later.</p>");
      return;
    }
    int64_t size = file->size, start = 0, end = size - 1;
    // httplib 0.11 answers an unsatisfiable range with a broken 206, so ranges are checked here.
    for (auto [a, b] : req.ranges) {
      bool bad = a == -1 ? b <= 0 : (a >= size || (b != -1 && b < a));
      if (bad) {
        res.status = 416;
        res.set_header("Content-Range", "bytes */" + std::to_string(size));
        res.set_content("Requested range not satisfiable", "text/plain");
        return;
      }
    }
    // Log the session: the first range decides whether it is a new download (starts at 0).
    if (!req.ranges.empty()) {
      auto [a, b] = req.ranges[0];
      if (a == -1 && b >= 0) start = std::max<int64_t>(0, size - b);  // suffix range: last b bytes
      else {
        start = a;
        end = b == -1 ? size - 1 : std::min<int64_t>(b, size - 1);
      }
    }
    if (start < size) {
      store::DownloadSession s;
      s.token_id = d.token_id;
      s.org_id = d.org_id;
      s.file_path = file->path;
      s.range_start = start;
      s.range_end = end;
      s.counted = start == 0;
      s.ip = req.remote_addr;
      s.user_agent = req.get_header_value("User-Agent");
      s.created_at = ctx.now_ms();
      Db& db = ctx.db->connection();
      Transaction tx(db);
      store::insert_download_session(db, s);
      tx.commit();
    }
    res.set_header("Content-Disposition", content_disposition(file->path));
    res.set_content_provider(
        size_t(size), "application/octet-stream",
        [fp, buf = std::make_shared<std::vector<char>>(kChunk)](size_t offset, size_t length, httplib::DataSink& sink) {
          if (std::fseek(fp.get(), long(offset), SEEK_SET) != 0) return false;
          size_t n = std::fread(buf->data(), 1, std::min(length, buf->size()), fp.get());
          if (n == 0) return false;
          return sink.write(buf->data(), n);
        });
  });
}

}  // namespace continuata::server
