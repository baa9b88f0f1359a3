// The download route: the token resolved and the file chosen by service_downloads, conditional
// and Range requests (http_range.hpp decides; 206, multipart/byteranges, 416), the session
// logged by service_downloads, and the stored file streamed through a content provider; or,
// behind nginx (--file-serving nginx), handed to nginx by X-Accel-Redirect once the same
// decisions are made, so the log and the answers are the same in both modes. A ZIP
// (?format=zip, or any bundle token: service_zip) gets the same decisions over the archive's
// bytes and is always streamed here, from its headers and stored files (body_source).
// Server pages are plain HTML with a strict CSP.
#include "server/routes_download.hpp"

#include <fcntl.h>
#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>

#include "core/core_theme.hpp"
#include "server/body_source.hpp"
#include "server/crypto_util.hpp"
#include "server/http_engine.hpp"
#include "server/http_range.hpp"
#include "server/nginx_ranges.hpp"
#include "server/routes_static.hpp"
#include "server/routes_util.hpp"
#include "server/service_downloads.hpp"
#include "server/service_storage.hpp"
#include "server/service_zip.hpp"
#include "server/text_encoding.hpp"

namespace continuata::server {
namespace {

constexpr size_t kChunk = 256 * 1024;  // large reads keep syscalls per GB low

// Headers every download answer carries: the token is in the URL, so no Referer may carry it
// on; the bytes are the seller's, so no proxy may transform them.
void download_headers(httplib::Response& res) {
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("X-Content-Type-Options", "nosniff");
}

void page(httplib::Response& res, int status, const std::string& title, const std::string& body_html) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_header("Content-Security-Policy",
                 "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
                 "frame-ancestors 'none'");
  const core::Palette palette = core::make_palette({}, false);  // assets/theme.json's light colours
  res.set_content(
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" +
          html_escape(title) +
          "</title><style>body{font:16px system-ui,sans-serif;max-width:40rem;margin:3rem auto;"
          "padding:0 1rem;background:" +
          core::css_hex(palette.background) + ";color:" + core::css_hex(palette.text) +
          "}a{color:" + core::css_hex(palette.accent_text) + "}</style></head><body><h1>" +
          html_escape(title) + "</h1>" + body_html + "</body></html>",
      "text/html; charset=utf-8");
}

// Streams `pieces` (literals and byte ranges of `source`) as one body: offset is into the body.
httplib::ContentProvider pieces_provider(std::shared_ptr<BodySource> source, std::vector<BodyPiece> pieces) {
  auto buf = std::make_shared<std::vector<char>>(kChunk);
  auto list = std::make_shared<std::vector<BodyPiece>>(std::move(pieces));
  return [source, buf, list](size_t offset, size_t length, httplib::DataSink& sink) {
    uint64_t at = 0;
    for (const auto& p : *list) {
      if (offset >= at + p.size()) {
        at += p.size();
        continue;
      }
      uint64_t within = offset - at;
      uint64_t n = std::min<uint64_t>({p.size() - within, length, kChunk});
      if (!p.literal.empty()) return sink.write(p.literal.data() + within, size_t(n));
      size_t got = source->read(p.offset + within, buf->data(), size_t(n));
      return got > 0 && sink.write(buf->data(), got);
    }
    return false;
  };
}

// Behind nginx: the file is named to nginx's internal location (deploy/nginx.conf.template), which
// sends it with sendfile. The path comes from the manifest's storage name through the storage
// code, never from the request. nginx keeps Content-Type, Content-Disposition and Cache-Control
// of this answer and drops the rest; the template re-adds Referrer-Policy, nosniff and this
// ETag (the sha256, as in direct mode: "etag off" there). A Range this server ignored (not
// valid bytes syntax, If-Range of another ETag, too many parts) goes to the "whole/" location,
// whose max_ranges 0 makes nginx ignore it too, so nginx never answers a Range we logged as the
// whole file with 206 or 416; so does a Range nginx would answer differently from our decision
// (nginx_ranges.hpp), so the log always holds what nginx sends.
void redirect_to_nginx(ServerContext& ctx, const httplib::Request& req, httplib::Response& res,
                       const ResolvedDownload& d, const FileEntry& file, const RangeDecision& decided) {
  const RangeDecision ranges =
      as_nginx_sends(decided, req.get_header_value(kRangeField), uint64_t(file.size));
  std::string rel = stored_relative_path(ctx, d.version.id, file);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(storage_folder(ctx) / rel, ec)) {
    page(res, 500, "This file is unavailable", "<p>Please try again later.</p>");
    return;
  }
  std::string target = ctx.config.nginx_internal_prefix;
  if (ranges.kind == RangeDecision::Kind::Full && req.has_header(kRangeField)) target += "whole/";
  for (size_t start = 0; start <= rel.size();) {
    size_t end = std::min(rel.find('/', start), rel.size());
    target += url_encode(std::string_view(rel).substr(start, end - start));
    if (end < rel.size()) target += '/';
    start = end + 1;
  }
  if (req.method != "HEAD")
    log_download(ctx, d, file, ranges, client_ip(ctx, req), req.get_header_value("User-Agent"));
  res.set_header("X-Accel-Redirect", target);
  res.set_header("Content-Disposition", content_disposition(file.path));
  res.set_content("", "application/octet-stream");  // no body: nginx sends the file
}

