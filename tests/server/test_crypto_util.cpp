// Known-answer tests for the hashes and HMAC, and the shape and spread of random values.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "server/crypto_util.hpp"

using namespace continuata::server;

TEST_CASE("sha256 and hmac match published test vectors") {
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // RFC 4231 test case 2
  CHECK(hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("random values have the asked shape and do not repeat") {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    auto t = random_hex(32);
    CHECK(t.size() == 64);
    CHECK(t.find_first_not_of("0123456789abcdef") == std::string::npos);
    seen.insert(t);
  }
  CHECK(seen.size() == 200);
  int digit_counts[10] = {};
  for (int i = 0; i < 2000; ++i) {
    auto code = random_digits(6);
    REQUIRE(code.size() == 6);
    for (char c : code) {
      REQUIRE((c >= '0' && c <= '9'));
      digit_counts[c - '0']++;
    }
  }
  for (int n : digit_counts) CHECK(n > 900);  // 1200 expected each; a stuck digit would fail
}

TEST_CASE("constant_time_equal compares contents and lengths") {
  CHECK(constant_time_equal("abc", "abc"));
  CHECK_FALSE(constant_time_equal("abc", "abd"));
  CHECK_FALSE(constant_time_equal("abc", "abcd"));
  CHECK(constant_time_equal("", ""));
}

TEST_CASE("a streamed sha256 equals the one-shot digest however the bytes are split") {
  std::string data(100000, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = char(i * 7 + 3);
  Sha256 whole;
  whole.update(data.data(), data.size());
  Sha256 pieces;
  for (size_t at = 0; at < data.size(); at += 333)
    pieces.update(data.data() + at, std::min<size_t>(333, data.size() - at));
  std::string expected = sha256_hex(data);
  CHECK(whole.finish_hex() == expected);
  CHECK(pieces.finish_hex() == expected);
  Sha256 empty;
  CHECK(empty.finish_hex() == sha256_hex(""));
}
