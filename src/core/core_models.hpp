// What the portal knows about a customer's purchases, session and links, parsed from the API's
// JSON without throwing (the web build has exceptions off): malformed input is a nullopt.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace continuata::core {

struct FileInfo {
  std::string path, sha256;
  int64_t size = 0;
};

struct Purchase {
  int64_t purchase_id = 0;
  std::string order_id, product_id, product_name, purchased_version, latest_version;
  int64_t purchased_at_ms = 0;
  std::vector<FileInfo> files;
};

struct Session {
  std::string token, email;
  int64_t expires_at_ms = 0;
};

struct DownloadLink {
  std::string url, version;
  int64_t expires_at_ms = 0;
};

std::optional<std::vector<Purchase>> parse_purchases(std::string_view body);
std::optional<Session> parse_session(std::string_view body);
std::optional<DownloadLink> parse_download_link(std::string_view body);
// The "error" text of an error body, or "" when there is none.
std::string parse_error_message(std::string_view body);
// The "triesLeft" of a refused code, if the answer has one.
std::optional<int64_t> parse_tries_left(std::string_view body);

// A saved session as the platform stores it (JSON), and back.
std::string serialize_session(const Session& s);
std::optional<Session> deserialize_session(std::string_view text);

}  // namespace continuata::core