// One representation a download sends: a stored file or a ZIP archive.
struct Representation {
  uint64_t size = 0;
  std::string etag, name;  // name: the Content-Disposition's file name
  std::string type = "application/octet-stream";
  std::function<std::shared_ptr<BodySource>()> open;  // nullptr when the bytes are unavailable
  std::function<void(const RangeDecision&)> log;      // records the session (never for HEAD)
  // Behind nginx, a stored file is handed over (X-Accel-Redirect); an archive is streamed here.
  std::function<void(const RangeDecision&)> redirect;
};

// Conditional and Range requests decided by http_range.hpp, then the body streamed from the
// representation's source: the same answers for a file and an archive.
void send_representation(ServerContext& ctx, const httplib::Request& req, httplib::Response& res,
                         const Representation& rep) {
  const uint64_t size = rep.size;
  const bool nginx = ctx.config.file_serving == FileServing::Nginx && rep.redirect;
  res.set_header("ETag", rep.etag);
  // nginx adds its own Accept-Ranges and would repeat ours.
  if (!nginx) res.set_header("Accept-Ranges", "bytes");
  res.set_header("Cache-Control", "private, no-transform");
  if (req.has_header("If-None-Match") && etag_matches(req.get_header_value("If-None-Match"), rep.etag)) {
    res.status = 304;
    return;
  }
  RangeDecision ranges;
  if (req.has_header(kRangeField) && if_range_allows(req.get_header_value("If-Range"), rep.etag))
    ranges = decide_ranges(req.get_header_value(kRangeField), size);
  if (ranges.kind == RangeDecision::Kind::Unsatisfiable) {
    res.status = 416;
    res.set_header("Content-Range", "bytes */" + std::to_string(size));
    res.set_content("Requested range not satisfiable", "text/plain");
    return;
  }
  if (nginx) return rep.redirect(ranges);
  std::shared_ptr<BodySource> source = rep.open();
  if (!source) {
    page(res, 500, "This file is unavailable", "<p>Please try again later.</p>");
    return;
  }
  std::string type = rep.type;
  std::vector<BodyPiece> pieces;
  if (ranges.kind == RangeDecision::Kind::Full) {
    pieces.push_back(BodyPiece{"", 0, size});
  } else if (ranges.ranges.size() == 1) {
    res.status = 206;
    res.set_header("Content-Range", content_range(ranges.ranges[0], size));
    pieces.push_back(BodyPiece{"", ranges.ranges[0].first, ranges.ranges[0].length()});
  } else {
    res.status = 206;
    std::string boundary = "continuata-" + random_hex(12);
    pieces = multipart_byteranges(ranges.ranges, size, rep.type, boundary);
    type = "multipart/byteranges; boundary=" + boundary;
  }
  if (req.method != "HEAD") rep.log(ranges);
  uint64_t total = 0;
  for (const auto& p : pieces) total += p.size();
  res.set_header("Content-Disposition", content_disposition(rep.name));
  if (total == 0) {
    res.set_content("", type.c_str());  // an empty file: Content-Length 0, no provider
    return;
  }
  // The stream may last an hour and reads no row: its connection goes back to the pool now.
  ctx.db->release_connection();
  res.set_content_provider(size_t(total), type.c_str(), pieces_provider(source, std::move(pieces)));
}

