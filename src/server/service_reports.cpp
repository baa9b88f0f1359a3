// CSV rendering of download sessions.
#include "server/service_reports.hpp"

#include "core/core_time.hpp"
#include "server/api_error.hpp"
#include "server/store_seller.hpp"

namespace continuata::server {

std::string csv_field(const std::string& v) {
  bool formula = !v.empty() &&
                 (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r');
  std::string s = formula ? "'" + v : v;
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"')
      out += "\"\"";
    else
      out.push_back(c);
  }
  return out + "\"";
}

DownloadsReport start_downloads_report(const std::string& org, const std::string& from,
                                       const std::string& to) {
  if (from.empty() || to.empty()) throw ApiError(400, "\"from\" and \"to\" are required, as YYYY-MM-DD");
  auto f = from.size() == 10 ? core::parse_iso8601_utc(from) : std::nullopt;
  auto t = to.size() == 10 ? core::parse_iso8601_utc(to) : std::nullopt;
  if (!f) throw ApiError(400, "\"from\" must be a date like 2026-04-01");
  if (!t) throw ApiError(400, "\"to\" must be a date like 2026-04-30");
  if (*f > *t) throw ApiError(400, "\"from\" must not be after \"to\"");
  const int64_t day = 86400000;
  DownloadsReport r;
  r.org = org;
  r.from = *f;
  r.to = *t + day;
  return r;
}

std::string next_report_chunk(ServerContext& ctx, DownloadsReport& report, int page) {
  if (report.done) return "";
  std::string out;
  if (!report.header_sent) {
    report.header_sent = true;
    out =
        "downloaded_at,order_id,email,product_id,version,file,range_start,range_end,new_download,source,ip,"
        "user_agent,kind\r\n";
  }
  auto rows =
      store::download_report(ctx.db->connection(), report.org, report.from, report.to, report.next, page);
  if (int(rows.size()) < page) report.done = true;
  for (auto& r : rows) {
    if (r.bundle) r.product_id = r.version = "";  // a library's ZIP: no one product (file: its name)
    out += csv_field(core::format_iso8601_utc(r.created_at)) + "," + csv_field(r.order_id.value_or("")) +
           "," + csv_field(r.email.value_or("")) + "," + csv_field(r.product_id) + "," +
           csv_field(r.version) + "," + csv_field(r.file_path) + "," + std::to_string(r.range_start) + "," +
           std::to_string(r.range_end) + "," + (r.counted ? "yes" : "no") + "," + csv_field(r.source) + "," +
           csv_field(r.ip) + "," + csv_field(r.user_agent) + "," + (r.archive ? "zip" : "file") + "\r\n";
    report.next = {r.created_at, r.id};
  }
  return out;
}

}  // namespace continuata::server
