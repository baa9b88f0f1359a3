// OpenSSL-backed random values, hashes (one-shot and streamed), HMAC and constant-time comparison.
#include "server/crypto_util.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

#include "server/text_encoding.hpp"

namespace continuata::server {
namespace {

std::string to_hex(const unsigned char* p, size_t n) {
  return hex_encode(std::string_view(reinterpret_cast<const char*>(p), n));
}

void random_bytes(unsigned char* p, size_t n) {
  if (RAND_bytes(p, int(n)) != 1) throw std::runtime_error("OpenSSL RAND_bytes failed");
}

}  // namespace

std::string random_hex(size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  random_bytes(buf.data(), bytes);
  return to_hex(buf.data(), bytes);
}

std::string random_digits(size_t digits) {
  std::string out;
  while (out.size() < digits) {
    unsigned char b;
    random_bytes(&b, 1);
    if (b < 250) out.push_back(char('0' + b % 10));  // 250 = 25*10: reject the biased tail
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("OpenSSL EVP_Digest failed");
  return to_hex(md, len);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), key.data(), int(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
            data.size(), md, &len))
    throw std::runtime_error("OpenSSL HMAC failed");
  return to_hex(md, len);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void Sha256::Free::operator()(evp_md_ctx_st* c) const {
  EVP_MD_CTX_free(c);
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("OpenSSL EVP_DigestInit_ex failed");
}

Sha256::~Sha256() = default;

bool Sha256::update(const void* data, size_t len) {
  return EVP_DigestUpdate(ctx_.get(), data, len) == 1;
}

std::string Sha256::finish_hex() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx_.get(), md, &len) != 1)
    throw std::runtime_error("OpenSSL EVP_DigestFinal_ex failed");
  return to_hex(md, len);
}

}  // namespace continuata::server
