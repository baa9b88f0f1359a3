// text_encoding: the one HTML, URL and hex encoding and the strict UTF-8 rules the server uses.
#include <doctest/doctest.h>

#include <string>

#include "server/text_encoding.hpp"

namespace srv = continuata::server;

TEST_CASE("HTML escaping covers the five characters that can break out of text or an attribute") {
  CHECK(srv::html_escape("<a href=\"x\">Tom & Jerry's</a>") ==
        "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  CHECK(srv::html_escape("Orchestral – Strings") == "Orchestral – Strings");
}

TEST_CASE("URL encoding leaves only RFC 3986's unreserved characters") {
  CHECK(srv::url_encode("buyer+tag@example.com") == "buyer%2Btag%40example.com");
  CHECK(srv::url_encode("A-z_0.9~") == "A-z_0.9~");
  CHECK(srv::url_encode("docs/a b.txt") == "docs%2Fa%20b.txt");
  CHECK(srv::url_encode("\xE2\x80\x93") == "%E2%80%93");
}

TEST_CASE("hex is two lowercase digits per byte") {
  CHECK(srv::hex_encode("") == "");
  CHECK(srv::hex_encode(std::string("\x00\x01\xab\xff", 4)) == "0001abff");
}

TEST_CASE("UTF-8 is strict; printable text drops controls and repairs the rest") {
  CHECK(srv::is_valid_utf8("plain – ascii and more"));
  for (const char* bad : {"\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x80", "\xFF"})
    CHECK_MESSAGE(!srv::is_valid_utf8(bad), bad);
  CHECK(srv::printable_utf8("a\x01"
                            "b\tc\xFF") == "ab\tc\xEF\xBF\xBD");
  CHECK(srv::printable_utf8("abcdef", 3) == "abc");
  CHECK(srv::json_text(nlohmann::json("\xFF")) == "\"\xEF\xBF\xBD\"");
}
