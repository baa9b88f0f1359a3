// The downloads report: download sessions of an org between two dates, as RFC 4180 CSV,
// produced a page of rows at a time so a report of any size streams with flat memory.
#pragma once
#include <cstdint>
#include <string>

#include "server/server_context.hpp"
#include "server/store_seller.hpp"

namespace continuata::server {

// A report being written: its org and time range, and where the next page starts.
struct DownloadsReport {
  std::string org;
  int64_t from = 0, to = 0;  // Unix ms, to exclusive
  store::ReportCursor next;
  bool header_sent = false, done = false;
};

// from and to are YYYY-MM-DD (to inclusive). Throws ApiError 400 for missing or bad dates.
DownloadsReport start_downloads_report(const std::string& org, const std::string& from,
                                       const std::string& to);
// The next piece of CSV (the header line first, then up to `page` rows); "" once done.
std::string next_report_chunk(ServerContext& ctx, DownloadsReport& report, int page = 500);

// One RFC 4180 field: quoted when it holds a comma, quote, CR or LF; quotes doubled. A cell a
// spreadsheet would run as a formula (=, +, -, @, TAB or CR first) gets a leading quote (OWASP).
std::string csv_field(const std::string& value);

}  // namespace continuata::server
