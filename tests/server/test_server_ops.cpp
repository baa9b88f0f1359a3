// What operators rely on, over real HTTP: /readyz (ready while the database answers; 503 with the
// API's error shape when it does not, or once the server drains), /metrics in the Prometheus text
// format (counters by route pattern, never raw paths; cumulative histograms; bytes as sent) and
// who may read it (loopback peers not behind a proxy, or the bearer token).
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "server/org_fixture.hpp"

using continuata::testing::connect_to;
using continuata::testing::TestOrg;
using continuata::testing::TestServer;
using nlohmann::json;

namespace {

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// A strict enough reader of the text exposition format: every line is a comment or one sample.
std::vector<Sample> parse_exposition(const std::string& text) {
  std::vector<Sample> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    Sample s;
    size_t at = line.find_first_of("{ ");
    REQUIRE_MESSAGE(at != std::string::npos, line);
    s.name = line.substr(0, at);
    if (line[at] == '{') {
      ++at;
      while (line[at] != '}') {
        size_t eq = line.find("=\"", at);
        REQUIRE_MESSAGE(eq != std::string::npos, line);
        std::string key = line.substr(at, eq - at), value;
        size_t i = eq + 2;
        for (; line[i] != '"'; ++i) {
          if (line[i] == '\\') ++i;
          value += line[i];
        }
        s.labels[key] = value;
        at = i + 1;
        if (line[at] == ',') ++at;
      }
      ++at;
    }
    REQUIRE_MESSAGE(line[at] == ' ', line);
    std::string v = line.substr(at + 1);
    s.value = v == "+Inf" ? HUGE_VAL : std::stod(v);
    out.push_back(std::move(s));
  }
  return out;
}

// One kept-alive connection: a request's metrics are recorded after its answer is written, but
// before the engine reads the next request of the same connection, so a scrape on it sees them.
httplib::Client kept_alive(const TestServer& s) {
  auto c = s.client();
  c.set_keep_alive(true);
  return c;
}

std::vector<Sample> scrape(httplib::Client& c) {
  auto r = c.Get("/metrics");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  CHECK(r->get_header_value("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
  return parse_exposition(r->body);
}

// The value of the one sample with this name and these labels (among others); 0 when absent.
double value_of(const std::vector<Sample>& samples, const std::string& name,
                const std::map<std::string, std::string>& labels) {
  double found = 0;
  int matches = 0;
  for (const auto& s : samples) {
    if (s.name != name) continue;
    bool all = true;
    for (const auto& [k, v] : labels) all = all && s.labels.count(k) && s.labels.at(k) == v;
    if (all && s.labels.size() == labels.size()) {
      found = s.value;
      ++matches;
    }
  }
  CHECK(matches <= 1);
  return found;
}

// Descriptors of this process open on `path`.
int open_descriptors_on(const std::filesystem::path& path) {
  int n = 0;
  std::error_code ec;
  for (const auto& fd : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    auto target = std::filesystem::read_symlink(fd.path(), ec);
    if (!ec && target == path) ++n;
  }
  return n;
}

std::string read_until_closed(int fd) {
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, size_t(n));
  return out;
}

}  // namespace

TEST_CASE("/readyz is ready while the database answers; /healthz is liveness only") {
  TestServer s;
  auto r = s.client().Get("/readyz");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(json::parse(r->body) == json{{"status", "ready"}});
  CHECK(r->get_header_value("Cache-Control") == "no-store");
  r = s.client().Get("/healthz");
  CHECK(r->status == 200);
}

