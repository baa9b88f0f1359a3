// A message's extra header lines as the mail tables store them (JSON [[name, value], ...]) and
// back, and the rule that keeps them from adding header fields of their own.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace continuata::server {

using HeaderLines = std::vector<std::pair<std::string, std::string>>;

// "" for none. Names that are not RFC 5322 field names and values holding CR or LF are left out.
std::string stored_headers(const HeaderLines& headers);
// The lines of stored_headers' text; none for "" or anything unreadable.
HeaderLines read_stored_headers(const std::string& text);

}  // namespace continuata::server
