// The short name a buyer sees for the program that downloaded a file ("Firefox on Linux",
// "Chrome on Android", "curl"), made from its User-Agent header: the one place that reads user
// agents. The header itself (and the address) never reaches the portal.
#pragma once
#include <string>
#include <string_view>

namespace continuata::server {

// "<browser> on <platform>" for browsers ("Safari on iPhone", "Edge on Windows"; the browser
// alone when the platform is unknown), the tool's name for curl, Wget and aria2, "Download
// manager" for the known ones (JDownloader, Free Download Manager, uGet, Motrix, axel, ...),
// and "Other" for anything else, an empty header included.
std::string user_agent_label(std::string_view user_agent);

}  // namespace continuata::server
