// The HTTP metrics registry and the exposition text (see server_metrics.hpp).
#include "server/server_metrics.hpp"

#include <cmath>
#include <cstdio>

namespace continuata::server {
namespace {

constexpr std::array<const char*, 8> kMethodNames = {"GET",   "HEAD",   "POST",    "PUT",
                                                     "PATCH", "DELETE", "OPTIONS", "other"};

std::string number(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  char buf[32];
  if (v == std::floor(v) && std::fabs(v) < 9.0e15)
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

void header(std::string& out, const char* name, const char* type, const char* help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

}  // namespace

std::string label_value(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

void append_gauge(std::string& out, const Gauge& g) {
  header(out, g.name.c_str(), "gauge", g.help.c_str());
  for (const auto& [labels, value] : g.samples)
    out += g.name + (labels.empty() ? "" : "{" + labels + "}") + " " + number(value) + "\n";
}

HttpMetrics::HttpMetrics() : table_(std::make_unique<std::array<Route, kMaxRoutes>>()) {
  (*table_)[kOther].pattern = "other";
  routes_ = 1;
}

HttpMetrics::~HttpMetrics() = default;

int HttpMetrics::route(const std::string& pattern) {
  std::lock_guard<std::mutex> lock(register_mu_);
  size_t n = routes_.load();
  for (size_t i = 1; i < n; ++i)
    if ((*table_)[i].pattern == pattern) return int(i);
  if (n == kMaxRoutes) return kOther;
  (*table_)[n].pattern = pattern;
  routes_.store(n + 1, std::memory_order_release);  // the pattern is written before it is counted
  return int(n);
}

int HttpMetrics::method_slot(std::string_view method) {
  for (size_t i = 0; i + 1 < kMethodNames.size(); ++i)
    if (method == kMethodNames[i]) return int(i);
  return int(kMethodNames.size() - 1);
}

void HttpMetrics::add_bytes(int route, int method, uint64_t n) {
  (*table_)[size_t(route)].series[size_t(method)].bytes.fetch_add(n, std::memory_order_relaxed);
}

void HttpMetrics::observe(int route, int method, int status, double seconds) {
  Series& s = (*table_)[size_t(route)].series[size_t(method)];
  size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  std::lock_guard<std::mutex> lock(s.mu);
  ++s.by_status[status];
  ++s.buckets[bucket];
  s.sum += seconds;
  ++s.count;
}

std::string HttpMetrics::render() const {
  struct Snapshot {
    std::string labels;  // method="GET",route="..."
    std::map<int, uint64_t> by_status;
    std::array<uint64_t, kBuckets.size() + 1> buckets{};
    double sum = 0;
    uint64_t count = 0, bytes = 0;
  };
  std::vector<Snapshot> snaps;
  size_t n = routes_.load(std::memory_order_acquire);
  for (size_t r = 0; r < n; ++r) {
    const Route& route = (*table_)[r];
    for (size_t m = 0; m < kMethods; ++m) {
      const Series& s = route.series[m];
      Snapshot snap;
      snap.bytes = s.bytes.load(std::memory_order_relaxed);
      {
        std::lock_guard<std::mutex> lock(s.mu);
        snap.by_status = s.by_status;
        snap.buckets = s.buckets;
        snap.sum = s.sum;
        snap.count = s.count;
      }
      if (!snap.count && !snap.bytes) continue;
      snap.labels =
          std::string("method=\"") + kMethodNames[m] + "\",route=\"" + label_value(route.pattern) + "\"";
      snaps.push_back(std::move(snap));
    }
  }
  std::string out;
  header(out, "continuata_http_requests_total", "counter",
         "HTTP requests answered, by method, route pattern (\"other\": no route matched) and status.");
  for (const auto& s : snaps)
    for (const auto& [status, count] : s.by_status)
      out += "continuata_http_requests_total{" + s.labels + ",status=\"" + std::to_string(status) + "\"} " +
             std::to_string(count) + "\n";
  header(out, "continuata_http_request_duration_seconds", "histogram",
         "Time from a complete request head to the end of its answer (the body of a download included).");
  for (const auto& s : snaps) {
    if (!s.count) continue;
    uint64_t cumulative = 0;
    for (size_t b = 0; b <= kBuckets.size(); ++b) {
      cumulative += s.buckets[b];
      out += "continuata_http_request_duration_seconds_bucket{" + s.labels + ",le=\"" +
             (b < kBuckets.size() ? number(kBuckets[b]) : "+Inf") + "\"} " + std::to_string(cumulative) +
             "\n";
    }
    out += "continuata_http_request_duration_seconds_sum{" + s.labels + "} " + number(s.sum) + "\n";
    out +=
        "continuata_http_request_duration_seconds_count{" + s.labels + "} " + std::to_string(s.count) + "\n";
  }
  header(out, "continuata_http_response_bytes_total", "counter",
         "Bytes written to clients (status line, headers and body), counted as they leave, by method and "
         "route.");
  for (const auto& s : snaps)
    if (s.bytes)
      out += "continuata_http_response_bytes_total{" + s.labels + "} " + std::to_string(s.bytes) + "\n";
  return out;
}

}  // namespace continuata::server