TEST_CASE("/readyz answers 503 with the error shape when the database does not answer") {
  continuata::testing::SqliteOnly sqlite;  // the database broken here is SQLite's file
  TestServer s;
  // Put something that is not a database where the database was. The pool's one connection
  // (the migrations') is borrowed here, so the readiness query opens a new one, on the broken
  // file. First wait until the checkpoint thread has its connection (with the migrations' one,
  // two descriptors): it opens one as it starts, and would find the broken file too.
  s.app().context().db->connection();
  auto db = std::filesystem::canonical(s.dir() / "continuata.db");
  for (int i = 0; i < 2000 && open_descriptors_on(db) < 2; ++i) usleep(1000);
  REQUIRE(open_descriptors_on(db) >= 2);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db.string() + suffix);
  std::ofstream(db) << std::string(4096, 'x');
  auto c = kept_alive(s);
  auto r = c.Get("/readyz");
  REQUIRE(r);
  CHECK(r->status == 503);
  CHECK(json::parse(r->body)["error"] == "The database does not answer");
  r = c.Get("/healthz");  // the process itself is alive
  CHECK(r->status == 200);
  auto samples = scrape(c);
  CHECK(value_of(samples, "continuata_database_up", {}) == 0);
  CHECK(value_of(samples, "continuata_http_requests_total",
                 {{"method", "GET"}, {"route", "/readyz"}, {"status", "503"}}) == 1);
}

TEST_CASE("/metrics counts requests by route pattern, with cumulative histograms and bytes") {
  TestServer s;
  TestOrg org(s, "acme");
  const std::string content(300000, 'z');
  org.product("pack", {{"kit.bin", content}});
  const std::string link = org.mint("pack");
  auto c = kept_alive(s);
  auto before = scrape(c);
  const std::map<std::string, std::string> list = {
      {"method", "GET"}, {"route", "/api/products"}, {"status", "200"}};
  for (int i = 0; i < 3; ++i) CHECK(c.Get("/api/products", org.A)->status == 200);
  CHECK(c.Get("/api/products/pack/versions/1.0.0", org.A)->status == 200);
  CHECK(c.Get("/no/such/place-9f3a?token=secret")->status == 404);
  auto dl = c.Get(link.c_str());
  REQUIRE(dl);
  CHECK(dl->body == content);
  auto after = scrape(c);

  CHECK(value_of(after, "continuata_http_requests_total", list) -
            value_of(before, "continuata_http_requests_total", list) ==
        3);
  // A path with parameters is counted under its pattern, an unknown path under "other".
  CHECK(
      value_of(after, "continuata_http_requests_total",
               {{"method", "GET"}, {"route", "/api/products/([^/]+)/versions/([^/]+)"}, {"status", "200"}}) ==
      1);
  CHECK(value_of(after, "continuata_http_requests_total",
                 {{"method", "GET"}, {"route", "other"}, {"status", "404"}}) == 1);
  for (const auto& sample : after)
    if (sample.labels.count("route")) {
      CHECK(sample.labels.at("route").find("place-9f3a") == std::string::npos);
      CHECK(sample.labels.at("route").find("pack") == std::string::npos);
    }
  // The download's bytes are counted as they were sent: the body and its headers.
  const std::map<std::string, std::string> download = {{"method", "GET"}, {"route", "/download"}};
  CHECK(value_of(after, "continuata_http_response_bytes_total", download) > double(content.size()));
  CHECK(value_of(after, "continuata_http_response_bytes_total", download) < double(content.size()) + 4096);
  CHECK(value_of(after, "continuata_http_requests_total",
                 {{"method", "GET"}, {"route", "/download"}, {"status", "200"}}) == 1);

  // Every histogram: buckets cumulative in le order, +Inf equal to _count, the same requests as
  // the counters of that method and route.
  size_t histograms = 0;
  for (const auto& c : after) {
    if (c.name != "continuata_http_request_duration_seconds_count") continue;
    ++histograms;
    std::vector<std::pair<double, double>> buckets;
    for (const auto& b : after)
      if (b.name == "continuata_http_request_duration_seconds_bucket" &&
          b.labels.at("method") == c.labels.at("method") && b.labels.at("route") == c.labels.at("route"))
        buckets.emplace_back(b.labels.at("le") == "+Inf" ? HUGE_VAL : std::stod(b.labels.at("le")), b.value);
    REQUIRE(buckets.size() == 16);
    for (size_t i = 1; i < buckets.size(); ++i) {
      CHECK(buckets[i].first > buckets[i - 1].first);
      CHECK(buckets[i].second >= buckets[i - 1].second);
    }
    CHECK(buckets.back().first == HUGE_VAL);
    CHECK(buckets.back().second == c.value);
    double requests = 0;
    for (const auto& r : after)
      if (r.name == "continuata_http_requests_total" && r.labels.at("method") == c.labels.at("method") &&
          r.labels.at("route") == c.labels.at("route"))
        requests += r.value;
    CHECK(requests == c.value);
  }
  CHECK(histograms >= 5);
  // Queue depths are there (this scrape is itself in progress on the API pool).
  CHECK(value_of(after, "continuata_http_requests_in_progress", {{"pool", "api"}}) >= 1);
  CHECK(value_of(after, "continuata_http_threads", {{"pool", "download"}}) == 128);
  CHECK(value_of(after, "continuata_mail_queue_pending", {}) == 0);
  CHECK(value_of(after, "continuata_database_up", {}) == 1);
  CHECK(value_of(after, "continuata_draining", {}) == 0);
}

