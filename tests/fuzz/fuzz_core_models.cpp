// Fuzz target: everything in the portal core that reads bytes from outside: the API's response
// bodies (core_api's parses) as the state machine receives them (HttpDone), the saved session
// from localStorage, Retry-After, timestamps, the theme and language configuration from the
// page's URL, what a customer types (email and code rules), and the formatting of what was
// parsed. Pure C++, no server. What parses must survive core_api's to_json and parse again.
//
// Input: byte 0 picks what is fed; the rest is the body (some modes take a first line).
//   0 purchases body, then search ("search\nbody") and sort over it
//   1 session body (Verify answer), and the same text as a saved session at start-up
//   2 download-link body, then copy/open of the link and the countdown
//   3 error body with status from byte 1 and Retry-After from the first line, for every request
//   4 timestamp text (parse_iso8601_utc round trip)
//   5 theme "accent\nscheme\nradius": every text colour at WCAG AA
//   6 catalogue JSON (Text::parse), texts filled with placeholders
//   7 "a\nb" versions: compare_versions is an order
//   8 text: fold_case, scripts_in, contains_ignoring_case; as typed email and code, and the
//     request bodies built from them
//   9 org profile body (the Profile answer, then help opened), and the same text as a saved
//     session with links at start-up, its links' files opened
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/core_api.hpp"
#include "core/core_format.hpp"
#include "core/core_state.hpp"
#include "core/core_theme.hpp"
#include "core/core_time.hpp"
#include "fuzz_check.hpp"

using namespace continuata::core;

