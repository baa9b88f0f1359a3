// The HTTP front door over raw sockets, where the bytes must be exact: inputs that used to stop
// the server, body rules applied before a body is read, early answers that must not leave a body
// to be parsed as the next request, strict framing, and idle or half-sent connections that must
// not stall anyone else.
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "server/org_fixture.hpp"

using continuata::testing::connect_to;
using continuata::testing::TestOrg;
using continuata::testing::TestServer;
using nlohmann::json;

namespace {

// Status lines in what the server sent (a smuggled request line has no status code).
size_t responses_in(const std::string& answer) {
  static const std::regex status_line(R"(HTTP/1\.1 \d{3} )");
  return size_t(
      std::distance(std::sregex_iterator(answer.begin(), answer.end(), status_line), std::sregex_iterator()));
}

bool alive(const TestServer& s) {
  auto r = s.client().Get("/healthz");
  return r && r->status == 200;
}

}  // namespace

TEST_CASE("inputs that used to stop the server answer 4xx and the server stays up") {
  TestServer s;
  TestOrg org(s, "acme");
  // Invalid UTF-8 in the decoded path (the access log's JSON threw outside every handler).
  CHECK(s.raw_request("GET /%ff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").rfind("HTTP/1.1 404", 0) ==
        0);
  CHECK(s.raw_request("GET /api/%ff%fe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .rfind("HTTP/1.1 404", 0) == 0);
  // A raw byte past ASCII in the request line.
  CHECK(s.raw_request("GET /\xff HTTP/1.1\r\nHost: x\r\n\r\n").rfind("HTTP/1.1 400", 0) == 0);
  // Invalid UTF-8 in header values.
  CHECK(s.raw_request(
             "GET /healthz HTTP/1.1\r\nHost: x\r\nUser-Agent: \xff\xfe\xc0\xaf\r\nConnection: close\r\n\r\n")
            .rfind("HTTP/1.1 200", 0) == 0);
  // A path parameter echoed into an error message.
  auto r = s.client().Get("/api/products/%C0%AF%ff/versions/1", org.A);
  REQUIRE(r);
  CHECK(r->status == 404);
  auto body = json::parse(r->body, nullptr, false);
  REQUIRE(body.is_object());
  CHECK(body["error"].get<std::string>().find("\xEF\xBF\xBD") != std::string::npos);  // U+FFFD stands in
  // Non-numeric, negative and conflicting Content-Length (non-numeric used to be a 500).
  for (std::string cl : {"abc", "-1", "1, 2", "99999999999999999999"})
    CHECK_MESSAGE(s.raw_request("POST /api/portal/verification HTTP/1.1\r\nHost: x\r\nContent-Length: " + cl +
                                "\r\n\r\n{}")
                          .rfind("HTTP/1.1 400", 0) == 0,
                  cl);
  CHECK(alive(s));
}

TEST_CASE("body rules hold before any body byte is read or anyone is authenticated") {
  TestServer s;
  // No Content-Length and no Transfer-Encoding: no body (RFC 9112 §6.3), answered at once
  // instead of reading until the connection closes.
  std::string a = s.raw_request("POST /api/portal/verification HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(a.rfind("HTTP/1.1 400", 0) == 0);
  CHECK(a.find("Request body must be JSON") != std::string::npos);
  // A compressed body would inflate past every limit: 415.
  a = s.raw_request(
      "POST /api/portal/verification HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\n"
      "Content-Length: 4\r\n\r\nabcd");
  CHECK(a.rfind("HTTP/1.1 415", 0) == 0);
  // A PUT that looks like an upload but matches no upload route is a JSON body: 413 up front.
  a = s.raw_request("PUT /api/products/p/files/x HTTP/1.1\r\nHost: x\r\nContent-Length: 104857600\r\n\r\n");
  CHECK(a.rfind("HTTP/1.1 413", 0) == 0);
  a = s.raw_request(
      "PUT /api/products/p/versions/1/filesx/y HTTP/1.1\r\nHost: x\r\nContent-Length: 104857600\r\n\r\n");
  CHECK(a.rfind("HTTP/1.1 413", 0) == 0);
  // Chunked in any letter case is refused on JSON routes (411), never read.
  a = s.raw_request("POST /api/portal/session HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: cHuNkEd\r\n\r\n");
  CHECK(a.rfind("HTTP/1.1 411", 0) == 0);
  CHECK(alive(s));
}

TEST_CASE("an early answer closes the connection: its unread body is never parsed as a request") {
  TestServer s;
  TestOrg org(s, "acme");
  const std::string smuggled = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  // 413 from the JSON body limit, the body holding a second request.
  std::string a = s.raw_request(
      "POST /api/portal/verification HTTP/1.1\r\nHost: x\r\nContent-Length: 2097152\r\n\r\n" + smuggled);
  CHECK(a.rfind("HTTP/1.1 413", 0) == 0);
  CHECK(responses_in(a) == 1);
  CHECK(a.find("Connection: close") != std::string::npos);
  // The upload route's early 401 (no key), 404 (no such product), 409 (active version).
  std::string padded = smuggled + std::string(64 - smuggled.size(), 'x');
  for (std::string auth : {std::string(), "Authorization: Bearer " + org.admin + "\r\n"}) {
    a = s.raw_request("PUT /api/products/none/versions/1.0.0/files/a.bin HTTP/1.1\r\nHost: x\r\n" + auth +
                      "Content-Length: 64\r\n\r\n" + padded);
    CHECK_MESSAGE((a.rfind("HTTP/1.1 401", 0) == 0 || a.rfind("HTTP/1.1 404", 0) == 0), a.substr(0, 40));
    CHECK(responses_in(a) == 1);
  }
  org.product("pack", {{"a.txt", "alpha"}});
  a = s.raw_request(
      "PUT /api/products/pack/versions/1.0.0/files/b.bin HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
      org.admin + "\r\nContent-Length: 64\r\n\r\n" + padded);
  CHECK(a.rfind("HTTP/1.1 409", 0) == 0);
  CHECK(responses_in(a) == 1);
  // A request whose body was read whole keeps the connection: two pipelined requests, two answers.
  a = s.raw_request(
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: "
      "close\r\n\r\n");
  CHECK(responses_in(a) == 2);
  CHECK(alive(s));
}

TEST_CASE("framing the RFC forbids is refused before httplib parses it") {
  TestServer s;
  struct Case {
    std::string bytes;
    const char* status;
  } cases[] = {
      {"GET /healthz HTTP/1.1\nHost: x\n\n", "HTTP/1.1 400"},
      {"POST /api/portal/session HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: "
       "3\r\n\r\n0\r\n\r\n",
       "HTTP/1.1 400"},
      {"POST /api/portal/session HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", "HTTP/1.1 501"},
      {"GET /healthz HTTP/1.1\r\nHost: x\r\n folded: y\r\n\r\n", "HTTP/1.1 400"},
      {"GET /healthz HTTP/2.0\r\n\r\n", "HTTP/1.1 505"},
      {"GET /healthz HTTP/1.1\r\nX-Big: " + std::string(40000, 'a') + "\r\n\r\n", "HTTP/1.1 431"},
  };
  for (const auto& c : cases) {
    std::string a = s.raw_request(c.bytes);
    CHECK_MESSAGE(a.rfind(c.status, 0) == 0, c.bytes.substr(0, 60) << " -> " << a.substr(0, 40));
    CHECK(a.find("Connection: close") != std::string::npos);
  }
  // Empty lines before a request are ignored (RFC 9112 §2.2).
  CHECK(s.raw_request("\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .rfind("HTTP/1.1 200", 0) == 0);
  CHECK(alive(s));
}

TEST_CASE("1,000 idle and half-sent connections hold no thread: the API still answers") {
  TestServer s;
  TestOrg org(s, "acme");
  org.product("pack", {{"a.txt", "alpha"}});
  std::vector<int> fds;
  for (int i = 0; i < 1000; ++i) {
    int fd = connect_to(s.port());
    REQUIRE(fd >= 0);
    if (i % 2) {  // slowloris: the start of a head, never finished
      std::string part = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ";
      CHECK(::send(fd, part.data(), part.size(), MSG_NOSIGNAL) == ssize_t(part.size()));
    }
    fds.push_back(fd);
  }
  // Far more connections than request threads (128 by default) are open; requests still go through.
  for (int i = 0; i < 5; ++i) {
    CHECK(alive(s));
    auto r = org.post("/api/generate-download-url", {{"productId", "pack"}});
    REQUIRE(r);
    CHECK(r->status == 200);
  }
  for (int fd : fds) ::close(fd);
  CHECK(alive(s));
}
