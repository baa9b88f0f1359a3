// The downloads report: download sessions of an org between two dates, as RFC 4180 CSV.
#pragma once
#include <string>

#include "server/server_context.hpp"

namespace continuata::server {

// from and to are YYYY-MM-DD (to inclusive). Throws ApiError 400 for missing or bad dates.
std::string downloads_report_csv(ServerContext& ctx, const std::string& org, const std::string& from,
                                 const std::string& to);

// One RFC 4180 field: quoted when it holds a comma, quote, CR or LF; quotes doubled.
std::string csv_field(const std::string& value);

}  // namespace continuata::server