TEST_CASE("/metrics: behind a proxy it is refused; with a token only the token opens it") {
  {
    TestServer s;
    auto r = s.client().Get("/metrics", {{"X-Forwarded-For", "203.0.113.9"}});
    REQUIRE(r);
    CHECK(r->status == 403);
    CHECK(json::parse(r->body).contains("error"));
  }
  continuata::server::ServerConfig cfg;
  cfg.metrics_token = "m3trics-t0ken";
  TestServer s(cfg);
  auto r = s.client().Get("/metrics");
  REQUIRE(r);
  CHECK(r->status == 401);
  CHECK(r->get_header_value("WWW-Authenticate") == "Bearer");
  CHECK(json::parse(r->body).contains("error"));
  CHECK(s.client().Get("/metrics", {{"Authorization", "Bearer m3trics-t0ke"}})->status == 401);
  CHECK(s.client().Get("/metrics", {{"Authorization", "Bearer m3trics-t0kenX"}})->status == 401);
  r = s.client().Get("/metrics", {{"Authorization", "Bearer m3trics-t0ken"}});
  CHECK(r->status == 200);
  CHECK(r->body.find("# TYPE continuata_http_requests_total counter") != std::string::npos);
}

TEST_CASE("draining: new connections are refused, /readyz is 503, a request under way is answered") {
  continuata::server::ServerConfig cfg;
  cfg.shutdown_grace_seconds = 20;
  TestServer s(cfg);
  // A request whose head is still arriving when the drain starts.
  int under_way = connect_to(s.port());
  REQUIRE(under_way >= 0);
  const std::string head = "GET /readyz HTTP/1.1\r\nHost: x\r\n";
  REQUIRE(::send(under_way, head.data(), head.size(), MSG_NOSIGNAL) == ssize_t(head.size()));
  // An answer on a later connection: the event loop has read the head's first bytes by then.
  REQUIRE(s.client().Get("/healthz")->status == 200);
  s.app().drain();
  int refused = 0;
  for (int i = 0; i < 1000 && !refused; ++i) {  // the listener closes on the event loop, soon
    int fd = connect_to(s.port());
    if (fd < 0)
      refused = 1;
    else
      ::close(fd);
    usleep(10000);
  }
  CHECK(refused == 1);
  REQUIRE(::send(under_way, "\r\n", 2, MSG_NOSIGNAL) == 2);
  std::string answer = read_until_closed(under_way);
  ::close(under_way);
  CHECK(answer.rfind("HTTP/1.1 503", 0) == 0);
  CHECK(answer.find("Connection: close") != std::string::npos);
  CHECK(json::parse(answer.substr(answer.find("\r\n\r\n") + 4))["error"] == "The server is shutting down");
}
