// The portal's state transitions: one handler per event, HTTP results mapped to plain words.
#include <algorithm>
#include <climits>
#include <utility>

#include "core/core_api.hpp"
#include "core/core_format.hpp"
#include "core/core_state.hpp"
#include "core/core_update_emails.hpp"
#include "core/core_whats_new.hpp"

namespace continuata::core {
namespace {

using Commands = std::vector<Command>;

// The purchase of that id in the loaded list, or nullptr.
const Purchase* purchase_by_id(const State& s, int64_t purchase_id) {
  for (const auto& p : s.purchases)
    if (p.purchase_id == purchase_id) return &p;
  return nullptr;
}

// One of core_api's requests, sent to the configured API with the session when it needs one.
HttpCommand request(const State& s, RequestKind kind, ApiRequest api, int64_t purchase_id = 0) {
  HttpRequest r;
  r.method = api.method;
  r.url = s.config.api_base + api.path;
  r.body = std::move(api.body);
  if (api.authenticated && s.session) r.bearer = s.session->token;
  r.timeout_ms = kRequestTimeoutMs;
  return HttpCommand{kind, purchase_id, std::move(r), s.epoch};
}

void say(State& s, std::string text, bool error) {
  s.notice = std::move(text);
  s.notice_is_error = error;
}

std::string trimmed(const std::string& t) {
  size_t a = t.find_first_not_of(" \t\r\n"), b = t.find_last_not_of(" \t\r\n");
  return a == std::string::npos ? "" : t.substr(a, b - a + 1);
}

// What a failed request means to the customer.
std::string failure_text(const State& s, const HttpResponse& r) {
  const Text& t = *s.text;
  switch (r.failure) {
    case TransportFailure::Offline:
      return t("error.offline");
    case TransportFailure::Timeout:
      return t("error.timeout");
    case TransportFailure::Blocked:
      return t("error.blocked");
    case TransportFailure::None:
      break;
  }
  if (r.status >= 500) return t("error.server");
  if (r.status == 404) return t("error.not_found");
  // The server's own words (English) for what the portal cannot say better itself.
  auto error = parse_error(r.body);
  std::string message = error ? error->error : std::string();
  if (!message.empty()) return t("error.rejected", {{"message", message}});
  return t("error.status", {{"status", std::to_string(r.status)}});
}

// A refused code, in the customer's language: how many tries are left, or that it is spent.
std::string code_failure_text(const State& s, const HttpResponse& r) {
  const Text& t = *s.text;
  if (r.failure != TransportFailure::None) return failure_text(s, r);
  if (r.status == 410) return t("code.dead");
  if (r.status == 401) {
    auto error = parse_error(r.body);
    int64_t left = error ? error->tries_left.value_or(0) : 0;
    if (left <= 0) return t("code.none_waiting");
    return left == 1 ? t("code.wrong_last") : t("code.wrong", {{"n", std::to_string(left)}});
  }
  return failure_text(s, r);
}

bool ok(const HttpResponse& r) {
  return r.failure == TransportFailure::None && r.status >= 200 && r.status < 300;
}

// Sorting and case folding happen once per answer or sort change, not per keystroke, so that a
// search over 10,000 purchases is a walk of precomputed keys.
void sort_purchases(State& s) {
  const auto& ps = s.purchases;
  s.sorted.resize(ps.size());
  for (size_t i = 0; i < ps.size(); ++i) s.sorted[i] = i;
  if (s.sort == SortOrder::Newest)
    std::stable_sort(s.sorted.begin(), s.sorted.end(),
                     [&](size_t a, size_t b) { return ps[a].purchased_at_ms > ps[b].purchased_at_ms; });
  else
    std::stable_sort(s.sorted.begin(), s.sorted.end(),
                     [&](size_t a, size_t b) { return s.search_keys[a] < s.search_keys[b]; });
}

void index_purchases(State& s) {
  s.search_keys.clear();
  s.search_keys.reserve(s.purchases.size());
  // The name leads, so ordering by key orders by case-folded name; file names follow, so a
  // search finds a purchase by any of its files.
  for (const auto& p : s.purchases) {
    std::string key = p.product_name + '\n' + p.product_id + '\n' + p.order_id;
    for (const auto& f : p.files) key += '\n' + f.path;
    s.search_keys.push_back(fold_case(key));
  }
  sort_purchases(s);
}

void refilter(State& s, const std::string& previous_search = {}) {
  std::string needle = fold_case(trimmed(s.search));
  std::string before = fold_case(trimmed(previous_search));
  // A longer search that contains the last one can only narrow what is visible.
  bool narrowing = !before.empty() && needle.find(before) != std::string::npos;
  std::vector<size_t> from = narrowing ? std::move(s.visible) : s.sorted;
  s.visible.clear();
  for (size_t i : from)
    if (needle.empty() || s.search_keys[i].find(needle) != std::string::npos) s.visible.push_back(i);
}

Commands session_ended(State& s) {
  ++s.epoch;
  s.session.reset();
  s.purchases.clear();
  s.search_keys.clear();
  s.sorted.clear();
  s.visible.clear();
  s.links.clear();
  s.expanded.clear();
  s.notes_open.clear();
  s.history.clear();
  s.history_open = 0;
  s.library_link = LinkState{};
  s.purchases_status = Status::Idle;
  s.emails = {};
  s.screen = Screen::Email;
  s.code.clear();
  say(s, (*s.text)("session.ended"), true);
  return {ClearSession{}};
}

// What SaveSession stores: the session and the links still valid now.
SaveSession saved(const State& s) {
  SavedSession out;
  if (s.session) out.session = *s.session;
  for (const auto& [id, l] : s.links)
    if (l.status == Status::Succeeded && l.link.expires_at_ms > s.now_ms) out.links.push_back({id, l.link});
  return SaveSession{serialize_saved_session(out)};
}

void note(LinkState& l, std::string text, bool error) {
  l.note = std::move(text);
  l.note_is_error = error;
}

Commands load_purchases(State& s) {
  s.purchases_status = Status::InFlight;
  return {request(s, RequestKind::Purchases, purchases_request(s.config.org))};
}

Commands send_code(State& s) {
  s.email = trimmed(s.email);
  if (!plausible_email(normalise_email(s.email))) {
    say(s, (*s.text)("email.invalid"), true);
    return {};
  }
  if (s.retry_until_ms > s.now_ms || s.send_status == Status::InFlight) return {};
  s.send_status = Status::InFlight;
  say(s, (*s.text)("email.sending_to", {{"email", s.email}}), false);
  VerificationRequest body{s.email, std::nullopt, s.text->lang()};  // the mail speaks the UI's language
  if (!s.config.org.empty()) body.org = s.config.org;
  return {request(s, RequestKind::SendCode, verification_request(body))};
}

Commands verify(State& s) {
  auto code = verification_code(s.code);
  if (!code) {
    say(s, (*s.text)("code.invalid"), true);
    return {};
  }
  if (s.verify_status == Status::InFlight) return {};
  s.code = *code;
  s.verify_status = Status::InFlight;
  say(s, (*s.text)("code.checking_status"), false);
  return {request(s, RequestKind::Verify, session_request({s.email, *code}))};
}

void rate_limited(State& s, const HttpResponse& r) {
  int64_t seconds = 60;
  if (!r.retry_after.empty() && r.retry_after.find_first_not_of("0123456789") == std::string::npos &&
      r.retry_after.size() < 7)
    seconds = std::max<int64_t>(1, std::stoll(r.retry_after));
  s.retry_until_ms = s.now_ms + seconds * 1000;
  say(s, "", true);
}

Commands on_http(State& s, const HttpDone& d) {
  const HttpResponse& r = d.response;
  if (d.kind == RequestKind::Profile) {
    // The seller's name belongs to the page, not to a session: no epoch. Without an answer
    // the portal keeps its own name; nothing to tell the buyer.
    if (!ok(r)) return {};
    auto profile = parse_org_profile(r.body);
    if (profile && profile->org_id == s.config.org) s.seller = std::move(*profile);
    return {};
  }
  // An answer to a request made before a sign-out or an email change belongs to nobody now.
  if (d.epoch != s.epoch) return {};
  if (is_email_request(d.kind)) return session_refused(d) ? session_ended(s) : on_emails_http(s, d);
  switch (d.kind) {
    case RequestKind::SendCode:
      s.send_status = ok(r) ? Status::Succeeded : Status::Failed;
      if (ok(r)) {
        s.screen = Screen::Code;
        s.resend_at_ms = s.now_ms + kResendCooldownMs;
        say(s, (*s.text)("code.sent", {{"email", s.email}}), false);
      } else if (r.failure == TransportFailure::None && r.status == 429) {
        rate_limited(s, r);
      } else {
        say(s, failure_text(s, r), true);
      }
      return {};
    case RequestKind::Verify: {
      if (ok(r)) {
        auto session = parse_session(r.body);
        if (!session) {
          s.verify_status = Status::Failed;
          say(s, (*s.text)("error.unreadable"), true);
          return {};
        }
        s.verify_status = Status::Succeeded;
        s.session = *session;
        s.screen = Screen::Library;
        s.code.clear();
        say(s, (*s.text)("library.loading"), false);
        Commands out{saved(s)};
        for (auto& c : load_purchases(s)) out.push_back(std::move(c));
        return out;
      }
      s.verify_status = Status::Failed;
      if (r.failure == TransportFailure::None && r.status == 429)
        rate_limited(s, r);
      else
        say(s, code_failure_text(s, r), true);
      if (r.status == 410) s.code.clear();
      return {};
    }
    case RequestKind::Purchases: {
      if (r.failure == TransportFailure::None && r.status == 401) return session_ended(s);
      if (!ok(r)) {
        s.purchases_status = Status::Failed;
        say(s, failure_text(s, r), true);
        return {};
      }
      auto list = parse_purchase_list(r.body);
      if (!list) {
        s.purchases_status = Status::Failed;
        say(s, (*s.text)("error.unreadable"), true);
        return {};
      }
      s.purchases = std::move(list->purchases);
      s.purchases_status = Status::Succeeded;
      s.scripts = 0;
      for (const auto& p : s.purchases) {  // what the rows show: names and file names
        s.scripts |= scripts_in(p.product_name);
        for (const auto& f : p.files) s.scripts |= scripts_in(f.path);
      }
      index_purchases(s);
      refilter(s);
      say(s,
          s.purchases.empty() ? (*s.text)("library.none", {{"email", s.session ? s.session->email : s.email}})
                              : library_total_text(s),
          false);
      return {};
    }
    case RequestKind::DownloadLink: {
      if (r.failure == TransportFailure::None && r.status == 401) return session_ended(s);
      LinkState& l = s.links[d.purchase_id];
      if (ok(r)) {
        auto link = parse_download_link(r.body);
        if (link) {
          l.status = Status::Succeeded;
          l.link = *link;
          l.error.clear();
          note(l, (*s.text)("row.link_ready"), false);
          say(s, (*s.text)("link.ready", {{"expiry", expiry_text(link->expires_at_ms, s.now_ms, *s.text)}}),
              false);
          return {saved(s)};  // the link outlives a reload for as long as it is valid
        }
        l.status = Status::Failed;
        l.error = (*s.text)("error.unreadable");
      } else if (auto e = parse_error(r.body); r.status == 410 && e && e->code == "purchase_refunded") {
        // Refunded since the list was loaded: the row shows it so, without a download.
        l.status = Status::Failed;
        l.error = (*s.text)("row.refunded_note");
        for (auto& p : s.purchases)
          if (p.purchase_id == d.purchase_id) p.refunded = true;
      } else {
        l.status = Status::Failed;
        l.error = failure_text(s, r);
      }
      note(l, l.error, true);
      say(s, l.error, true);
      return {};
    }
    case RequestKind::History: {
      if (r.failure == TransportFailure::None && r.status == 401) return session_ended(s);
      HistoryState& h = s.history[d.purchase_id];
      auto list = ok(r) ? parse_download_history(r.body) : Parsed<DownloadHistory>{};
      if (list && list->purchase_id == d.purchase_id) {
        h.status = Status::Succeeded;
        h.list = std::move(*list);
        h.error.clear();
      } else {
        h.status = Status::Failed;
        h.error = ok(r) ? (*s.text)("error.unreadable") : failure_text(s, r);
      }
      return {};
    }
    case RequestKind::LibraryLink: {
      if (r.failure == TransportFailure::None && r.status == 401) return session_ended(s);
      LinkState& l = s.library_link;
      auto link = ok(r) ? parse_download_link(r.body) : Parsed<DownloadLink>{};
      if (link) {
        l.status = Status::Succeeded;
        l.link = *link;
        l.error.clear();
        say(s, (*s.text)("link.ready", {{"expiry", expiry_text(link->expires_at_ms, s.now_ms, *s.text)}}),
            false);
        return {};
      }
      l.status = Status::Failed;
      l.error = ok(r) ? (*s.text)("error.unreadable") : failure_text(s, r);
      say(s, l.error, true);
      return {};
    }
    case RequestKind::SignOut:
      return {};  // the session is already forgotten locally
    case RequestKind::Profile:
      break;  // handled before the epoch check
    default:
      break;  // the email section's, handled above
  }
  return {};
}

}  // namespace

HttpCommand api_command(const State& s, RequestKind kind, ApiRequest api) {
  return request(s, kind, std::move(api));
}
std::string code_refusal_text(const State& s, const HttpResponse& r) {
  return code_failure_text(s, r);
}
std::string request_failure_text(const State& s, const HttpResponse& r) {
  return failure_text(s, r);
}
std::vector<Command> reload_purchases(State& s) {
  return load_purchases(s);
}

std::vector<Command> update(State& s, const Event& event) {
  if (auto out = update_emails(s, event)) return std::move(*out);
  return std::visit(
      [&](const auto& e) -> Commands {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, Started>) {
          s = State{};
          s.config = e.config;
          s.text = &Text::for_language(s.config.lang);
          s.now_ms = e.now_ms;
          Commands out;
          if (!s.config.org.empty())
            out.push_back(request(s, RequestKind::Profile, profile_request(s.config.org)));
          std::optional<SavedSession> stored;
          if (e.saved_session) {
            auto parsed = deserialize_saved_session(*e.saved_session);
            if (parsed && parsed->session.expires_at_ms > s.now_ms) stored = std::move(*parsed);
          }
          auto restore = [&] {
            s.session = stored->session;
            s.email = stored->session.email;
            s.screen = Screen::Library;
            bool dropped = false;
            for (auto& l : stored->links) {
              if (l.link.expires_at_ms <= s.now_ms) {
                dropped = true;
                continue;
              }
              LinkState& ls = s.links[l.purchase_id];
              ls.status = Status::Succeeded;
              ls.link = std::move(l.link);
            }
            if (dropped) out.push_back(saved(s));  // expired links are forgotten for good
            say(s, (*s.text)("library.loading"), false);
            for (auto& c : load_purchases(s)) out.push_back(std::move(c));
          };
          if (!e.link_email.empty()) {
            out.push_back(ClearUrlParams{});
            // A magic link already used (a reload, a second click) while its session lives:
            // the buyer is signed in, the spent code has nothing left to say.
            if (stored && normalise_email(stored->session.email) == normalise_email(e.link_email)) {
              restore();
              return out;
            }
            // The magic link fills the form and submits the code once, as if typed.
            s.email = trimmed(e.link_email);
            s.code = e.link_code;
            s.screen = Screen::Code;
            if (!e.link_code.empty())
              for (auto& c : verify(s)) out.push_back(std::move(c));
            return out;
          }
          if (stored) {
            restore();
            return out;
          }
          if (e.saved_session) out.push_back(ClearSession{});  // expired or unreadable: forget it
          return out;
        } else if constexpr (std::is_same_v<T, EmailEdited>) {
          s.email = e.text;
          return {};
        } else if constexpr (std::is_same_v<T, SubmitEmail>) {
          return send_code(s);
        } else if constexpr (std::is_same_v<T, CodeEdited>) {
          s.code = e.text;
          return {};
        } else if constexpr (std::is_same_v<T, SubmitCode>) {
          return verify(s);
        } else if constexpr (std::is_same_v<T, ResendCode>) {
          if (resend_wait_seconds(s) > 0) return {};
          return send_code(s);
        } else if constexpr (std::is_same_v<T, UseDifferentEmail>) {
          ++s.epoch;
          s.screen = Screen::Email;
          s.code.clear();
          s.send_status = s.verify_status = Status::Idle;
          say(s, "", false);
          return {};
        } else if constexpr (std::is_same_v<T, SearchEdited>) {
          std::string previous = std::exchange(s.search, e.text);
          refilter(s, previous);
          return {};
        } else if constexpr (std::is_same_v<T, SortChosen>) {
          s.sort = e.order;
          sort_purchases(s);
          refilter(s);
          return {};
        } else if constexpr (std::is_same_v<T, GetLink>) {
          if (!s.session) return {};
          if (const Purchase* p = purchase_by_id(s, e.purchase_id); p && p->refunded) return {};
          LinkState& l = s.links[e.purchase_id];
          if (l.status == Status::InFlight) return {};
          l.status = Status::InFlight;
          note(l, "", false);
          say(s, (*s.text)("link.getting"), false);
          return {request(s, RequestKind::DownloadLink, download_link_request({e.purchase_id, std::nullopt}),
                          e.purchase_id)};
        } else if constexpr (std::is_same_v<T, CopyLink> || std::is_same_v<T, OpenLink>) {
          auto it = s.links.find(e.purchase_id);
          if (it == s.links.end() || it->second.status != Status::Succeeded) return {};
          if (it->second.link.expires_at_ms <= s.now_ms) {
            say(s, (*s.text)("link.expired"), true);
            return {};
          }
          if constexpr (std::is_same_v<T, CopyLink>) {
            s.copying_purchase_id = e.purchase_id;
            s.copying_key = false;
            return {CopyText{it->second.link.url}};
          } else {
            return {OpenUrl{it->second.link.url}};
          }
        } else if constexpr (std::is_same_v<T, CopyLicenseKey>) {
          const Purchase* p = purchase_by_id(s, e.purchase_id);
          if (!p || p->license_key.empty()) return {};
          s.copying_purchase_id = e.purchase_id;
          s.copying_key = true;
          return {CopyText{p->license_key}};
        } else if constexpr (std::is_same_v<T, CopyDone>) {
          if (s.copying_key) {
            // The note goes to the row's LinkState, made for it if the row has no link yet.
            say(s, (*s.text)(e.ok ? "key.copied" : "link.copy_failed"), !e.ok);
            note(s.links[s.copying_purchase_id], (*s.text)(e.ok ? "row.key_copied" : "link.copy_failed"),
                 !e.ok);
            return {};
          }
          say(s, (*s.text)(e.ok ? "link.copied" : "link.copy_failed"), !e.ok);
          auto it = s.links.find(s.copying_purchase_id);
          if (it != s.links.end())
            note(it->second, (*s.text)(e.ok ? "row.link_copied" : "link.copy_failed"), !e.ok);
          return {};
        } else if constexpr (std::is_same_v<T, ToggleFiles>) {
          if (!s.expanded.erase(e.purchase_id)) s.expanded.insert(e.purchase_id);
          return {};
        } else if constexpr (std::is_same_v<T, ToggleWhatsNew>) {
          toggle_whats_new(s, e.purchase_id);
          return {};
        } else if constexpr (std::is_same_v<T, OpenFile>) {
          auto it = s.links.find(e.purchase_id);
          if (it == s.links.end() || it->second.status != Status::Succeeded) return {};
          if (it->second.link.expires_at_ms <= s.now_ms) {
            note(it->second, (*s.text)("link.expired"), true);
            say(s, (*s.text)("link.expired"), true);
            return {};
          }
          return {OpenUrl{file_download_url(it->second.link.url, e.path)}};
        } else if constexpr (std::is_same_v<T, OpenHistory>) {
          if (!s.session) return {};
          s.history_open = e.purchase_id;
          HistoryState& h = s.history[e.purchase_id];
          if (h.status == Status::InFlight) return {};
          h.status = Status::InFlight;  // fetched again at each opening: it grows with each download
          return {request(s, RequestKind::History, download_history_request(e.purchase_id), e.purchase_id)};
        } else if constexpr (std::is_same_v<T, CloseHistory>) {
          s.history_open = 0;
          return {};
        } else if constexpr (std::is_same_v<T, GetLibraryLink>) {
          if (!s.session || s.library_link.status == Status::InFlight) return {};
          s.library_link.status = Status::InFlight;
          say(s, (*s.text)("link.getting"), false);
          return {request(s, RequestKind::LibraryLink, library_link_request())};
        } else if constexpr (std::is_same_v<T, OpenZip> || std::is_same_v<T, OpenLibraryZip>) {
          std::string url;
          if constexpr (std::is_same_v<T, OpenZip>) {
            for (const auto& p : s.purchases)
              if (p.purchase_id == e.purchase_id) url = zip_link_url(s, p);
          } else {
            url = library_zip_url(s);
          }
          if (url.empty()) {
            say(s, (*s.text)("link.expired"), true);
            return {};
          }
          return {OpenUrl{url}};
        } else if constexpr (std::is_same_v<T, OpenHelp>) {
          if (!s.seller) return {};
          if (!s.seller->help_url.empty()) return {OpenUrl{s.seller->help_url}};
          if (!s.seller->help_email.empty()) return {OpenUrl{"mailto:" + s.seller->help_email}};
          return {};
        } else if constexpr (std::is_same_v<T, SignOut>) {
          Commands out;
          if (s.session) out.push_back(request(s, RequestKind::SignOut, sign_out_request()));
          out.push_back(ClearSession{});
          std::string email = s.email;
          Config config = s.config;
          std::optional<OrgProfile> seller = std::move(s.seller);
          int64_t now = s.now_ms, epoch = s.epoch + 1;
          s = State{};
          s.config = config;
          s.text = &Text::for_language(config.lang);
          s.now_ms = now;
          s.epoch = epoch;
          s.email = email;
          s.seller = std::move(seller);
          say(s, (*s.text)("session.signed_out"), false);
          return out;
        } else if constexpr (std::is_same_v<T, Tick>) {
          s.now_ms = e.now_ms;
          if (s.session && s.session->expires_at_ms <= s.now_ms) return session_ended(s);
          return {};
        } else if constexpr (std::is_same_v<T, HttpDone>) {
          return on_http(s, e);
        }
        return {};
      },
      event);
}

