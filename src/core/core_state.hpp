// The portal's state machine: State is everything the screens show, Events are what the user
// and the platform report, Commands are what the platform must do (HTTP, storage, clipboard,
// opening links). update(state, event) is the only place state changes; views read it and emit
// events; tests drive whole journeys through it without a browser.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/core_api.hpp"
#include "core/core_http.hpp"
#include "core/core_text.hpp"

namespace continuata::core {

enum class Screen { Email, Code, Library };
enum class RequestKind { SendCode, Verify, Purchases, DownloadLink, SignOut };
enum class Status { Idle, InFlight, Failed, Succeeded };
enum class SortOrder { Newest, Name };

struct Config {
  std::string api_base;  // "" = same origin as the page
  std::string org;       // org scope of this portal, or ""
  std::string lang;      // BCP 47 tag of the UI language ("" or unknown: English)
};

struct LinkState {
  Status status = Status::Idle;
  DownloadLink link;
  std::string error;
};

inline constexpr int64_t kResendCooldownMs = 30000;
inline constexpr int kRequestTimeoutMs = 15000;

struct State {
  Screen screen = Screen::Email;
  Config config;
  int64_t now_ms = 0;
  const Text* text = &Text::english();  // the UI's words, from config.lang

  std::string email, code;
  Status send_status = Status::Idle, verify_status = Status::Idle, purchases_status = Status::Idle;
  std::string notice;  // the status line: progress or what went wrong, in plain words
  bool notice_is_error = false;
  int64_t retry_until_ms = 0;  // after a 429: sending waits until then (shown as a countdown)
  int64_t resend_at_ms = 0;    // "Resend code" is available from then

  std::optional<Session> session;
  std::vector<Purchase> purchases;
  std::vector<std::string> search_keys;  // per purchase: name, id and order, case-folded once
  std::vector<size_t> sorted;            // indices into purchases in the chosen order
  std::vector<size_t> visible;           // the sorted indices the search matches: no copies
  std::string search;
  SortOrder sort = SortOrder::Newest;
  std::map<int64_t, LinkState> links;  // by purchase id
  unsigned scripts = 0;                // non-Latin scripts in the purchases (core::Script bits)
  int64_t epoch = 0;  // bumped on sign-out and email change: answers to older requests are dropped
};

// Events
struct Started {
  Config config;
  std::optional<std::string> saved_session;  // as stored by SaveSession
  std::string link_email, link_code;         // the magic link's parameters
  int64_t now_ms = 0;
};
struct EmailEdited {
  std::string text;
};
struct SubmitEmail {};
struct CodeEdited {
  std::string text;
};
struct SubmitCode {};
struct ResendCode {};
struct UseDifferentEmail {};
struct SearchEdited {
  std::string text;
};
struct SortChosen {
  SortOrder order;
};
struct GetLink {
  int64_t purchase_id;
};
struct CopyLink {
  int64_t purchase_id;
};
struct OpenLink {
  int64_t purchase_id;
};
struct SignOut {};
struct Tick {
  int64_t now_ms;
};
struct HttpDone {
  RequestKind kind = RequestKind::SendCode;
  int64_t purchase_id = 0;
  HttpResponse response;
  int64_t epoch = 0;  // the HttpCommand's
};
struct CopyDone {
  bool ok;
};
using Event =
    std::variant<Started, EmailEdited, SubmitEmail, CodeEdited, SubmitCode, ResendCode, UseDifferentEmail,
                 SearchEdited, SortChosen, GetLink, CopyLink, OpenLink, SignOut, Tick, HttpDone, CopyDone>;

// Commands
struct HttpCommand {
  RequestKind kind = RequestKind::SendCode;
  int64_t purchase_id = 0;
  HttpRequest request;
  int64_t epoch = 0;  // hand back in HttpDone
};
struct SaveSession {
  std::string text;
};
struct ClearSession {};
struct CopyText {
  std::string text;
};
struct OpenUrl {
  std::string url;
};
struct ClearUrlParams {};
using Command = std::variant<HttpCommand, SaveSession, ClearSession, CopyText, OpenUrl, ClearUrlParams>;

std::vector<Command> update(State& state, const Event& event);

// The status line as shown now (a 429 wait counts down here).
std::string status_line(const State& state);
// Seconds until "Resend code" is available (0 = now).
int64_t resend_wait_seconds(const State& state);
// When the screen next changes by itself (a countdown second), or INT64_MAX when it does not.
int64_t next_wakeup_ms(const State& state);
// True while any request is in flight (the platform keeps drawing for the spinner).
bool busy(const State& state);

}  // namespace continuata::core
