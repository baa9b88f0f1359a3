// UTC timestamps as the API writes them ("2026-04-02T00:00:00.000Z"), to and from Unix epoch
// milliseconds, without time-zone libraries (the same code runs in the server and in wasm).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace continuata::core {

std::string format_iso8601_utc(int64_t epoch_ms);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff]Z" and "YYYY-MM-DD" (midnight UTC); nullopt otherwise.
std::optional<int64_t> parse_iso8601_utc(std::string_view text);

}  // namespace continuata::core