namespace {

constexpr int64_t kNow = 1775000000000;  // 2026-03-31

std::string_view take_line(std::string_view& in) {
  size_t nl = in.find('\n');
  if (nl == std::string_view::npos) return {};
  std::string_view line = in.substr(0, nl);
  in.remove_prefix(nl + 1);
  return line;
}

bool same(const FileInfo& a, const FileInfo& b) {
  return a.path == b.path && a.sha256 == b.sha256 && a.size == b.size;
}

bool same(const Purchase& a, const Purchase& b) {
  if (a.purchase_id != b.purchase_id || a.order_id != b.order_id || a.org_id != b.org_id ||
      a.product_id != b.product_id || a.product_name != b.product_name ||
      a.purchased_version != b.purchased_version || a.latest_version != b.latest_version ||
      a.purchased_at_ms != b.purchased_at_ms || a.files.size() != b.files.size())
    return false;
  for (size_t i = 0; i < a.files.size(); ++i)
    if (!same(a.files[i], b.files[i])) return false;
  return true;
}

// The JSON text of a model, as the server sends it.
template <class T>
std::string sent(const T& model) {
  return nlohmann::json(model).dump();
}

// Everything a view reads from the state each frame.
void read_like_a_view(const State& s) {
  (void)status_line(s);
  (void)resend_wait_seconds(s);
  (void)busy(s);
  int64_t next = next_wakeup_ms(s);
  FUZZ_CHECK(next > s.now_ms || next == INT64_MAX || (s.session && next == s.session->expires_at_ms),
             "wakeup in the past");
  for (size_t i : s.visible) FUZZ_CHECK(i < s.purchases.size(), "visible index out of range");
  for (size_t i : s.visible) {
    const Purchase& p = s.purchases[i];
    (void)date_text(p.purchased_at_ms, *s.text);
    (void)update_available(p.purchased_version, p.latest_version);
    for (const auto& f : p.files) (void)human_size(f.size, *s.text);
  }
  for (const auto& [id, l] : s.links)
    if (l.status == Status::Succeeded) (void)expiry_text(l.link.expires_at_ms, s.now_ms, *s.text);
  (void)library_count_text(s);
  (void)nothing_matches(s);
  (void)brand_name(s, "");
  (void)help_text(s);
  for (const auto& p : s.purchases) {
    (void)update_line(p, *s.text);
    (void)files_text(p, *s.text);
    for (const auto& f : p.files) (void)file_url(s, p.purchase_id, f.path);
  }
}

State signed_in(const char* lang) {
  State s;
  Started start;
  start.config = Config{"https://api.example", "fuzz-org", lang};
  start.now_ms = kNow;
  start.saved_session = serialize_session(Session{"t0k3n", "buyer@example.com", kNow + 3600000});
  update(s, start);
  FUZZ_CHECK(s.session.has_value(), "saved session not restored");
  return s;
}

HttpDone answer(const State& s, RequestKind kind, int status, std::string body, std::string retry_after = {},
                int64_t purchase_id = 0) {
  HttpDone d;
  d.kind = kind;
  d.purchase_id = purchase_id;
  d.response.status = status;
  d.response.body = std::move(body);
  d.response.retry_after = std::move(retry_after);
  d.epoch = s.epoch;
  return d;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const unsigned mode = data[0] % 10;
  const uint8_t aux = data[1];
  std::string_view in(reinterpret_cast<const char*>(data) + 2, size - 2);
  const char* lang = aux & 1 ? "de" : aux & 2 ? "fr" : "en";

  switch (mode) {
    case 0: {
      std::string search(take_line(in));
      auto parsed = parse_purchase_list(in);
      FUZZ_CHECK(bool(parsed) == (parsed.error == ParseError::None), "a parse failure without an error");
      if (parsed) {
        auto again = parse_purchase_list(sent(*parsed));
        FUZZ_CHECK(
            again && again->email == parsed->email && again->purchases.size() == parsed->purchases.size(),
            "purchase list does not survive to_json");
        for (size_t i = 0; again && i < parsed->purchases.size(); ++i)
          FUZZ_CHECK(same(again->purchases[i], parsed->purchases[i]), "purchase does not survive to_json");
      }
      State s = signed_in(lang);
      update(s, answer(s, RequestKind::Purchases, 200, std::string(in)));
      FUZZ_CHECK(s.purchases_status == (parsed ? Status::Succeeded : Status::Failed), "purchases status");
      if (parsed)
        FUZZ_CHECK(
            s.purchases.size() == parsed->purchases.size() && s.visible.size() == parsed->purchases.size(),
            "purchase count");
      read_like_a_view(s);
      update(s, SearchEdited{search});
      read_like_a_view(s);
      update(s, SortChosen{SortOrder::Name});
      update(s, SearchEdited{search + "x"});
      read_like_a_view(s);
      if (!s.purchases.empty()) {
        auto cmds = update(s, GetLink{s.purchases[0].purchase_id});
        FUZZ_CHECK(cmds.size() == 1, "GetLink makes one request");
      }
      break;
    }
    case 1: {
      auto parsed = parse_session(in);
      if (parsed) {
        auto again = deserialize_session(serialize_session(*parsed));
        FUZZ_CHECK(again && again->token == parsed->token && again->email == parsed->email &&
                       again->expires_at_ms == parsed->expires_at_ms,
                   "session does not survive saving");
      }
      State s;
      Started start;
      start.config.lang = lang;
      start.now_ms = kNow;
      start.link_email = "buyer@example.com";
      start.link_code = "123456";
      update(s, start);
      update(s, answer(s, RequestKind::Verify, 200, std::string(in)));
      FUZZ_CHECK(s.session.has_value() == bool(parsed), "session taken only when it parses");
      read_like_a_view(s);
      State t;
      start = Started{};
      start.now_ms = kNow;
      start.saved_session = std::string(in);
      update(t, start);
      read_like_a_view(t);
      break;
    }
    case 2: {
      if (auto link = parse_download_link(in)) {
        auto again = parse_download_link(sent(*link));
        FUZZ_CHECK(again && again->url == link->url && again->version == link->version &&
                       again->product_id == link->product_id && again->token == link->token &&
                       again->expires_at_ms == link->expires_at_ms,
                   "download link does not survive to_json");
      }
      State s = signed_in(lang);
      update(s,
             answer(s, RequestKind::Purchases, 200,
                    R"({"purchases":[{"purchaseId":7,"productId":"p","files":[{"path":"a","size":1}]}]})"));
      update(s, GetLink{7});
      update(s, answer(s, RequestKind::DownloadLink, 200 + (aux >> 4), std::string(in), {}, 7));
      read_like_a_view(s);
      update(s, CopyLink{7});
      update(s, OpenLink{7});
      update(s, Tick{kNow + 86400000});
      read_like_a_view(s);
      break;
    }
    case 3: {
      std::string retry_after(take_line(in));
      int status = 400 + (aux % 120);
      if (auto error = parse_error(in)) {
        auto again = parse_error(sent(*error));
        FUZZ_CHECK(again && again->error == error->error && again->tries_left == error->tries_left &&
                       again->retry_after == error->retry_after,
                   "error body does not survive to_json");
      }
      for (RequestKind kind : {RequestKind::SendCode, RequestKind::Verify, RequestKind::Purchases,
                               RequestKind::DownloadLink, RequestKind::SignOut}) {
        State s = signed_in(lang);
        if (kind == RequestKind::SendCode || kind == RequestKind::Verify) {
          update(s, UseDifferentEmail{});
          update(s, EmailEdited{"buyer@example.com"});
          update(s, SubmitEmail{});
          update(s, CodeEdited{"123 456"});
        }
        update(s, answer(s, kind, status, std::string(in), retry_after, 7));
        read_like_a_view(s);
        update(s, Tick{kNow + 1500});
        read_like_a_view(s);
      }
      break;
    }
    case 4: {
      auto t = parse_iso8601_utc(in);
      if (t) {
        std::string text = format_iso8601_utc(*t);
        FUZZ_CHECK(parse_iso8601_utc(text) == t, "timestamp does not round-trip: " + text);
        (void)date_text(*t, Text::for_language(lang));
        (void)expiry_text(*t, kNow, Text::for_language(lang));
      }
      break;
    }
    case 5: {
      ThemeConfig c;
      c.accent = std::string(take_line(in));
      c.scheme = std::string(take_line(in));
      c.radius = std::string(in);
      Palette p = make_palette(c, aux & 1);
      FUZZ_CHECK(p.radius >= 0 && p.radius <= 24, "radius " + std::to_string(p.radius));
      FUZZ_CHECK(contrast_ratio(p.on_accent, p.accent) >= 4.5, "text on the accent below AA");
      FUZZ_CHECK(contrast_ratio(p.accent_text, p.background) >= 4.5, "accent text below AA");
      FUZZ_CHECK(contrast_ratio(p.text, p.background) >= 4.5, "text below AA");
      break;
    }
    case 6: {
      auto text = Text::parse(lang, in);
      if (text) {
        for (const auto& [key, value] : text->entries()) {
          std::vector<std::string> names = placeholders(value);
          FUZZ_CHECK(names.size() <= value.size(), "placeholders");
          (void)(*text)(key, {{"n", "1"}, {"email", "a@b.c"}, {names.empty() ? "x" : names[0], "v"}});
        }
      }
      break;
    }
    case 7: {
      std::string_view a = take_line(in), b = in;
      int ab = compare_versions(a, b), ba = compare_versions(b, a);
      FUZZ_CHECK(ab == -ba, std::string(a) + " vs " + std::string(b));
      FUZZ_CHECK(compare_versions(a, a) == 0, std::string(a));
      break;
    }
    case 8: {
      std::string folded = fold_case(in);
      FUZZ_CHECK(fold_case(folded) == folded, "fold_case is not idempotent");
      FUZZ_CHECK(contains_ignoring_case(in, in), "text does not contain itself");
      (void)scripts_in(in);
      std::string email = normalise_email(in);
      FUZZ_CHECK(normalise_email(email) == email, "normalise_email is not idempotent");
      if (plausible_email(email)) {
        FUZZ_CHECK(email.size() <= 254 && email.find('@') != std::string::npos, "implausible email accepted");
        // Typed text may be any bytes: the body is JSON whatever they are.
        auto body = nlohmann::json::parse(verification_request({email, std::string(in), std::nullopt}).body,
                                          nullptr, false);
        FUZZ_CHECK(body.is_object() && body["email"].is_string() && body["org"].is_string(),
                   "verification request body");
      }
      if (auto code = verification_code(in)) {
        FUZZ_CHECK(code->size() == kCodeDigits && code->find_first_not_of("0123456789") == std::string::npos,
                   "code " + *code);
        FUZZ_CHECK(verification_code(*code) == code, "a code is not its own code");
      }
      break;
    }
    case 9: {
      auto profile = parse_org_profile(in);
      if (profile) {
        auto again = parse_org_profile(sent(*profile));
        FUZZ_CHECK(again && again->org_id == profile->org_id && again->name == profile->name &&
                       again->help_email == profile->help_email && again->help_url == profile->help_url,
                   "org profile does not survive to_json");
        FUZZ_CHECK(profile->help_url.empty() || plausible_web_url(profile->help_url), "help URL unchecked");
      }
      State s = signed_in(lang);
      update(s, answer(s, RequestKind::Profile, 200, std::string(in)));
      FUZZ_CHECK(s.seller.has_value() == (profile && profile->org_id == "fuzz-org"), "profile taken wrongly");
      for (const auto& c : update(s, OpenHelp{}))
        if (auto open = std::get_if<OpenUrl>(&c))
          FUZZ_CHECK(open->url.rfind("mailto:", 0) == 0 || plausible_web_url(open->url),
                     "help opens " + open->url);
      read_like_a_view(s);
      if (auto saved = deserialize_saved_session(in)) {
        auto again = deserialize_saved_session(serialize_saved_session(*saved));
        FUZZ_CHECK(again && again->links.size() == saved->links.size(), "saved links do not survive saving");
      }
      State t;
      Started start;
      start.config = Config{"https://api.example", "fuzz-org", lang};
      start.now_ms = kNow;
      start.saved_session = std::string(in);
      start.link_email = aux & 4 ? "buyer@example.com" : "";
      start.link_code = "123456";
      update(t, start);
      for (const auto& [id, l] : t.links) {
        FUZZ_CHECK(l.link.expires_at_ms > kNow, "an expired link restored");
        update(t, OpenFile{id, "a b/c.zip"});
        update(t, ToggleFiles{id});
      }
      read_like_a_view(t);
      break;
    }
  }
  return 0;
}
