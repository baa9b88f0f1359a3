// Text encodings the server writes into HTML, URLs, headers and JSON, each written once:
// strict UTF-8 checks (what nlohmann::json and browsers accept), repair of untrusted text for
// logs and stored headers, HTML escaping, URL percent-encoding and hex.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/core_api.hpp"

namespace continuata::server {

// Well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing past U+10FFFF.
bool is_valid_utf8(std::string_view s);
// `s` with every ill-formed sequence replaced by U+FFFD and control characters (but TAB)
// dropped, cut to at most `max_bytes` on a character boundary: for text from a request that is
// stored or logged (a User-Agent, a path).
std::string printable_utf8(std::string_view s, size_t max_bytes = 1024);
// JSON text of `j`; invalid UTF-8 in any string becomes U+FFFD instead of an exception.
std::string json_text(const nlohmann::json& j);
// &, <, >, " and ' as entities.
std::string html_escape(std::string_view s);
// Every byte but RFC 3986's unreserved characters percent-encoded (a query value, a filename*):
// core's encoder, which the portal uses too, so both sides write the same URLs.
using core::url_encode;
// Each byte as two lowercase hex digits (digests, random tokens).
std::string hex_encode(std::string_view bytes);

}  // namespace continuata::server
