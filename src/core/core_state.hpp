// The portal's state machine: State is everything the screens show, Events are what the user
// and the platform report, Commands are what the platform must do (HTTP, storage, clipboard,
// opening links). update(state, event) is the only place state changes; views read it and emit
// events; tests drive whole journeys through it without a browser.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/core_api.hpp"
#include "core/core_emails.hpp"
#include "core/core_history.hpp"
#include "core/core_http.hpp"
#include "core/core_text.hpp"

namespace continuata::core {

enum class Screen { Email, Code, Library };
enum class RequestKind {
  SendCode,
  Verify,
  Purchases,
  DownloadLink,
  SignOut,
  Profile,
  ListEmails,
  AddEmail,
  VerifyEmail,
  UnlinkEmail,  // the library's other addresses (core_emails)
  History,
  LibraryLink  // download history, "Download everything" (core_history)
};
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
  // Feedback shown at the row it is about ("Link ready", "Link copied", a copy refused),
  // replaced by the row's next action; the status line says the same for screen readers.
  std::string note;
  bool note_is_error = false;
};

// A purchase's full download history as last fetched (OpenHistory fetches it again).
struct HistoryState {
  Status status = Status::Idle;
  DownloadHistory list;
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
  std::map<int64_t, LinkState> links;  // by purchase id; minted links also survive a reload
  std::set<int64_t> expanded;          // purchases whose file list is open (ToggleFiles)
  std::set<int64_t> notes_open;        // purchases whose "What's new" is open (ToggleWhatsNew)
  int64_t copying_purchase_id = 0;     // the row a CopyText was for: CopyDone's note goes there
  bool copying_key = false;            // that CopyText was the row's licence key, not its link

  std::map<int64_t, HistoryState> history;  // by purchase id: the full lists fetched
  int64_t history_open = 0;                 // the purchase whose history list is open, 0: none
  LinkState library_link;                   // "Download everything": one ZIP of the whole library
  // The seller of config.org (GET /api/portal/profile, asked at Started): its name replaces
  // "Continuata downloads" unless the page names itself; kept across sign-out.
  std::optional<OrgProfile> seller;
  unsigned scripts = 0;  // non-Latin scripts in the purchases (core::Script bits)
  int64_t epoch = 0;     // bumped on sign-out and email change: answers to older requests are dropped
  EmailsState emails;    // the library's "Email addresses" section
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
struct CopyLicenseKey {  // the purchase's licence key to the clipboard
  int64_t purchase_id;
};
struct ToggleFiles {  // open or close a purchase's file list
  int64_t purchase_id;
};
struct ToggleWhatsNew {  // open or close a purchase's "What's new in <latest>" (core_whats_new.hpp)
  int64_t purchase_id;
};
struct OpenFile {  // one file of a purchase, through its minted link
  int64_t purchase_id;
  std::string path;
};
struct OpenHistory {  // a purchase's full download history: fetched and shown
  int64_t purchase_id;
};
struct CloseHistory {};
struct GetLibraryLink {};  // one link to a ZIP of every purchase ("Download everything")
struct OpenZip {           // "Download all": the purchase's minted link as one ZIP
  int64_t purchase_id;
};
struct OpenLibraryZip {};
struct OpenHelp {};  // the seller's help contact: its URL, or a mail to its address
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
                 SearchEdited, SortChosen, GetLink, CopyLink, OpenLink, ToggleFiles, OpenFile, OpenHelp,
                 SignOut, Tick, HttpDone, CopyDone, CopyLicenseKey, ToggleEmails, NewEmailEdited,
                 SubmitNewEmail, EmailCodeEdited, SubmitEmailCode, RemoveEmail, OpenHistory, CloseHistory,
                 GetLibraryLink, OpenZip, OpenLibraryZip, ToggleWhatsNew>;

// Commands
struct HttpCommand {
  RequestKind kind = RequestKind::SendCode;
  int64_t purchase_id = 0;
  HttpRequest request;
  int64_t epoch = 0;  // hand back in HttpDone
};
struct SaveSession {  // core_api's serialize_saved_session: the session and its live links
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

// [SECTION] What the library views say
// A search is typed (spaces alone are none).
bool searching(const State& state);
// A search is typed, there are purchases, and none matches: say library_count_text instead of
// drawing an empty list.
bool nothing_matches(const State& state);
// The count above the list: "3 purchases." without a search, "2 of 3 purchases" with one,
// "No purchase matches “drum”." when nothing does ("" before the purchases are loaded).
std::string library_count_text(const State& state);
// The whole library's count whatever the search: "3 purchases.", "1 purchase." ("" for none); also
// the notice a load leaves, which the views don't repeat beside library_count_text.
std::string library_total_text(const State& state);
// The purchase's file list is open.
bool files_open(const State& state, int64_t purchase_id);
// A newer version than the bought one is active (core_format's update_available), and the
// purchase is not refunded (a refunded one gets no update).
bool has_update(const Purchase& p);
// "You bought 1.0.0 · 1.1.0 is the latest" when a newer version than the bought one exists
// (update_available), else "".
std::string update_line(const Purchase& p, const Text& text);
// The row's licence-key line, "Licence key: ABCD-1234" ("" when it has none).
std::string license_key_line(const Purchase& p, const Text& text);
// "12 files".
std::string files_text(const Purchase& p, const Text& text);
// The URL of one file of a purchase through its minted link ("" without a live link).
std::string file_url(const State& state, int64_t purchase_id, std::string_view path);
// The name at the top: the page's own `name` option when given, else the seller's name, else
// "Continuata downloads".
std::string brand_name(const State& state, std::string_view page_name);
// "Questions? help@shop.example" (the email, else the URL), or "" when the seller set neither.
std::string help_text(const State& state);

// [SECTION] What the history and ZIP views say (core_history_state.cpp)
// "Downloaded 3 times, last 2 days ago with Firefox on Linux" / "Not downloaded yet".
std::string history_text(const State& state, const Purchase& p);
// The purchase whose history is open, and its list as fetched (nullptr before the first answer).
bool history_shown(const State& state, int64_t purchase_id);
const HistoryState* history_of(const State& state, int64_t purchase_id);
// The lines of an open history: its entries, or what is happening ("Loading...", the error,
// "No downloads yet."), and "The latest 50 of 120 downloads." when not all are shown.
std::vector<std::string> history_lines(const State& state, int64_t purchase_id);
// "Download all" of a multi-file purchase: its live link's ZIP ("" without a live link or with
// one file).
std::string zip_link_url(const State& state, const Purchase& p);
// The library's ZIP link, "" until minted (or once expired).
std::string library_zip_url(const State& state);

}  // namespace continuata::core