std::string status_line(const State& s) {
  if (s.retry_until_ms > s.now_ms)
    return (*s.text)("error.too_many",
                     {{"wait", wait_text((s.retry_until_ms - s.now_ms + 999) / 1000, *s.text)}});
  return s.notice;
}

int64_t resend_wait_seconds(const State& s) {
  return s.resend_at_ms > s.now_ms ? (s.resend_at_ms - s.now_ms + 999) / 1000 : 0;
}

int64_t next_wakeup_ms(const State& s) {
  int64_t next = INT64_MAX;
  auto second_after = [&](int64_t deadline) {
    // The next whole-second boundary of the countdown to `deadline`.
    int64_t left = deadline - s.now_ms;
    return s.now_ms + (left % 1000 == 0 ? 1000 : left % 1000);
  };
  if (s.retry_until_ms > s.now_ms) next = std::min(next, second_after(s.retry_until_ms));
  if (s.screen == Screen::Code && s.resend_at_ms > s.now_ms)
    next = std::min(next, second_after(s.resend_at_ms));
  if (s.screen == Screen::Library) {
    for (auto& [id, l] : s.links)
      if (l.status == Status::Succeeded && l.link.expires_at_ms > s.now_ms)
        next = std::min(next, second_after(l.link.expires_at_ms));
    if (s.library_link.status == Status::Succeeded && s.library_link.link.expires_at_ms > s.now_ms)
      next = std::min(next, second_after(s.library_link.link.expires_at_ms));
  }
  if (s.session) next = std::min(next, s.session->expires_at_ms);
  return next;
}

