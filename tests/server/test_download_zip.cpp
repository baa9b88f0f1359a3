// ZIP downloads over real HTTP (both stores): a version's ZIP (?format=zip) and bundle ZIPs (the
// seller API's items, the portal's whole library), checked by unzip -t, 7z t and Python's
// zipfile, which no one here wrote; names in Greek, Cyrillic and with spaces; exact length,
// stable ETag, Range, multipart, 416, If-Range, If-None-Match, HEAD; CRC-32 at upload and the
// start-up computation for older rows; the session log and the seller's CSV report; nginx mode
// streaming the archive itself.
#include <doctest/doctest.h>
#include <zlib.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>

#include "server/org_fixture.hpp"
#include "server/store_seller.hpp"
#include "server/text_encoding.hpp"

using continuata::testing::SharedStore;
using continuata::testing::TestOrg;
using continuata::testing::TestServer;
using nlohmann::json;
namespace srv = continuata::server;
namespace fs = std::filesystem;

namespace {

using Files = std::vector<std::pair<std::string, std::string>>;

const Files kDrumFiles = {{"Kicks/Ελληνικά kick.wav", std::string(300000, 'k') + "end"},
                          {"Snares/Кириллица snare.wav", std::string(123457, 's')},
                          {"read me.txt", "Thanks for buying Epic Drum Kit.\n"}};

// A product named `name` with an active version `version` holding `files`.
void named_product(const TestOrg& org, const std::string& pid, const std::string& name, const Files& files,
                   const std::string& version = "1.0.0") {
  auto c = org.c();
  REQUIRE(org.post("/api/products", {{"name", name}, {"slug", pid}})->status == 201);
  REQUIRE(org.post("/api/products/" + pid + "/versions", {{"version", version}})->status == 201);
  for (auto& [path, content] : files) {
    std::string url = "/api/products/" + pid + "/versions/" + version + "/files/" + srv::url_encode(path);
    for (size_t at; (at = url.find("%2F")) != std::string::npos;) url.replace(at, 3, "/");
    auto r = c.Put(url.c_str(), org.A, content, "application/octet-stream");
    REQUIRE(r);
    REQUIRE_MESSAGE(r->status == 201, r->body);
  }
  REQUIRE(org.post("/api/products/" + pid + "/versions/" + version + "/activate", json::object())->status ==
          200);
}

std::string path_of(const std::string& url) {
  return url.substr(url.find("/download"));
}

fs::path temp_file(const std::string& suffix) {
  return fs::temp_directory_path() / ("continuata-zip-" + std::to_string(std::random_device{}()) + suffix);
}

void write_file(const fs::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
}

// unzip -t, 7z t and Python's zipfile on the archive; Python also checks that its entries are
// exactly `want` (name -> bytes). Returns the number of tools that passed.
int tools_accept(const std::string& archive, const std::map<std::string, std::string>& want) {
  fs::path zip = temp_file(".zip"), expect = temp_file(".json");
  write_file(zip, archive);
  json j = json::object();
  for (auto& [name, bytes] : want)
    j[name] = {{"size", bytes.size()}, {"crc", crc32(0, (const Bytef*)bytes.data(), uInt(bytes.size()))}};
  write_file(expect, j.dump());
  int passed = 0;
  passed += std::system(("unzip -tqq " + zip.string() + " >/dev/null").c_str()) == 0;
  passed += std::system(("7z t " + zip.string() + " >/dev/null").c_str()) == 0;
  std::string py =
      "/usr/bin/python3 -c \"import json, sys, zipfile, zlib\n"
      "z = zipfile.ZipFile(sys.argv[1]); want = json.load(open(sys.argv[2]))\n"
      "assert z.testzip() is None\n"
      "got = {i.filename: {'size': i.file_size, 'crc': zlib.crc32(z.read(i))} for i in z.infolist()}\n"
      "assert got == want, (got, want)\n"
      "assert all(i.compress_type == 0 and i.flag_bits & 0x800 for i in z.infolist())\n"
      "\" " +
      zip.string() + " " + expect.string();
  passed += std::system(py.c_str()) == 0;
  fs::remove(zip);
  fs::remove(expect);
  return passed;
}

struct ZipShop {
  TestServer server;
  TestOrg org{server, "acme"};
  explicit ZipShop(srv::ServerConfig cfg = {}) : server(cfg) {
    named_product(org, "epic-drums", "Epic Drum Kit", kDrumFiles);
  }
  httplib::Result get(const std::string& url, httplib::Headers h = {}) {
    return server.client().Get(url.c_str(), h);
  }
  std::vector<srv::store::ReportRow> rows(const std::string& org_id = "acme") {
    auto& db = server.app().context().db->connection();
    return srv::store::download_report(db, org_id, 0, INT64_MAX, {}, 100000);
  }
};

std::map<std::string, std::string> as_map(const Files& files, const std::string& folder = "") {
  std::map<std::string, std::string> m;
  for (auto& [p, c] : files) m[folder.empty() ? p : folder + "/" + p] = c;
  return m;
}

}  // namespace

