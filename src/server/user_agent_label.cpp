// User-Agent headers to short client names: substring tests in the order that tells the
// browsers apart (each one's header also names the engines it descends from).
#include "server/user_agent_label.hpp"

#include <array>
#include <utility>

namespace continuata::server {
namespace {

bool has(std::string_view ua, std::string_view part) {
  return ua.find(part) != std::string_view::npos;
}

bool starts(std::string_view ua, std::string_view prefix) {
  return ua.substr(0, prefix.size()) == prefix;
}

// Every Chromium browser says "Chrome/" and "Safari/", Chrome on iOS "CriOS/", Firefox on
// iOS "FxiOS/": the more specific names are asked first.
std::string_view browser(std::string_view ua) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 11> kBrowsers = {{
      {"Edg/", "Edge"},
      {"EdgA/", "Edge"},
      {"EdgiOS/", "Edge"},
      {"OPR/", "Opera"},
      {"SamsungBrowser/", "Samsung Internet"},
      {"Vivaldi/", "Vivaldi"},
      {"Firefox/", "Firefox"},
      {"FxiOS/", "Firefox"},
      {"CriOS/", "Chrome"},
      {"Chromium/", "Chromium"},
      {"Chrome/", "Chrome"},
  }};
  for (const auto& [part, name] : kBrowsers)
    if (has(ua, part)) return name;
  if (has(ua, "Safari/") && (has(ua, "Version/") || has(ua, "Mobile/"))) return "Safari";
  return {};
}

// iPhones and iPads say "like Mac OS X", Android says "Linux": those are asked first.
std::string_view platform(std::string_view ua) {
  if (has(ua, "iPhone") || has(ua, "iPod")) return "iPhone";
  if (has(ua, "iPad")) return "iPad";
  if (has(ua, "Android")) return "Android";
  if (has(ua, "CrOS")) return "ChromeOS";
  if (has(ua, "Windows")) return "Windows";
  if (has(ua, "Macintosh") || has(ua, "Mac OS X")) return "macOS";
  if (has(ua, "Linux") || has(ua, "X11")) return "Linux";
  return {};
}

}  // namespace

std::string user_agent_label(std::string_view ua) {
  if (starts(ua, "curl/")) return "curl";
  if (starts(ua, "Wget/") || starts(ua, "Wget2/")) return "Wget";
  if (starts(ua, "aria2/")) return "aria2";
  static constexpr std::array<std::string_view, 9> kManagers = {
      "JDownloader", "FDM", "Free Download Manager", "uGet", "Motrix", "Axel", "axel/", "DownThemAll", "IDM"};
  for (auto m : kManagers)
    if (has(ua, m)) return "Download manager";
  std::string_view b = browser(ua);
  if (b.empty()) return "Other";
  std::string_view p = platform(ua);
  return p.empty() ? std::string(b) : std::string(b) + " on " + std::string(p);
}

}  // namespace continuata::server