void send_file(ServerContext& ctx, const httplib::Request& req, httplib::Response& res,
               const ResolvedDownload& d, const FileEntry& file) {
  Representation rep;
  rep.size = uint64_t(file.size);
  rep.etag = "\"" + file.sha256 + "\"";
  rep.name = file.path;
  rep.open = [&ctx, &d, &file]() -> std::shared_ptr<BodySource> {
    int fd = ::open(stored_file(ctx, d.version.id, file).c_str(), O_RDONLY | O_CLOEXEC);
    return fd < 0 ? nullptr : std::make_shared<FileSource>(fd);
  };
  rep.log = [&](const RangeDecision& ranges) {
    log_download(ctx, d, file, ranges, client_ip(ctx, req), req.get_header_value("User-Agent"));
  };
  rep.redirect = [&](const RangeDecision& ranges) { redirect_to_nginx(ctx, req, res, d, file, ranges); };
  send_representation(ctx, req, res, rep);
}

// A version's or a bundle's ZIP (service_zip): in both file-serving modes streamed by this
// server, since no stored file holds its bytes for nginx to send.
void send_zip(ServerContext& ctx, const httplib::Request& req, httplib::Response& res,
              const ResolvedDownload& d) {
  auto archive = std::make_shared<std::optional<ZipArchive>>(zip_archive(ctx, d));
  if (!*archive) {
    page(res, 503, "This download is being prepared", "<p>Please try again in a few minutes.</p>");
    return;
  }
  Representation rep;
  rep.size = (*archive)->layout.total;
  rep.etag = (*archive)->etag;
  rep.name = (*archive)->name;
  rep.type = "application/zip";
  rep.open = [archive]() -> std::shared_ptr<BodySource> {
    return std::make_shared<ZipSource>((*archive)->layout, (*archive)->files);
  };
  rep.log = [&](const RangeDecision& ranges) {
    log_archive_download(ctx, d, (*archive)->name, (*archive)->layout.total, ranges, client_ip(ctx, req),
                         req.get_header_value("User-Agent"));
  };
  send_representation(ctx, req, res, rep);
}

}  // namespace

void install_download_routes(HttpEngine& http, ServerContext& ctx) {
  http.Get("/download", [&ctx](const httplib::Request& req, httplib::Response& res) {
    download_headers(res);
    std::string portal = ctx.config.public_url + "/my";
    std::string token = req.get_param_value("token");
    auto d = resolve_download(ctx, token);
    if (d.state == ResolvedDownload::State::Unknown) {
      page(
          res, 404, "Download link not found",
          "<p>This download link does not exist. Check that the whole link was copied, or get a fresh one at "
          "<a href=\"" +
              html_escape(portal) + "\">" + html_escape(portal) + "</a>.</p>");
      return;
    }
    if (d.state == ResolvedDownload::State::Expired) {
      page(res, 410, "This download link has expired",
           "<p>Download links last 24 hours. Get a fresh one at <a href=\"" + html_escape(portal) + "\">" +
               html_escape(portal) + "</a> with the email address you bought with.</p>");
      return;
    }
    if (d.state == ResolvedDownload::State::Refunded) {
      page(res, 410, "This purchase was refunded",
           "<p>The seller refunded this purchase, so its downloads are no longer available. If you think "
           "this is a mistake, contact the seller; your library is at <a href=\"" +
               html_escape(portal) + "\">" + html_escape(portal) + "</a>.</p>");
      return;
    }
    std::string format = req.get_param_value("format");
    if (!format.empty() && format != "zip") {
      page(res, 400, "Unknown download format", "<p>The only format is zip.</p>");
      return;
    }
    if (d.bundle || format == "zip") return send_zip(ctx, req, res, d);
    std::string wanted = req.get_param_value("file");
    if (const FileEntry* file = select_file(d, wanted)) return send_file(ctx, req, res, d, *file);
    if (!wanted.empty()) {
      page(res, 404, "File not found", "<p>This download has no file of that name.</p>");
      return;
    }
    std::string list = "<p>" + html_escape(d.product_id) + " " + html_escape(d.version.version) + ": " +
                       std::to_string(d.files.size()) + " files.</p><ul>";
    for (const auto& f : d.files)
      list += "<li><a href=\"/download?token=" + url_encode(token) + "&amp;file=" + url_encode(f.path) +
              "\">" + html_escape(f.path) + "</a> (" + std::to_string(f.size) + " bytes, sha256 " + f.sha256 +
              ")</li>";
    list += "</ul><p><a href=\"/download?token=" + url_encode(token) +
            "&amp;format=zip\">All files as one ZIP</a></p>";
    page(res, 200, "Your download", list);
  });
}

}  // namespace continuata::server
