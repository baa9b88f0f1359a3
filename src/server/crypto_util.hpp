// Secrets and their comparison, all through OpenSSL: random tokens and codes, SHA-256 for
// credentials at rest and for file contents (whole or streamed), HMAC-SHA256 for webhook
// signatures, constant-time equality. Digests are returned as lowercase hex (text_encoding).
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX: only this file's .cpp includes OpenSSL

namespace continuata::server {

// `bytes` random bytes from OpenSSL's CSPRNG, hex encoded (2*bytes characters).
std::string random_hex(size_t bytes);
// `digits` decimal digits, uniform (rejection sampling, no modulo bias), e.g. "048213".
std::string random_digits(size_t digits);
std::string sha256_hex(std::string_view data);
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
// Equality whose time depends only on the lengths, never on where the strings differ.
bool constant_time_equal(std::string_view a, std::string_view b);

// SHA-256 of bytes that arrive in pieces (an upload as it streams, a file read in chunks).
class Sha256 {
 public:
  Sha256();  // throws std::runtime_error when OpenSSL cannot set up the digest
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  // False when OpenSSL refused the bytes (the digest is then unusable).
  bool update(const void* data, size_t len);
  // The digest of everything given so far, as hex; call once.
  std::string finish_hex();

 private:
  struct Free {
    void operator()(evp_md_ctx_st* c) const;
  };
  std::unique_ptr<evp_md_ctx_st, Free> ctx_;
};

}  // namespace continuata::server