bool busy(const State& s) {
  if (s.send_status == Status::InFlight || s.verify_status == Status::InFlight ||
      s.purchases_status == Status::InFlight)
    return true;
  for (auto& [id, l] : s.links)
    if (l.status == Status::InFlight) return true;
  for (auto& [id, h] : s.history)
    if (h.status == Status::InFlight) return true;
  return s.library_link.status == Status::InFlight;
}

bool searching(const State& s) {
  return !trimmed(s.search).empty();
}

bool nothing_matches(const State& s) {
  return searching(s) && !s.purchases.empty() && s.visible.empty();
}

std::string library_count_text(const State& s) {
  const Text& t = *s.text;
  if (s.purchases_status != Status::Succeeded || s.purchases.empty()) return "";
  if (nothing_matches(s)) return t("library.no_match", {{"search", trimmed(s.search)}});
  if (searching(s))
    return t("library.count_shown",
             {{"shown", std::to_string(s.visible.size())}, {"total", std::to_string(s.purchases.size())}});
  return library_total_text(s);
}

std::string library_total_text(const State& s) {
  if (s.purchases.empty()) return "";
  return s.purchases.size() == 1 ? (*s.text)("library.count_one")
                                 : (*s.text)("library.count", {{"n", std::to_string(s.purchases.size())}});
}

