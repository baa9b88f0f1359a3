// Fuzz target: the purchase webhook (record_purchase_webhook), its timestamp and signature
// headers and its body. Most inputs are signed correctly by the target itself, so the fuzzer
// gets past the HMAC to the body's parsing and the purchase recording.
//
// Input: byte 0 picks the mode, the rest is the body unless the mode says otherwise.
//   0  headers from the input: "timestamp\nsignature\nbody", for "fuzz-org"
//   1  signed now: the right timestamp and signature for the body
//   2  "timestamp\nbody": the input's timestamp, signed correctly for it (the window check)
//   3  "org\nbody": signed with fuzz-org's secret, sent to the input's org
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_world.hpp"
#include "server/crypto_util.hpp"
#include "server/service_webhook.hpp"

using namespace continuata;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  fuzz::World& w = fuzz::world();
  w.now_ms += 1000;
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string org = fuzz::kOrg, timestamp = std::to_string(w.now_ms / 1000), signature;
  const unsigned mode = data[0] % 4;
  if (mode == 0) {
    timestamp = std::string(fuzz::take_line(in));
    signature = std::string(fuzz::take_line(in));
  } else if (mode == 2) {
    timestamp = std::string(fuzz::take_line(in));
  } else if (mode == 3) {
    org = std::string(fuzz::take_line(in));
  }
  std::string body(in);
  if (mode != 0)
    signature = "sha256=" + server::hmac_sha256_hex(fuzz::kWebhookSecret, timestamp + "." + body);

  bool recorded = fuzz::answer("record_purchase_webhook", [&] {
    nlohmann::json result = server::record_purchase_webhook(w.ctx(), org, timestamp, signature, body);
    fuzz::must_serialise("record_purchase_webhook", result);
    FUZZ_CHECK(
        result.value("success", false) && result["purchases"].is_array() && !result["purchases"].empty(),
        result.dump());
  });
  // Without the right signature nothing may be recorded.
  if (mode == 0 && recorded) {
    std::string expected = "sha256=" + server::hmac_sha256_hex(fuzz::kWebhookSecret, timestamp + "." + body);
    FUZZ_CHECK(signature == expected, "accepted a webhook with signature " + signature);
  }
  return 0;
}