TEST_CASE("zip: CRC-32 is computed at upload, equal to zlib's") {
  ZipShop s;
  auto& ctx = s.server.app().context();
  auto v = srv::store::find_version(ctx.db->connection(), "acme", "epic-drums", "1.0.0");
  REQUIRE(v);
  auto files = srv::store::list_files(ctx.db->connection(), v->id);
  REQUIRE(files.size() == 3);
  for (const auto& f : files) {
    auto it = std::find_if(kDrumFiles.begin(), kDrumFiles.end(), [&](auto& e) { return e.first == f.path; });
    REQUIRE(it != kDrumFiles.end());
    REQUIRE(f.crc32);
    CHECK(*f.crc32 == int64_t(crc32(0, (const Bytef*)it->second.data(), uInt(it->second.size()))));
  }
}

TEST_CASE("zip: a version's ZIP passes unzip, 7z and zipfile, named after the product and version") {
  ZipShop s;
  std::string url = s.org.mint("epic-drums") + "&format=zip";
  auto r = s.get(url);
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->get_header_value("Content-Type") == "application/zip");
  CHECK(r->get_header_value("Content-Length") == std::to_string(r->body.size()));
  CHECK(r->get_header_value("Accept-Ranges") == "bytes");
  // Raw bytes: httplib's client percent-decodes header values.
  std::string head =
      s.server.raw_request("HEAD " + url + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(head.find("\r\nContent-Disposition: attachment; filename=\"Epic Drum Kit 1.0.0.zip\"; "
                  "filename*=UTF-8''Epic%20Drum%20Kit%201.0.0.zip\r\n") != std::string::npos);
  CHECK(tools_accept(r->body, as_map(kDrumFiles)) == 3);
  // The same manifest, another token: the same bytes and ETag.
  auto again = s.get(s.org.mint("epic-drums") + "&format=zip");
  REQUIRE(again);
  CHECK(again->body == r->body);
  std::string etag = r->get_header_value("ETag");
  CHECK(std::regex_match(etag, std::regex("\"zip-[0-9a-f]{40}\"")));
  CHECK(again->get_header_value("ETag") == etag);
  // Other formats are refused rather than guessed.
  CHECK(s.get(s.org.mint("epic-drums") + "&format=tar")->status == 400);
}

