// The download route: the token resolved and the file chosen by service_downloads, conditional
// and Range requests (http_range.hpp decides; 206, multipart/byteranges, 416), the session
// logged by service_downloads, and the stored file streamed through a content provider; or,
// behind nginx (--file-serving nginx), handed to nginx by X-Accel-Redirect once the same
// decisions are made, so the log and the answers are the same in both modes.
// Server pages are plain HTML with a strict CSP.
#include "server/routes_download.hpp"

#include <httplib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "core/core_theme.hpp"
#include "server/crypto_util.hpp"
#include "server/http_engine.hpp"
#include "server/http_range.hpp"
#include "server/nginx_ranges.hpp"
#include "server/routes_static.hpp"
#include "server/routes_util.hpp"
#include "server/service_downloads.hpp"
#include "server/service_storage.hpp"
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

using FilePtr = std::shared_ptr<std::FILE>;

// Streams `pieces` (literals and byte ranges of `fp`) as one body: offset is into the body.
httplib::ContentProvider pieces_provider(FilePtr fp, std::vector<BodyPiece> pieces) {
  auto buf = std::make_shared<std::vector<char>>(kChunk);
  auto list = std::make_shared<std::vector<BodyPiece>>(std::move(pieces));
  return [fp, buf, list](size_t offset, size_t length, httplib::DataSink& sink) {
    uint64_t at = 0;
    for (const auto& p : *list) {
      if (offset >= at + p.size()) {
        at += p.size();
        continue;
      }
      uint64_t within = offset - at;
      uint64_t n = std::min<uint64_t>({p.size() - within, length, kChunk});
      if (!p.literal.empty()) return sink.write(p.literal.data() + within, size_t(n));
      if (fseeko(fp.get(), off_t(p.offset + within), SEEK_SET) != 0) return false;
      size_t got = std::fread(buf->data(), 1, size_t(n), fp.get());
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

void send_file(ServerContext& ctx, const httplib::Request& req, httplib::Response& res,
               const ResolvedDownload& d, const FileEntry& file) {
  const uint64_t size = uint64_t(file.size);
  const std::string etag = "\"" + file.sha256 + "\"";
  const bool nginx = ctx.config.file_serving == FileServing::Nginx;
  res.set_header("ETag", etag);
  // nginx adds its own Accept-Ranges and would repeat ours.
  if (!nginx) res.set_header("Accept-Ranges", "bytes");
  res.set_header("Cache-Control", "private, no-transform");
  if (req.has_header("If-None-Match") && etag_matches(req.get_header_value("If-None-Match"), etag)) {
    res.status = 304;
    return;
  }
  RangeDecision ranges;
  if (req.has_header(kRangeField) && if_range_allows(req.get_header_value("If-Range"), etag))
    ranges = decide_ranges(req.get_header_value(kRangeField), size);
  if (ranges.kind == RangeDecision::Kind::Unsatisfiable) {
    res.status = 416;
    res.set_header("Content-Range", "bytes */" + std::to_string(size));
    res.set_content("Requested range not satisfiable", "text/plain");
    return;
  }
  if (nginx) return redirect_to_nginx(ctx, req, res, d, file, ranges);
  auto path = stored_file(ctx, d.version.id, file);
  FilePtr fp(std::fopen(path.c_str(), "rb"), [](std::FILE* f) {
    if (f) std::fclose(f);
  });
  if (!fp) {
    page(res, 500, "This file is unavailable", "<p>Please try again later.</p>");
    return;
  }
  std::vector<BodyPiece> pieces;
  std::string type = "application/octet-stream";
  if (ranges.kind == RangeDecision::Kind::Full) {
    pieces.push_back(BodyPiece{"", 0, size});
  } else if (ranges.ranges.size() == 1) {
    res.status = 206;
    res.set_header("Content-Range", content_range(ranges.ranges[0], size));
    pieces.push_back(BodyPiece{"", ranges.ranges[0].first, ranges.ranges[0].length()});
  } else {
    res.status = 206;
    std::string boundary = "continuata-" + random_hex(12);
    pieces = multipart_byteranges(ranges.ranges, size, type, boundary);
    type = "multipart/byteranges; boundary=" + boundary;
  }
  if (req.method != "HEAD")
    log_download(ctx, d, file, ranges, client_ip(ctx, req), req.get_header_value("User-Agent"));
  uint64_t total = 0;
  for (const auto& p : pieces) total += p.size();
  res.set_header("Content-Disposition", content_disposition(file.path));
  if (total == 0) {
    res.set_content("", type.c_str());  // an empty file: Content-Length 0, no provider
    return;
  }
  res.set_content_provider(size_t(total), type.c_str(), pieces_provider(fp, std::move(pieces)));
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
    page(res, 200, "Your download", list + "</ul>");
  });
}

}  // namespace continuata::server
