// The HTTP series behind GET /metrics (Prometheus text exposition format 0.0.4): requests by
// method, route pattern and status, a latency histogram and the bytes sent per method and route.
// Labels are route PATTERNS registered at start (at most kMaxRoutes), never raw paths, so the
// number of series stays bounded whatever clients send; anything unrouted is route="other".
// Recording is on every request's path: one uncontended mutex per (route, method) series for
// the status counts and histogram, and a relaxed atomic add for bytes as they are written.
#pragma once
#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace continuata::server {

class HttpMetrics {
 public:
  static constexpr int kOther = 0;          // the route of every request no pattern matched
  static constexpr size_t kMaxRoutes = 64;  // patterns past this are counted as "other"
  // Upper bounds of the latency buckets in seconds (downloads take minutes, the API milliseconds).
  static constexpr std::array<double, 15> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
                                                      2.5,   5,    10,    30,   60,  300,  1800};

  HttpMetrics();
  ~HttpMetrics();
  HttpMetrics(const HttpMetrics&) = delete;
  HttpMetrics& operator=(const HttpMetrics&) = delete;

  // The id of a route pattern (the same id for the same pattern). Call before serving starts.
  int route(const std::string& pattern);
  // The slot of a request method: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, or "other".
  static int method_slot(std::string_view method);

  // From any thread, while serving:
  void add_bytes(int route, int method, uint64_t n);
  void observe(int route, int method, int status, double seconds);

  // The HTTP families as exposition text.
  std::string render() const;

 private:
  static constexpr size_t kMethods = 8;
  struct Series {
    mutable std::mutex mu;
    std::map<int, uint64_t> by_status;
    std::array<uint64_t, kBuckets.size() + 1> buckets{};  // per bucket (not cumulative); last: +Inf
    double sum = 0;
    uint64_t count = 0;
    std::atomic<uint64_t> bytes{0};
  };
  struct Route {
    std::string pattern;
    std::array<Series, kMethods> series;
  };
  std::mutex register_mu_;
  std::atomic<size_t> routes_{0};
  std::unique_ptr<std::array<Route, kMaxRoutes>> table_;
};

// One gauge family for the exposition: name, help, and samples as (label text, value), where the
// label text is `` or `pool="api"` (values escaped by the caller through label_value()).
struct Gauge {
  std::string name, help;
  std::vector<std::pair<std::string, double>> samples;
};
void append_gauge(std::string& out, const Gauge& g);
// A label value escaped for the exposition format (backslash, double quote, newline).
std::string label_value(std::string_view v);

// The Content-Type of the exposition format 0.0.4.
constexpr const char* kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace continuata::server