TEST_CASE("zip: Range, multipart, 416, If-Range, If-None-Match and HEAD over the archive's bytes") {
  ZipShop s;
  std::string url = s.org.mint("epic-drums") + "&format=zip";
  auto whole = s.get(url);
  REQUIRE(whole);
  const std::string& z = whole->body;
  std::string etag = whole->get_header_value("ETag");
  // Ranges that straddle headers and file bytes.
  auto one = s.get(url, {{"Range", "bytes=10-300100"}});
  REQUIRE(one);
  CHECK(one->status == 206);
  CHECK(one->body == z.substr(10, 300091));
  CHECK(one->get_header_value("Content-Range") == "bytes 10-300100/" + std::to_string(z.size()));
  auto tail = s.get(url, {{"Range", "bytes=-100"}});
  CHECK(tail->body == z.substr(z.size() - 100));
  auto multi = s.get(url, {{"Range", "bytes=0-9,400000-400009"}});
  REQUIRE(multi);
  CHECK(multi->status == 206);
  CHECK(multi->get_header_value("Content-Type").rfind("multipart/byteranges; boundary=", 0) == 0);
  CHECK(multi->body.find("Content-Type: application/zip") != std::string::npos);
  CHECK(multi->body.find(z.substr(400000, 10)) != std::string::npos);
  CHECK(multi->get_header_value("Content-Length") == std::to_string(multi->body.size()));
  auto bad = s.get(url, {{"Range", "bytes=" + std::to_string(z.size()) + "-"}});
  CHECK(bad->status == 416);
  CHECK(bad->get_header_value("Content-Range") == "bytes */" + std::to_string(z.size()));
  CHECK(s.get(url, {{"Range", "bytes=0-9"}, {"If-Range", etag}})->status == 206);
  auto changed = s.get(url, {{"Range", "bytes=0-9"}, {"If-Range", "\"zip-other\""}});
  CHECK(changed->status == 200);
  CHECK(changed->body.size() == z.size());
  CHECK(s.get(url, {{"If-None-Match", etag}})->status == 304);
  auto head = s.server.client().Head(url.c_str());
  REQUIRE(head);
  CHECK(head->status == 200);
  CHECK(head->body.empty());
  CHECK(head->get_header_value("Content-Length") == std::to_string(z.size()));
  // The log: whole downloads and the 10-300100 range were rows of their own, the first two
  // counted; the probe-sized tail and the multipart (short, not at the end) are not rows; HEAD never.
  auto rows = s.rows();
  int counted = 0, archive_rows = 0;
  for (const auto& row : rows) {
    CHECK(row.archive);
    CHECK(row.file_path == "Epic Drum Kit 1.0.0.zip");
    archive_rows++;
    counted += row.counted;
  }
  CHECK(counted == 2);       // the whole download and the 200 for an If-Range of another ETag
  CHECK(archive_rows == 4);  // and the range from byte 10, and the last 100 bytes (the end)
}

TEST_CASE("zip: the seller's CSV report shows ZIP downloads as rows of their own") {
  ZipShop s;
  std::string url = s.org.mint("epic-drums");
  REQUIRE(s.get(url + "&format=zip")->status == 200);
  REQUIRE(s.get(url + "&file=read%20me.txt")->status == 200);
  auto r = s.server.client().Get("/api/reports/downloads?from=2000-01-01&to=2100-01-01", s.org.A);
  REQUIRE(r);
  REQUIRE(r->status == 200);
  CHECK(r->body.find(",user_agent,kind\r\n") != std::string::npos);
  CHECK(r->body.find(",epic-drums,1.0.0,Epic Drum Kit 1.0.0.zip,0,") != std::string::npos);
  CHECK(std::regex_search(r->body,
                          std::regex("Epic Drum Kit 1\\.0\\.0\\.zip,0,[0-9]+,yes,api,[^\r]*,zip\r\n")));
  CHECK(std::regex_search(r->body, std::regex("read me\\.txt,0,[0-9]+,yes,api,[^\r]*,file\r\n")));
}

