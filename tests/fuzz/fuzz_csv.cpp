// Fuzz target: the downloads report's CSV (service_reports). Output must be strict RFC 4180
// (read back here by a reader that accepts nothing else) with the same cells that went in, and
// no cell may begin with a character that makes a spreadsheet run it as a formula
// (= + - @ TAB CR, OWASP's list) unless neutralised with a leading quote.
//
// Input: byte 0 picks the mode.
//   0  cells split at NUL bytes, one row rendered with csv_field as the report renders a row
//   1  "from\nto": the report (start_downloads_report, next_report_chunk) over the real store,
//      for the input's dates
//   2  "user agent\nfile path\nip": a download session recorded with those values, then the
//      report of its day, which must hold it exactly
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/core_time.hpp"
#include "fuzz_world.hpp"
#include "server/crypto_util.hpp"
#include "server/service_downloads.hpp"
#include "server/service_reports.hpp"

using namespace continuata;
using Rows = std::vector<std::vector<std::string>>;

namespace {

constexpr size_t kReportColumns = 13;  // the last, kind: file or zip

// RFC 4180, strictly: records end in CRLF (the last one too), fields are unquoted (no comma,
// quote, CR or LF) or quoted with quotes doubled inside; nothing else is accepted.
std::optional<Rows> read_csv(std::string_view s) {
  Rows rows;
  size_t i = 0;
  while (i < s.size()) {
    std::vector<std::string> row;
    for (;;) {
      std::string field;
      if (i < s.size() && s[i] == '"') {
        ++i;
        for (;;) {
          if (i >= s.size()) return std::nullopt;  // unterminated quote
          if (s[i] == '"') {
            if (i + 1 < s.size() && s[i + 1] == '"') {
              field.push_back('"');
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          field.push_back(s[i++]);
        }
      } else {
        while (i < s.size() && s[i] != ',' && s[i] != '\r') {
          if (s[i] == '"' || s[i] == '\n') return std::nullopt;  // bare quote or LF in an unquoted field
          field.push_back(s[i++]);
        }
      }
      row.push_back(std::move(field));
      if (i < s.size() && s[i] == ',') {
        ++i;
        continue;
      }
      if (i + 1 < s.size() && s[i] == '\r' && s[i + 1] == '\n') {
        i += 2;
        break;
      }
      return std::nullopt;  // a field must end in a comma or CRLF
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

bool dangerous_start(const std::string& cell) {
  return !cell.empty() && std::string_view("=+-@\t\r").find(cell[0]) != std::string_view::npos;
}

// What a cell must read back as: the value, or the value behind a quote when it would run.
std::string neutralised(const std::string& v) {
  return dangerous_start(v) ? "'" + v : v;
}

std::string printable(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7f && c != '\\')
      out.push_back(char(c));
    else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out;
}

void check_report(const std::string& csv) {
  auto rows = read_csv(csv);
  FUZZ_CHECK(rows.has_value(), "report is not RFC 4180: " + printable(csv));
  FUZZ_CHECK(!rows->empty() && (*rows)[0].size() == kReportColumns && (*rows)[0][0] == "downloaded_at",
             "report header: " + printable(csv));
  for (const auto& row : *rows) {
    FUZZ_CHECK(row.size() == kReportColumns,
               "a row has " + std::to_string(row.size()) + " cells: " + printable(csv));
    for (const auto& cell : row) FUZZ_CHECK(!dangerous_start(cell), "formula cell " + printable(cell));
  }
}

struct ReportWorld {
  int64_t token_id = 0;
  int64_t day = 0;  // the day the next mode-2 session is recorded on (cycles through 3000 days)
};

ReportWorld& report_world() {
  static ReportWorld r = [] {
    fuzz::World& w = fuzz::world();
    server::ServerContext& ctx = w.ctx();
    core::DownloadLink link =
        server::mint_download_link(ctx, fuzz::kOrg, fuzz::kProduct, std::nullopt, w.purchase_id, "portal");
    ReportWorld out;
    out.token_id = server::store::find_token(ctx.db->connection(), server::sha256_hex(link.token))->id;
    return out;
  }();
  return r;
}

void record_session(int64_t token_id, int64_t at, std::string user_agent, std::string path, std::string ip) {
  server::ServerContext& ctx = fuzz::world().ctx();
  server::store::DownloadSession s;
  s.token_id = token_id;
  s.org_id = fuzz::kOrg;
  s.file_path = std::move(path);
  s.ip = std::move(ip);
  s.user_agent = std::move(user_agent);
  s.range_start = 0;
  s.range_end = 99;
  s.counted = true;
  s.created_at = at;
  server::Db& db = ctx.db->connection();
  server::Transaction tx(db);
  server::store::insert_download_session(db, s);
  tx.commit();
}

// The whole report as the route streams it, in pages of 2 rows so that paging is crossed.
std::string report_csv(server::ServerContext& ctx, const std::string& from, const std::string& to) {
  server::DownloadsReport report = server::start_downloads_report(fuzz::kOrg, from, to);
  std::string csv;
  for (int pages = 0;; ++pages) {
    std::string chunk = server::next_report_chunk(ctx, report, 2);
    if (chunk.empty()) break;
    FUZZ_CHECK(pages < 100000, "the report does not end");
    csv += chunk;
  }
  return csv;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  const unsigned mode = data[0] % 3;

  if (mode == 0) {
    std::vector<std::string> cells;
    for (size_t start = 0;;) {
      size_t end = in.find('\0', start);
      cells.emplace_back(
          in.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
      if (end == std::string_view::npos) break;
      start = end + 1;
    }
    std::string line;
    for (size_t k = 0; k < cells.size(); ++k) line += (k ? "," : "") + server::csv_field(cells[k]);
    line += "\r\n";
    auto rows = read_csv(line);
    FUZZ_CHECK(rows && rows->size() == 1 && (*rows)[0].size() == cells.size(),
               "row is not RFC 4180: " + printable(line));
    for (size_t k = 0; k < cells.size(); ++k) {
      const std::string& got = (*rows)[0][k];
      FUZZ_CHECK(!dangerous_start(got), "formula cell " + printable(got) + " from " + printable(cells[k]));
      FUZZ_CHECK(got == neutralised(cells[k]),
                 "cell " + printable(cells[k]) + " reads back as " + printable(got));
    }
    return 0;
  }

  fuzz::World& w = fuzz::world();
  server::ServerContext& ctx = w.ctx();
  if (mode == 1) {
    std::string from(fuzz::take_line(in)), to(in);
    fuzz::answer("downloads report", [&] { check_report(report_csv(ctx, from, to)); });
    return 0;
  }

  ReportWorld& r = report_world();
  std::string user_agent(fuzz::take_line(in)), path(fuzz::take_line(in)), ip(in);
  if (user_agent.empty() && path.empty()) user_agent = ip;  // no '\n': the whole input is the user agent
  const int64_t day_ms = 86400000;
  int64_t day_start = 946684800000 + (r.day++ % 3000) * day_ms;  // from 2000-01-01
  record_session(r.token_id, day_start + 1000, user_agent, path, ip);
  std::string date = core::format_iso8601_utc(day_start).substr(0, 10);
  std::string csv;
  fuzz::answer("downloads report", [&] { csv = report_csv(ctx, date, date); });
  check_report(csv);
  auto rows = read_csv(csv);
  const auto& last = rows->back();  // this day's newest session is the one just recorded
  FUZZ_CHECK(rows->size() >= 2 && last[9] == "portal", "recorded session missing: " + printable(csv));
  FUZZ_CHECK(
      last[5] == neutralised(path) && last[10] == neutralised(ip) && last[11] == neutralised(user_agent),
      "cells changed: " + printable(csv));
  return 0;
}
