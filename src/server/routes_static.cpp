// /my serves the portal page; /my/<file> its assets, from the built folder (build/web/portal):
//  - only plain names inside that folder: no "..", no empty or dot segments, no backslash, NUL or
//    control bytes, valid UTF-8 only (400 otherwise), regular files only (404 otherwise), and the
//    resolved path must still lie inside the folder (a symlink out of it is not followed);
//  - the build's precompressed copy (<file>.br, <file>.gz) when the request's Accept-Encoding
//    admits it (q=0 refuses), never compressed on the fly, with Vary: Accept-Encoding;
//  - content-hashed names (portal.3f9c01a2b4.wasm) as immutable for a year; everything else
//    (index.html, portal.config.json, the embed loader) as no-cache, revalidated by ETag -> 304.
// The page links its assets relatively, so /my redirects to /my/ (keeping the query: the magic
// link's email and code ride on it).
#include "server/routes_static.hpp"

#include <httplib.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

#include "server/http_engine.hpp"
#include "server/text_encoding.hpp"

namespace continuata::server {
namespace {

namespace fs = std::filesystem;

// The part of the URL path after /my/ (already percent-decoded by httplib, so "%2e%2e" arrives
// here as ".."), checked segment by segment. Dot-files are refused too: nothing hidden is served.
bool safe_relative_path(std::string_view rel) {
  if (rel.empty() || !is_valid_utf8(rel)) return false;  // strict: no overlong forms or surrogates
  size_t start = 0;
  for (;;) {
    size_t end = rel.find('/', start);
    std::string_view seg =
        rel.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (seg.empty() || seg.front() == '.') return false;
    for (char ch : seg) {
      unsigned char c = static_cast<unsigned char>(ch);
      if (c < 0x20 || c == 0x7F || ch == '\\' || ch == ':') return false;
    }
    if (end == std::string_view::npos) return true;
    start = end + 1;
  }
}

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

const char* content_type(std::string_view name) {
  static const std::pair<const char*, const char*> types[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".wasm", "application/wasm"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
  };
  for (const auto& [ext, type] : types)
    if (ends_with(name, ext)) return type;
  return "application/octet-stream";
}

// "portal.3f9c01a2b4.wasm": a name with a hex segment of 8+ characters before the extension is a
// content hash, so its bytes never change and the browser may keep it for a year unasked.
bool content_hashed(std::string_view name) {
  auto slash = name.rfind('/');
  if (slash != std::string_view::npos) name = name.substr(slash + 1);
  auto dot = name.rfind('.');
  if (dot == std::string_view::npos) return false;
  auto prev = name.rfind('.', dot - 1);
  if (dot == 0 || prev == std::string_view::npos) return false;
  std::string_view hash = name.substr(prev + 1, dot - prev - 1);
  if (hash.size() < 8) return false;
  for (char c : hash)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A q-value ("1", "0.8", "0.000"); anything unparsable counts as refused.
double parse_q(std::string_view v) {
  v = trim(v);
  if (v.empty() || v.size() > 5 || (v[0] != '0' && v[0] != '1')) return 0;
  double q = v[0] - '0';
  if (v.size() == 1) return q;
  if (v[1] != '.') return 0;
  double scale = 0.1;
  for (size_t i = 2; i < v.size(); ++i, scale /= 10) {
    if (v[i] < '0' || v[i] > '9') return 0;
    q += (v[i] - '0') * scale;
  }
  return q > 1 ? 0 : q;
}

}  // namespace

// RFC 9110 12.5.3: the quality the request gives `coding` (0: refused or not offered). A coding
// not named takes the q of "*" when there is one.
double accept_encoding_q(const std::string& header, std::string_view coding) {
  double named = -1, star = -1;
  std::string_view rest = header;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    size_t semi = item.find(';');
    std::string name = lower(trim(item.substr(0, semi)));
    if (name.empty()) continue;
    double q = 1;
    if (semi != std::string_view::npos) {
      q = 0;  // parameters other than a well-formed q make the item unusable
      std::string_view params = item.substr(semi + 1);
      while (!params.empty()) {
        size_t next = params.find(';');
        std::string_view p = trim(params.substr(0, next));
        params = next == std::string_view::npos ? std::string_view() : params.substr(next + 1);
        if (p.size() >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') q = parse_q(p.substr(2));
      }
    }
    if (name == coding || (coding == "gzip" && name == "x-gzip"))
      named = std::max(named, q);
    else if (name == "*")
      star = std::max(star, q);
  }
  return named >= 0 ? named : star >= 0 ? star : 0;
}

// RFC 9110 13.1.2: If-None-Match holds "*" or a list of entity tags, compared weakly.
bool etag_matches(const std::string& header, const std::string& etag) {
  auto opaque = [](std::string_view t) {
    t = trim(t);
    if (t.size() >= 2 && t[0] == 'W' && t[1] == '/') t.remove_prefix(2);
    return t;
  };
  if (trim(header) == "*") return true;
  std::string_view rest = header;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    if (opaque(rest.substr(0, comma)) == opaque(etag)) return true;
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  return false;
}

namespace {

struct Representation {
  fs::path path;
  const char* encoding = nullptr;  // nullptr: the file itself
  uintmax_t size = 0;
  int64_t mtime_ns = 0;
};

bool stat_file(const fs::path& p, Representation& r) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  r.path = p;
  r.size = uintmax_t(st.st_size);
  r.mtime_ns = int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  return true;
}

// The best representation the browser accepts: br, then gzip, then the file itself. A variant
// older than its file by a second or more (the file edited after the build, say
// portal.config.json; whole seconds, as copies made by cp or a tool keeping times have) is not used, nor
// one that is no smaller (a woff2 is brotli inside already).
Representation choose(const Representation& plain, const std::string& accept) {
  double qbr = accept_encoding_q(accept, "br"), qgz = accept_encoding_q(accept, "gzip");
  struct Option {
    const char* encoding;
    const char* suffix;
    double q;
  } options[] = {{"br", ".br", qbr}, {"gzip", ".gz", qgz}};
  if (qgz > qbr) std::swap(options[0], options[1]);
  for (const auto& o : options) {
    if (o.q <= 0) continue;
    Representation r;
    if (stat_file(fs::path(plain.path.string() + o.suffix), r) &&
        r.mtime_ns / 1000000000 >= plain.mtime_ns / 1000000000 && r.size < plain.size) {
      r.encoding = o.encoding;
      return r;
    }
  }
  return plain;
}

std::string hex(uint64_t v) {
  char buf[20];
  std::snprintf(buf, sizeof buf, "%llx", static_cast<unsigned long long>(v));
  return buf;
}

void serve_file(const fs::path& root, const std::string& rel, const httplib::Request& req,
                httplib::Response& res) {
  auto not_found = [&] {
    res.status = 404;
    res.set_content("Not found", "text/plain; charset=utf-8");
  };
  // Variants are served by negotiation, not by their own names.
  if (ends_with(rel, ".br") || ends_with(rel, ".gz")) return not_found();
  std::error_code ec;
  fs::path full = fs::weakly_canonical(root / rel, ec);
  if (ec) return not_found();
  auto [inside, _] = std::mismatch(root.begin(), root.end(), full.begin(), full.end());
  if (inside != root.end()) return not_found();
  Representation plain;
  if (!stat_file(full, plain)) return not_found();
  Representation rep = choose(plain, req.get_header_value("Accept-Encoding"));

  std::string etag = "\"" + hex(uint64_t(rep.mtime_ns)) + "-" + hex(rep.size) +
                     (rep.encoding ? std::string("-") + rep.encoding : "") + "\"";
  res.set_header("ETag", etag);
  res.set_header("Vary", "Accept-Encoding");
  res.set_header("Cache-Control", content_hashed(rel) ? "public, max-age=31536000, immutable" : "no-cache");
  res.set_header("X-Content-Type-Options", "nosniff");
  if (req.has_header("If-None-Match") && etag_matches(req.get_header_value("If-None-Match"), etag)) {
    res.status = 304;
    return;
  }
  std::shared_ptr<std::FILE> fp(std::fopen(rep.path.c_str(), "rb"), [](std::FILE* f) {
    if (f) std::fclose(f);
  });
  if (!fp) return not_found();
  if (rep.encoding) res.set_header("Content-Encoding", rep.encoding);
  res.status = 200;  // no Range support: these files are small, and a range of a coded copy helps no one
  if (rep.size == 0) {
    res.set_content("", content_type(rel));
    return;
  }
  // A content provider of known length: httplib sends it as it is (it compresses only bodies
  // and chunked providers), and does not call it for HEAD.
  res.set_content_provider(size_t(rep.size), content_type(rel),
                           [fp, buf = std::make_shared<std::vector<char>>(64 * 1024)](
                               size_t offset, size_t length, httplib::DataSink& sink) {
                             if (std::fseek(fp.get(), long(offset), SEEK_SET) != 0) return false;
                             size_t n = std::fread(buf->data(), 1, std::min(length, buf->size()), fp.get());
                             if (n == 0) return false;
                             return sink.write(buf->data(), n);
                           });
}

}  // namespace

void install_static_routes(HttpEngine& http, const std::string& web_dir) {
  http.Get("/my", [](const httplib::Request& req, httplib::Response& res) {
    std::string target = "/my/";
    auto q = req.target.find('?');
    if (q != std::string::npos) target += req.target.substr(q);
    res.set_redirect(target, 302);
  });
  if (web_dir.empty()) return;
  std::error_code ec;
  fs::path root = fs::weakly_canonical(fs::absolute(web_dir), ec);
  if (ec) root = fs::path(web_dir);
  http.Get(R"(/my/(.*))", [root](const httplib::Request& req, httplib::Response& res) {
    std::string rel = req.path.substr(4);  // after "/my/"
    if (rel.empty()) rel = "index.html";
    if (!safe_relative_path(rel)) {
      res.status = 400;
      res.set_content("Bad request", "text/plain; charset=utf-8");
      return;
    }
    serve_file(root, rel, req, res);
  });
}

}  // namespace continuata::server