TEST_CASE("zip: files recorded before CRC-32s get theirs at the next start") {
  SharedStore store;
  std::string vid;
  std::vector<srv::FileEntry> files;
  {
    TestServer first(store.config());
    TestOrg org(first, "acme");
    named_product(org, "epic-drums", "Epic Drum Kit", kDrumFiles);
    auto& db = first.app().context().db->connection();
    vid = srv::store::find_version(db, "acme", "epic-drums", "1.0.0")->id;
    files = srv::store::list_files(db, vid);
    for (const auto& f : files)
      srv::store::set_file_crc32(db, vid, f, std::nullopt);  // as before migration 104
    for (const auto& f : srv::store::list_files(db, vid)) CHECK(!f.crc32);
    // Until then a ZIP cannot be made: its bytes are not all known.
    CHECK(first.client().Get((org.mint("epic-drums") + "&format=zip").c_str())->status == 503);
  }
  TestServer second(store.config());
  auto& db = second.app().context().db->connection();
  auto after = srv::store::list_files(db, vid);
  REQUIRE(after.size() == kDrumFiles.size());
  for (const auto& f : after) {
    const std::string bytes = as_map(kDrumFiles).at(f.path);
    REQUIRE(f.crc32);
    CHECK(*f.crc32 == int64_t(crc32(0, (const Bytef*)bytes.data(), uInt(bytes.size()))));
  }
}

TEST_CASE("zip: a bundle of the seller API's items is one ZIP with a folder per product") {
  ZipShop s;
  Files synth = {{"presets/Ελληνικά.fxp", "preset bytes"}, {"read me.txt", "synth readme"}};
  named_product(s.org, "synth", "Analog/Synth: Presets", synth);
  named_product(s.org, "drums-2", "epic drum kit", {{"a.wav", "second kit"}});  // a folder name repeated
  auto r = s.org.post("/api/generate-download-url", {{"items",
                                                      {{{"productId", "epic-drums"}, {"version", "1.0.0"}},
                                                       {{"productId", "synth"}},
                                                       {{"productId", "drums-2"}}}}});
  REQUIRE(r);
  REQUIRE_MESSAGE(r->status == 200, r->body);
  json link = json::parse(r->body);
  CHECK(link["success"] == true);
  CHECK(link["productId"] == "");
  CHECK(link["downloadToken"].get<std::string>().size() == 64);
  // A bundle token downloads its ZIP with or without format=zip.
  auto z = s.get(path_of(link["downloadUrl"]));
  REQUIRE(z);
  CHECK(z->status == 200);
  CHECK(z->get_header_value("Content-Type") == "application/zip");
  CHECK(z->get_header_value("Content-Disposition").find("filename=\"Org acme library.zip\"") !=
        std::string::npos);
  auto want = as_map(kDrumFiles, "Epic Drum Kit");
  want.merge(as_map(synth, "Analog-Synth- Presets"));
  want["epic drum kit (2)/a.wav"] = "second kit";
  CHECK(tools_accept(z->body, want) == 3);
  auto rows = s.rows();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].archive);
  CHECK(rows[0].bundle);
  CHECK(rows[0].file_path == "Org acme library.zip");
  CHECK(s.get(path_of(link["downloadUrl"]) + "&format=zip")->body == z->body);

  // Each item is checked like a single request; the list is bounded.
  CHECK(s.org.post("/api/generate-download-url", {{"items", json::array()}})->status == 400);
  CHECK(s.org.post("/api/generate-download-url", {{"items", {{{"productId", "nope"}}}}})->status == 404);
  CHECK(s.org.post("/api/generate-download-url", {{"items", {{{"version", "1.0.0"}}}}})->status == 400);
  CHECK(s.org
            .post("/api/generate-download-url",
                  {{"items", {{{"productId", "synth"}}, {{"productId", "synth"}}}}})
            ->status == 400);
  json many = json::array();
  for (int i = 0; i < 101; ++i) many.push_back({{"productId", "synth"}, {"version", "1.0.0"}});
  CHECK(s.org.post("/api/generate-download-url", {{"items", many}})->status == 400);
  CHECK(s.org.post("/api/generate-download-url", {{"items", "synth"}})->status == 400);
}