bool files_open(const State& s, int64_t purchase_id) {
  return s.expanded.count(purchase_id) > 0;
}

bool has_update(const Purchase& p) {
  return !p.refunded && update_available(p.purchased_version, p.latest_version);
}

std::string update_line(const Purchase& p, const Text& t) {
  if (!has_update(p)) return "";
  return t("row.update_line", {{"bought", p.purchased_version}, {"latest", p.latest_version}});
}

std::string license_key_line(const Purchase& p, const Text& t) {
  if (p.license_key.empty()) return "";
  return t("row.license_key", {{"key", p.license_key}});
}

std::string files_text(const Purchase& p, const Text& t) {
  return t("row.files", {{"n", std::to_string(p.files.size())}});
}

std::string file_url(const State& s, int64_t purchase_id, std::string_view path) {
  auto it = s.links.find(purchase_id);
  if (it == s.links.end() || it->second.status != Status::Succeeded ||
      it->second.link.expires_at_ms <= s.now_ms)
    return "";
  return file_download_url(it->second.link.url, path);
}

std::string brand_name(const State& s, std::string_view page_name) {
  if (!page_name.empty()) return std::string(page_name);
  if (s.seller && !s.seller->name.empty()) return s.seller->name;
  return (*s.text)("brand");
}

std::string help_text(const State& s) {
  if (!s.seller) return "";
  const std::string& contact = !s.seller->help_email.empty() ? s.seller->help_email : s.seller->help_url;
  if (contact.empty()) return "";
  return (*s.text)("help.contact", {{"contact", contact}});
}

}  // namespace continuata::core
