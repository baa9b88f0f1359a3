// Secrets and their comparison, all through OpenSSL: random tokens and codes, SHA-256 for
// credentials at rest, HMAC-SHA256 for webhook signatures, constant-time equality.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace continuata::server {

// `bytes` random bytes from OpenSSL's CSPRNG, hex encoded (2*bytes characters).
std::string random_hex(size_t bytes);
// `digits` decimal digits, uniform (rejection sampling, no modulo bias), e.g. "048213".
std::string random_digits(size_t digits);
std::string sha256_hex(std::string_view data);
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
// Equality whose time depends only on the lengths, never on where the strings differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace continuata::server