TEST_CASE("zip: the portal's whole library is one ZIP, inside the session's org scope") {
  srv::ServerConfig cfg;
  cfg.dev = true;  // the dev outbox holds the sign-in code
  ZipShop s(cfg);
  TestOrg other(s.server, "other");
  named_product(other, "strings", "Strings", {{"s.wav", "strings"}});
  named_product(s.org, "unbought", "Unbought", {{"u.wav", "u"}});
  s.org.buy("buyer@example.com", "o1", "epic-drums");
  s.org.buy("buyer@example.com", "o2", "epic-drums");  // bought twice: one folder
  other.buy("buyer@example.com", "o3", "strings");
  s.org.buy("someone@example.com", "o4", "unbought");
  auto c = s.server.client();
  REQUIRE(c.Post("/api/portal/verification", json{{"email", "buyer@example.com"}}.dump(), "application/json")
              ->status == 202);
  auto outbox = json::parse(c.Get("/api/dev/outbox?to=buyer@example.com")->body);
  std::smatch m;
  std::string text = outbox[0]["text"];
  REQUIRE(std::regex_search(text, m, std::regex(R"(\b(\d{6})\b)")));
  auto session = c.Post("/api/portal/session", json{{"email", "buyer@example.com"}, {"code", m[1]}}.dump(),
                        "application/json");
  REQUIRE(session->status == 200);
  httplib::Headers auth = {
      {"Authorization", "Bearer " + json::parse(session->body)["sessionToken"].get<std::string>()}};
  auto all = c.Post("/api/portal/download-url", auth, json{{"all", true}}.dump(), "application/json");
  REQUIRE(all);
  REQUIRE_MESSAGE(all->status == 200, all->body);
  json link = json::parse(all->body);
  auto z = s.get(path_of(link["downloadUrl"]));
  REQUIRE(z->status == 200);
  CHECK(z->get_header_value("Content-Disposition").find("filename=\"Library.zip\"") != std::string::npos);
  auto want = as_map(kDrumFiles, "Epic Drum Kit");
  want["Strings/s.wav"] = "strings";
  CHECK(tools_accept(z->body, want) == 3);
  // Each seller's report shows the library download once, with the buyer's email.
  for (const char* org : {"acme", "other"}) {
    auto rows = s.rows(org);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].archive);
    CHECK(rows[0].email.value_or("") == "buyer@example.com");
  }
  // Scoped to one org (the purchase list's ?org=): only that org's products.
  auto scoped = c.Post("/api/portal/download-url", auth, json{{"all", true}, {"org", "other"}}.dump(),
                       "application/json");
  REQUIRE(scoped->status == 200);
  auto sz = s.get(path_of(json::parse(scoped->body)["downloadUrl"]));
  CHECK(tools_accept(sz->body, {{"Strings/s.wav", "strings"}}) == 3);
  CHECK(sz->get_header_value("Content-Disposition").find("filename=\"Org other library.zip\"") !=
        std::string::npos);
  CHECK(c.Post("/api/portal/download-url", auth, json{{"all", false}}.dump(), "application/json")->status ==
        400);
  CHECK(c.Post("/api/portal/download-url", auth, json{{"all", true}, {"org", "nobody"}}.dump(),
               "application/json")
            ->status == 404);
  CHECK(c.Post("/api/portal/download-url", json{{"all", true}}.dump(), "application/json")->status == 401);
}

TEST_CASE("zip: in nginx mode the server streams the archive itself") {
  srv::ServerConfig cfg;
  cfg.file_serving = srv::FileServing::Nginx;
  ZipShop s(cfg);
  std::string url = s.org.mint("epic-drums");
  auto z = s.get(url + "&format=zip");
  REQUIRE(z);
  CHECK(z->status == 200);
  CHECK(!z->has_header("X-Accel-Redirect"));
  CHECK(z->get_header_value("Accept-Ranges") == "bytes");
  CHECK(tools_accept(z->body, as_map(kDrumFiles)) == 3);
  auto part = s.get(url + "&format=zip", {{"Range", "bytes=5-9"}});
  CHECK(part->status == 206);
  CHECK(part->body == z->body.substr(5, 5));
  CHECK(s.get(url + "&file=read%20me.txt")->has_header("X-Accel-Redirect"));  // a file still goes to nginx
}
