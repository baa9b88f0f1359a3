// The "Email addresses" section's transitions: open it (the list is asked for), ask for a code
// for another address, verify it (the library is loaded again with that address's purchases),
// remove an address. Its words go to the section's own status line.
#include "core/core_update_emails.hpp"

#include <type_traits>
#include <utility>

namespace continuata::core {
namespace {

using Commands = std::vector<Command>;

// The section's own status line (a live region there), not the library's: its words are about
// the addresses, and are said once, next to them.
void say(State& s, std::string text, bool error) {
  s.emails.notice = std::move(text);
  s.emails.notice_is_error = error;
}

bool ok(const HttpResponse& r) {
  return r.failure == TransportFailure::None && r.status >= 200 && r.status < 300;
}

std::string max_text(const State& s) {
  return std::to_string(s.emails.max);
}

// A new list from a verify or a removal (or the list itself); false when it is unreadable.
bool take_list(State& s, const HttpResponse& r) {
  auto list = parse_email_list(r.body);
  if (!list) return false;
  s.emails.list = std::move(list->emails);
  s.emails.max = list->max;
  s.emails.loaded = true;
  return true;
}

Commands send(State& s) {
  EmailsState& e = s.emails;
  std::string email = normalise_email(e.new_email);
  if (!plausible_email(email)) {
    say(s, (*s.text)("email.invalid"), true);
    return {};
  }
  if (e.sending || !s.session) return {};
  if (!can_add_email(s)) {
    say(s, (*s.text)("emails.full", {{"max", max_text(s)}}), true);
    return {};
  }
  e.sending = true;
  e.pending = email;
  e.code.clear();
  say(s, (*s.text)("emails.sending", {{"email", email}}), false);
  return {api_command(s, RequestKind::AddEmail, add_email_request(email))};
}

Commands verify(State& s) {
  EmailsState& e = s.emails;
  auto code = verification_code(e.code);
  if (e.pending.empty()) return {};
  if (!code) {
    say(s, (*s.text)("code.invalid"), true);
    return {};
  }
  if (e.verifying) return {};
  e.verifying = true;
  e.code = *code;
  say(s, (*s.text)("code.checking_status"), false);
  return {api_command(s, RequestKind::VerifyEmail, verify_email_request({e.pending, *code}))};
}

}  // namespace

bool is_email_request(RequestKind kind) {
  return kind == RequestKind::ListEmails || kind == RequestKind::AddEmail ||
         kind == RequestKind::VerifyEmail || kind == RequestKind::UnlinkEmail;
}

bool session_refused(const HttpDone& d) {
  const HttpResponse& r = d.response;
  if (r.failure != TransportFailure::None || r.status != 401) return false;
  if (d.kind != RequestKind::VerifyEmail) return true;
  auto error = parse_error(r.body);
  return !error || !error->tries_left;
}

std::optional<Commands> update_emails(State& s, const Event& event) {
  return std::visit(
      [&](const auto& ev) -> std::optional<Commands> {
        using T = std::decay_t<decltype(ev)>;
        EmailsState& e = s.emails;
        if constexpr (std::is_same_v<T, ToggleEmails>) {
          e.open = !e.open;
          if (!e.open || e.listing || !s.session) return Commands{};
          e.listing = true;
          return Commands{api_command(s, RequestKind::ListEmails, emails_request())};
        } else if constexpr (std::is_same_v<T, NewEmailEdited>) {
          e.new_email = ev.text;
          return Commands{};
        } else if constexpr (std::is_same_v<T, SubmitNewEmail>) {
          return send(s);
        } else if constexpr (std::is_same_v<T, EmailCodeEdited>) {
          e.code = ev.text;
          return Commands{};
        } else if constexpr (std::is_same_v<T, SubmitEmailCode>) {
          return verify(s);
        } else if constexpr (std::is_same_v<T, RemoveEmail>) {
          if (!e.removing.empty() || !s.session) return Commands{};
          e.removing = ev.email;
          say(s, (*s.text)("emails.removing", {{"email", ev.email}}), false);
          return Commands{api_command(s, RequestKind::UnlinkEmail, remove_email_request(ev.email))};
        } else {
          return std::nullopt;
        }
      },
      event);
}

Commands on_emails_http(State& s, const HttpDone& d) {
  const HttpResponse& r = d.response;
  EmailsState& e = s.emails;
  const Text& t = *s.text;
  switch (d.kind) {
    case RequestKind::ListEmails:
      e.listing = false;
      if (!ok(r) || !take_list(s, r))
        say(s, ok(r) ? t("error.unreadable") : request_failure_text(s, r), true);
      return {};
    case RequestKind::AddEmail:
      e.sending = false;
      if (ok(r)) {
        say(s, t("emails.code_sent", {{"email", e.pending}}), false);
      } else {
        e.pending.clear();
        if (r.failure == TransportFailure::None && r.status == 409)
          say(s, t("emails.full", {{"max", max_text(s)}}), true);
        else
          say(s, request_failure_text(s, r), true);
      }
      return {};
    case RequestKind::VerifyEmail: {
      e.verifying = false;
      if (ok(r)) {
        std::string added = e.pending;
        if (!take_list(s, r)) {
          say(s, t("error.unreadable"), true);
          return {};
        }
        e.pending.clear();
        e.code.clear();
        e.new_email.clear();
        Commands out = reload_purchases(s);
        say(s, t("emails.added", {{"email", added}}), false);
        return out;
      }
      if (r.failure == TransportFailure::None && r.status == 409)
        say(s, t("emails.full", {{"max", max_text(s)}}), true);
      else
        say(s, code_refusal_text(s, r), true);
      if (r.status == 410) e.code.clear();
      return {};
    }
    case RequestKind::UnlinkEmail: {
      std::string removed = std::exchange(e.removing, std::string());
      if (ok(r) && take_list(s, r)) {
        Commands out = reload_purchases(s);
        say(s, t("emails.removed", {{"email", removed}}), false);
        return out;
      }
      say(s, ok(r) ? t("error.unreadable") : request_failure_text(s, r), true);
      return {};
    }
    default:
      return {};
  }
}

std::string bought_with_text(const State& s, const Purchase& p) {
  if (p.email.empty()) return "";
  std::string current = s.session ? normalise_email(s.session->email) : "";
  bool several = s.emails.list.size() > 1;
  for (size_t i = 0; i < s.purchases.size() && !several; ++i)
    several = !s.purchases[i].email.empty() && s.purchases[i].email != current;
  return several ? (*s.text)("row.bought_with", {{"email", p.email}}) : "";
}

std::string emails_button_text(const State& s) {
  return (*s.text)(s.emails.open ? "emails.hide" : "emails.button");
}

bool can_add_email(const State& s) {
  return !s.emails.loaded || int64_t(s.emails.list.size()) < s.emails.max;
}

}  // namespace continuata::core
