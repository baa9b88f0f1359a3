// The screens, drawn each frame from the core State. Every widget is recorded in the semantics
// list right after it is drawn (ImGui knows its rectangle only then), with whether it fitted in
// its column, and what its accessibility element's actions mean goes into the action table as
// it is drawn.
//
// [SECTION] Context and recording
// [SECTION] Text, buttons, fields (all wrap to the column)
// [SECTION] Email and code screens
// [SECTION] Library: header, rows (virtualised, sized to their content), row catalogue
// [SECTION] draw_portal
#include "portal/portal_views.hpp"

#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include <algorithm>
#include <cmath>

#include "core/core_format.hpp"
#include "core/core_update_emails.hpp"
#include "portal/portal_style.hpp"
#include "portal/portal_view_parts.hpp"
#include "portal/portal_views_emails.hpp"
#include "portal/portal_views_history.hpp"
#include "portal/portal_views_whats_new.hpp"

namespace continuata::portal {
namespace parts {

// [SECTION] Context and recording (Ctx: portal_view_parts.hpp)
// The purchase id a widget id ends in ("get-12" -> 12), or 0.
int64_t purchase_of(const std::string& id) {
  size_t dash = id.find('-');
  if (dash == std::string::npos) return 0;
  int64_t v = 0;
  for (size_t i = dash + 1; i < id.size(); ++i) {
    if (id[i] < '0' || id[i] > '9') return 0;
    v = v * 10 + (id[i] - '0');
  }
  return v;
}

// [SECTION] Text, buttons, fields (all wrap to the column)
core::SemanticNode& text(Ctx& c, std::string id, const std::string& s, ImVec4 col, std::string role,
                         std::string parent) {
  ImGui::PushStyleColor(ImGuiCol_Text, col);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(s.c_str(), s.c_str() + s.size());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
  return c.record(std::move(id), std::move(role), s, "", false, "", std::move(parent));
}

core::SemanticNode& heading(Ctx& c, std::string id, const std::string& s, int level, std::string parent) {
  ImGui::PushFont(static_cast<ImFont*>(c.fonts.heading));
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(s.c_str(), s.c_str() + s.size());
  ImGui::PopTextWrapPos();
  ImGui::PopFont();
  return c.record(std::move(id), "heading", s, "", false, "", std::move(parent), level);
}

// The size a button with this label takes: its text wrapped to the column, at least a touch
// target tall on a touch screen, the whole column wide when `full`.
ImVec2 button_size(const Ctx& c, const std::string& label, bool full) {
  const ImGuiStyle& st = ImGui::GetStyle();
  float avail = std::max(1.0f, ImGui::GetContentRegionAvail().x);
  ImVec2 ts = ImGui::CalcTextSize(label.c_str(), nullptr, false, avail - st.FramePadding.x * 2);
  return ImVec2(full ? avail : std::min(avail, ts.x + st.FramePadding.x * 2),
                std::max(ts.y + st.FramePadding.y * 2, c.target_height()));
}

// Puts the next item of `width` on the current line when it fits there (a row of buttons that
// wraps instead of running past the column).
void flow(float width) {
  float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  float spacing = ImGui::GetStyle().ItemSpacing.x;
  if (ImGui::GetItemRectMax().x + spacing + width <= right + 0.5f) ImGui::SameLine();
}

// A button standing for `event`: a click emits it, and so does activating its element (while
// enabled; a press already made in this frame is not made again from there). Its label wraps.
// Returns whether it was clicked in this frame.
bool button(Ctx& c, const std::string& id, const std::string& label, const std::string& name, Event event,
            ButtonLook look, std::string parent, bool flowed) {
  ImVec2 size = button_size(c, label, look.full);
  if (flowed) flow(size.x);
  ImGui::BeginDisabled(!look.enabled);
  int colours = 0;
  if (look.primary) {
    ImGui::PushStyleColor(ImGuiCol_Button, colour(c.palette.accent));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, colour(c.palette.accent, 0.88f));
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, colour(c.palette.accent, 0.76f));
    ImGui::PushStyleColor(ImGuiCol_Text, colour(c.palette.on_accent));
    colours = 4;
  } else if (look.quiet) {  // a text-like control: accent text, no frame until hovered
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0, 0, 0, 0));
    ImGui::PushStyleColor(ImGuiCol_Text, colour(c.palette.accent_text));
    colours = 2;
  }
  bool pressed = ImGui::Button(("###" + id).c_str(), size);
  const ImGuiStyle& st = ImGui::GetStyle();
  float wrap = size.x - st.FramePadding.x * 2;
  ImVec2 ts = ImGui::CalcTextSize(label.c_str(), nullptr, false, wrap);
  ImVec2 a = ImGui::GetItemRectMin();
  ImVec2 at(std::floor(a.x + (size.x - ts.x) * 0.5f), std::floor(a.y + (size.y - ts.y) * 0.5f));
  ImGui::GetWindowDrawList()->AddText(nullptr, 0, at, ImGui::GetColorU32(ImGuiCol_Text), label.c_str(),
                                      nullptr, wrap);
  if (colours) ImGui::PopStyleColor(colours);
  ImGui::EndDisabled();
  c.record(id, "button", name, "", !look.enabled, "", std::move(parent));
  pressed = pressed && look.enabled;
  if (pressed)
    c.events.push_back(std::move(event));
  else if (look.enabled)
    c.actions.on(id, ActionKind::Activate, std::move(event));
  return pressed;
}

}  // namespace parts

namespace {

using namespace parts;

constexpr float kColumnEm = 35.0f;  // the column: 560 px at 16 px text, wider as text grows

// In the library, what a row's action brought ("link ready", "Link copied.", its error) is said at
// that row (its note, a live region); the status line above the list keeps the rest.
bool about_a_row(const State& s, const std::string& notice) {
  if (s.screen != Screen::Library) return false;
  const core::Text& t = *s.text;
  std::string ready = t("link.ready", {{"expiry", "\x01"}});
  ready = ready.substr(0, ready.find('\x01'));
  if (notice == t("link.copied") || notice == t("key.copied") || notice == t("link.copy_failed") ||
      notice == t("link.getting") || notice == t("link.expired") ||
      (!ready.empty() && notice.rfind(ready, 0) == 0))
    return true;
  for (const auto& [pid, l] : s.links)
    if (!l.error.empty() && l.error == notice) return true;
  return false;
}

bool intro_says_notice(const State& s);

void status_line(Ctx& c) {
  std::string s = core::status_line(c.s);
  if (s.empty() || (c.s.retry_until_ms <= c.s.now_ms && about_a_row(c.s, s)) || intro_says_notice(c.s))
    return;
  // The library's count is said once, above the list (library_count_text follows the search, so
  // the load's "3 purchases." is not repeated beside a search's "1 of 3 purchases").
  if (c.s.screen == Screen::Library &&
      (s == core::library_count_text(c.s) || s == core::library_total_text(c.s)))
    return;
  bool error = c.s.notice_is_error || c.s.retry_until_ms > c.s.now_ms;
  text(c, "status", s, error ? colour(c.palette.error) : c.muted_colour(), error ? "alert" : "status");
}

// A labelled text field; returns true when Enter was pressed in it.
bool field(Ctx& c, const char* id, const std::string& label, const char* kind, const std::string& value,
           bool focus_now, ImGuiInputTextFlags flags, Event (*make)(std::string)) {
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(label.c_str());
  ImGui::PopTextWrapPos();
  c.record(std::string(id) + "-label", "label", label);
  std::string buf = value;
  ImGui::SetNextItemWidth(-FLT_MIN);
  float pad_y = std::max(ImGui::GetStyle().FramePadding.y, (c.target_height() - ImGui::GetFontSize()) / 2);
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(ImGui::GetStyle().FramePadding.x, pad_y));
  bool enter =
      ImGui::InputText((std::string("##") + id).c_str(), &buf, flags | ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::PopStyleVar();
  if (buf != value) c.events.push_back(make(buf));
  auto& n = c.record(id, "textbox", label, buf, false, kind);
  c.actions.on_text(id, make);
  // A new screen's field takes the browser's focus (the page's input over it, see portal-a11y.js).
  n.focused = n.focused || focus_now;
  return enter;
}

void help_line(Ctx& c) {
  std::string help = core::help_text(c.s);
  if (help.empty()) return;
  ImGui::Spacing();
  button(c, "help", help, help, core::OpenHelp{}, {true, false, false, true});
}

// The library's widgets, lent to the email-addresses section (portal_views_emails).
struct Pen final : EmailsPen {
  Ctx& c;
  explicit Pen(Ctx& ctx) : c(ctx) {}
  void heading(const std::string& id, const std::string& s) override { portal::heading(c, id, s, 2); }
  void text(const std::string& id, const std::string& s, Ink ink, const char* role) override {
    ImVec4 col = ink == Ink::Error   ? colour(c.palette.error)
                 : ink == Ink::Muted ? c.muted_colour()
                                     : colour(c.palette.text);
    portal::text(c, id, s, col, role);
  }
  bool button(const std::string& id, const std::string& label, const std::string& name, Event e, bool enabled,
              bool primary, bool flowed) override {
    return portal::button(c, id, label, name, std::move(e), {enabled, primary}, "", flowed);
  }
  bool field(const char* id, const std::string& label, const char* kind, const std::string& value,
             Event (*make)(std::string)) override {
    return portal::field(c, id, label, kind, value, false, ImGuiInputTextFlags_CharsNoBlank, make);
  }
  void submit_on_enter(const char* id, Event e) override {
    c.actions.on(id, ActionKind::Submit, std::move(e));
  }
  void emit(Event e) override { c.events.push_back(std::move(e)); }
  void spacing() override { ImGui::Spacing(); }
};

// [SECTION] Email and code screens
void email_screen(Ctx& c, bool entered) {
  const core::Text& t = *c.s.text;
  heading(c, "title", t("email.title"));
  text(c, "intro", t("email.intro"), c.muted_colour());
  ImGui::Spacing();
  bool sending = c.s.send_status == Status::InFlight;
  bool enter =
      field(c, "email", t("email.field"), "email", c.s.email, entered, ImGuiInputTextFlags_CharsNoBlank,
            [](std::string t) -> Event { return core::EmailEdited{std::move(t)}; });
  c.actions.on("email", ActionKind::Submit, core::SubmitEmail{});  // Enter in the page's input
  ImGui::Spacing();
  bool waiting = c.s.retry_until_ms > c.s.now_ms;
  bool can_send = !sending && !waiting;
  if (!button(c, "send", sending ? t("email.sending") : t("email.send"), t("email.send"), core::SubmitEmail{},
              {can_send, true, true}) &&
      enter && can_send)
    c.events.push_back(core::SubmitEmail{});
}

// The code screen's intro already says where the code went and for how long: while the notice
// is that ("code.sent"), the intro is the live region and no status line repeats it.
bool intro_says_notice(const State& s) {
  return s.screen == Screen::Code && core::status_line(s) == (*s.text)("code.sent", {{"email", s.email}});
}

void code_screen(Ctx& c, bool entered) {
  const core::Text& t = *c.s.text;
  heading(c, "title", t("code.title"));
  text(c, "intro", t("code.intro", {{"email", c.s.email}}), c.muted_colour(),
       intro_says_notice(c.s) ? "status" : "text");
  ImGui::Spacing();
  bool verifying = c.s.verify_status == Status::InFlight;
  bool enter = field(c, "code", t("code.field"), "code", c.s.code, entered, ImGuiInputTextFlags_CharsDecimal,
                     [](std::string t) -> Event { return core::CodeEdited{std::move(t)}; });
  c.actions.on("code", ActionKind::Submit, core::SubmitCode{});         // Enter in the page's input
  c.actions.on("code", ActionKind::Cancel, core::UseDifferentEmail{});  // Escape leaves the screen
  ImGui::Spacing();
  if (!button(c, "verify", verifying ? t("code.checking") : t("code.verify"), t("code.verify"),
              core::SubmitCode{}, {!verifying, true, true}) &&
      enter && !verifying)
    c.events.push_back(core::SubmitCode{});
  int64_t wait = core::resend_wait_seconds(c.s);
  std::string resend = wait > 0 ? t("code.resend_wait", {{"n", std::to_string(wait)}}) : t("code.resend");
  button(c, "resend", resend, t("code.resend"), core::ResendCode{},
         {wait == 0 && c.s.send_status != Status::InFlight});
  button(c, "other-email", t("code.other_email"), t("code.other_email"), core::UseDifferentEmail{}, {}, "",
         true);
}

// [SECTION] Library: header, rows (virtualised, sized to their content), row catalogue
int64_t total_size(const core::Purchase& p) {
  int64_t total = 0;
  for (auto& f : p.files) total += f.size;
  return total;
}

std::string files_summary(const core::Purchase& p, const core::Text& t) {
  int64_t total = total_size(p);
  if (p.files.size() == 1) return p.files[0].path + "  ·  " + core::human_size(total, t);
  return core::files_text(p, t) + "  ·  " + core::human_size(total, t);
}

std::string details_text(const core::Purchase& p, const core::Text& t) {
  std::string version = p.latest_version.empty() ? p.purchased_version : p.latest_version;
  return t("row.meta",
           {{"version", version}, {"date", core::date_text(p.purchased_at_ms, t)}, {"order", p.order_id}});
}

const core::LinkState* live_link(const State& s, int64_t pid) {
  auto it = s.links.find(pid);
  if (it == s.links.end()) return nullptr;
  return &it->second;
}

bool link_ready(const State& s, const core::LinkState* link) {
  return link && link->status == Status::Succeeded && link->link.expires_at_ms > s.now_ms;
}

// One file of an open file list: name, size, short checksum (the full one on demand), its own
// download once a link is minted.
void file_line(Ctx& c, const core::Purchase& p, const core::FileInfo& f, size_t index, bool ready,
               const std::string& row_id) {
  const core::Text& t = *c.s.text;
  std::string key = std::to_string(p.purchase_id) + "-" + std::to_string(index);
  text(c, "file-" + key, f.path + "  ·  " + core::human_size(f.size, t), colour(c.palette.text), "text",
       row_id);
  bool full = c.ui.full_checksums.count(key) > 0;
  std::string sum = t("row.sha256", {{"sum", full ? f.sha256 : f.sha256.substr(0, 12) + "…"}});
  if (full) {
    text(c, "sum-" + key, sum, c.muted_colour(), "text", row_id);
  } else {
    ImVec2 size = button_size(c, sum, false);
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0, 0, 0, 0));
    ImGui::PushStyleColor(ImGuiCol_Text, c.muted_colour());
    if (ImGui::Button((sum + "###sum-" + key).c_str(), size)) c.ui.full_checksums.insert(key);
    ImGui::PopStyleColor(2);
    c.record("sum-" + key, "button", sum + ", " + f.path, "", false, "", row_id);
  }
  if (ready) {
    std::string label = t("row.download");
    button(c, "file-get-" + key, label, label + ", " + f.path, core::OpenFile{p.purchase_id, f.path},
           {true, false, false, true}, row_id, !full);
    auto& n = c.sem.back();
    n.role = "link";
    n.value = core::file_url(c.s, p.purchase_id, f.path);
  }
}

// Scrolls the list (its top at screen y `top`, `view` tall, now at `scroll`) so that [y0, y1]
// ends in sight, its top never above the list's. True once it is in sight, or can't be whole.
bool scroll_into_sight(float y0, float y1, float top, float view, float scroll) {
  float bottom = top + view;
  if (y1 > bottom + 0.5f) ImGui::SetScrollY(scroll + std::min(y0 - top, y1 - bottom));
  return y1 <= bottom + 0.5f || y1 - y0 > view;
}

void purchase_row(Ctx& c, const core::Purchase& p, int position) {
  const core::Text& t = *c.s.text;
  ImGui::PushID(static_cast<int>(p.purchase_id));
  std::string pid = std::to_string(p.purchase_id);
  std::string row_id = "row-" + pid;
  ImVec2 top = ImGui::GetCursorScreenPos();
  size_t row_at = c.sem.size();  // the row's node goes before its widgets (DOM order = Tab order)
  c.sem.emplace_back();
  ImGui::BeginGroup();
  heading(c, "name-" + pid, p.product_name, 2, row_id);
  text(c, "details-" + pid, details_text(p, t), c.muted_colour(), "text", row_id);
  std::string bought_with = core::bought_with_text(c.s, p);
  if (!bought_with.empty()) text(c, "bought-with-" + pid, bought_with, c.muted_colour(), "text", row_id);
  std::string update = core::update_line(p, t);
  if (!update.empty()) text(c, "update-" + pid, update, colour(c.palette.badge), "text", row_id);
  whats_new_section(c, p, row_id);

  const core::LinkState* link = live_link(c.s, p.purchase_id);
  bool ready = link_ready(c.s, link);
  bool open = core::files_open(c.s, p.purchase_id);
  if (p.files.size() > 1) {
    std::string n = std::to_string(p.files.size());
    std::string label = (open ? t("row.hide_files") : t("row.show_files", {{"n", n}})) + "  ·  " +
                        core::human_size(total_size(p), t);
    button(c, "files-" + pid, label,
           (open ? t("row.hide_files") : t("row.show_files", {{"n", n}})) + ", " + p.product_name,
           core::ToggleFiles{p.purchase_id}, {true, false, false, true}, row_id);
    c.sem.back().value = open ? "expanded" : "collapsed";
    if (open)
      for (size_t i = 0; i < p.files.size(); ++i) file_line(c, p, p.files[i], i, ready, row_id);
  } else if (!p.files.empty()) {
    text(c, "files-" + pid, files_summary(p, t), c.muted_colour(), "text", row_id);
  }

  if (p.refunded) {
    // Refunded: said in words (not by colour alone), and nothing to download.
    text(c, "refunded-" + pid, t("row.refunded"), colour(c.palette.error), "text", row_id);
  } else if (ready) {
    // After "Get download link", the focus goes on to the Download link that replaced it.
    if (c.ui.focused == "get-" + pid) c.ui.focused = "download-" + pid;
    button(c, "download-" + pid, t("row.download"), t("row.download") + ", " + p.product_name,
           core::OpenLink{p.purchase_id}, {true, true}, row_id);
    c.sem.back().role = "link";
    c.sem.back().value = link->link.url;
    zip_link(c, p, row_id);
    button(c, "copy-" + pid, t("row.copy"), t("row.copy") + ", " + p.product_name,
           core::CopyLink{p.purchase_id}, {}, row_id, true);
    std::string expiry = core::expiry_text(link->link.expires_at_ms, c.s.now_ms, t);
    float w = ImGui::CalcTextSize(expiry.c_str()).x;
    flow(w);
    ImGui::AlignTextToFramePadding();
    text(c, "expiry-" + pid, expiry, c.muted_colour(), "text", row_id);
  } else {
    bool getting = link && link->status == Status::InFlight;
    button(c, "get-" + pid, getting ? t("row.getting") : t("row.get"), t("row.get") + ", " + p.product_name,
           core::GetLink{p.purchase_id}, {!getting, true}, row_id);
  }
  std::string key_line = core::license_key_line(p, t);
  if (!key_line.empty()) {
    text(c, "key-" + pid, key_line, colour(c.palette.text), "text", row_id);
    button(c, "key-copy-" + pid, t("row.copy_key"), t("row.copy_key") + ", " + p.product_name,
           core::CopyLicenseKey{p.purchase_id}, {}, row_id);
  }
  // Feedback about this row, at this row: a live region that stays while the row is drawn.
  std::string note = link ? (link->note.empty() ? link->error : link->note) : "";
  bool note_error = link && (link->note.empty() ? !link->error.empty() : link->note_is_error);
  if (!note.empty())
    text(c, "note-" + pid, note, note_error ? colour(c.palette.error) : colour(c.palette.text),
         note_error ? "alert" : "status", row_id);
  history_section(c, p, row_id);
  ImGui::EndGroup();
  float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  float bottom = ImGui::GetItemRectMax().y;
  core::SemanticNode& row = c.sem[row_at];
  row.id = row_id;
  row.role = "listitem";
  row.name = p.product_name;
  row.parent = "purchases";
  row.position = position;
  row.set_size = int(c.s.visible.size());
  row.x = top.x;
  row.y = top.y;
  row.w = right - top.x;
  row.h = bottom - top.y;
  ImGui::Dummy(ImVec2(1, 1));
  ImGui::Separator();
  ImGui::PopID();
}

// The rows' own summaries for the page (portal-a11y.js), every visible purchase in order with
// all its controls: built again only when the list, its links, its open file lists or the
// language change, never while scrolling.
void update_catalogue(Ctx& c) {
  const State& s = c.s;
  const core::Text& t = *s.text;
  std::vector<std::pair<int64_t, std::string>> links;
  for (const auto& [pid, l] : s.links)
    links.emplace_back(pid, std::to_string(int(l.status)) + (link_ready(s, &l) ? l.link.url : ""));
  Interaction& ui = c.ui;
  if (ui.rows_visible == s.visible && ui.rows_text == s.text && ui.rows_links == links &&
      ui.rows_expanded == s.expanded && ui.rows_purchases == &s.purchases &&
      ui.rows_count == s.purchases.size() && ui.rows_history_open == s.history_open &&
      ui.rows_notes_open == s.notes_open)
    return;
  if (ui.rows_purchases != &s.purchases || ui.rows_count != s.purchases.size()) ui.details.clear();
  ui.rows_visible = s.visible;
  ui.rows_text = s.text;
  ui.rows_links = std::move(links);
  ui.rows_expanded = s.expanded;
  ui.rows_history_open = s.history_open;
  ui.rows_notes_open = s.notes_open;
  ui.rows_purchases = &s.purchases;
  ui.rows_count = s.purchases.size();
  // Each purchase's details, made once per list and language (a search only picks among them).
  if (ui.details.size() != s.purchases.size() || ui.details_text != s.text) {
    ui.details.assign(s.purchases.size(), {});
    ui.details_text = s.text;
  }
  ui.rows.clear();
  ui.rows.reserve(s.visible.size());
  int position = 0;
  for (size_t i : s.visible) {
    const core::Purchase& p = s.purchases[i];
    std::string pid = std::to_string(p.purchase_id);
    core::RowSummary r;
    r.id = pid;
    r.heading = p.product_name;
    Interaction::Details& made = ui.details[i];
    if (made.text.empty() || made.refunded != p.refunded) {
      made.refunded = p.refunded;
      std::string& details = made.text;
      details = details_text(p, t);
      std::string update = core::update_line(p, t);
      if (!update.empty()) details += ". " + update;
      if (!p.files.empty()) details += ". " + files_summary(p, t);
      if (p.refunded) details += ". " + t("row.refunded");
      if (!p.license_key.empty()) details += ". " + core::license_key_line(p, t);
      if (std::string with = core::bought_with_text(s, p); !with.empty()) details += ". " + with;
      details += ". " + core::history_text(s, p);
    }
    r.details = made.text;
    // The controls purchase_row draws, in its order, with the same ids and names.
    whats_new_control(s, p, r.controls);
    if (p.files.size() > 1) {
      bool open = core::files_open(s, p.purchase_id);
      std::string n = std::to_string(p.files.size());
      r.controls.push_back(
          {"files-" + pid, "button",
           (open ? t("row.hide_files") : t("row.show_files", {{"n", n}})) + ", " + p.product_name, "",
           open ? "expanded" : "collapsed"});
    }
    const core::LinkState* link = live_link(s, p.purchase_id);
    if (p.refunded) {
      // No control: the details say "Refunded".
    } else if (link_ready(s, link)) {
      r.controls.push_back(
          {"download-" + pid, "link", t("row.download") + ", " + p.product_name, link->link.url, ""});
      zip_control(s, p, r.controls);
      r.controls.push_back({"copy-" + pid, "button", t("row.copy") + ", " + p.product_name, "", ""});
    } else {
      r.controls.push_back({"get-" + pid, "button", t("row.get") + ", " + p.product_name, "", ""});
    }
    if (!p.license_key.empty())
      r.controls.push_back({"key-copy-" + pid, "button", t("row.copy_key") + ", " + p.product_name, "", ""});
    history_control(s, p, r.controls);
    r.position = ++position;
    r.set_size = int(s.visible.size());
    ui.rows.push_back(std::move(r));
  }
  ++ui.rows_generation;
}

// A radio of the sort: ImGui's round mark and a label that wraps to the column.
void sort_choice(Ctx& c, const char* id, const std::string& label, const std::string& name,
                 core::SortOrder order) {
  const ImGuiStyle& st = ImGui::GetStyle();
  float mark = ImGui::GetFontSize() + st.FramePadding.y * 2 - 8;  // the circle's diameter
  float avail = std::max(1.0f, ImGui::GetContentRegionAvail().x);
  float wrap = std::max(1.0f, avail - mark - st.ItemInnerSpacing.x);
  ImVec2 ts = ImGui::CalcTextSize(label.c_str(), nullptr, false, wrap);
  ImVec2 size(std::min(avail, mark + st.ItemInnerSpacing.x + ts.x), std::max(ts.y, c.target_height()));
  flow(size.x);
  bool checked = c.s.sort == order;
  if (ImGui::InvisibleButton(id, size)) c.events.push_back(core::SortChosen{order});
  bool hovered = ImGui::IsItemHovered();
  ImVec2 a = ImGui::GetItemRectMin();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 centre(a.x + mark / 2, a.y + size.y / 2);
  dl->AddCircleFilled(centre, mark / 2,
                      ImGui::GetColorU32(hovered ? ImGuiCol_FrameBgHovered : ImGuiCol_FrameBg));
  dl->AddCircle(centre, mark / 2, ImGui::GetColorU32(ImGuiCol_Border), 0, 1.0f);
  if (checked) dl->AddCircleFilled(centre, mark / 2 - 4, ImGui::GetColorU32(ImGuiCol_CheckMark));
  dl->AddText(nullptr, 0, ImVec2(a.x + mark + st.ItemInnerSpacing.x, a.y + (size.y - ts.y) / 2),
              ImGui::GetColorU32(ImGuiCol_Text), label.c_str(), nullptr, wrap);
  auto& n = c.record(id, "radio", name, "", false, "", "sort");
  n.checked = checked;
  c.actions.on(id, ActionKind::Activate, core::SortChosen{order});
}

void library_header(Ctx& c) {
  const core::Text& t = *c.s.text;
  heading(c, "title", t("library.title"));
  std::string sign_out = t("library.sign_out");
  // At the heading's right when both fit on one line, else under it.
  float w = button_size(c, sign_out, false).x;
  float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + w <= right)
    ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - w);
  button(c, "sign-out", sign_out, sign_out, core::SignOut{});
  if (c.s.session)
    text(c, "signed-in", t("library.signed_in_as", {{"email", c.s.session->email}}), c.muted_colour());
  Pen pen(c);
  emails_toggle(c.s, pen);
  emails_section(c.s, pen);
  help_line(c);
  library_zip(c);
  ImGui::Spacing();
  std::string search = c.s.search;
  std::string search_name = t("library.search");
  std::string clear = t("library.clear_search");
  bool has_search = !c.s.search.empty();
  float clear_w = has_search ? button_size(c, clear, false).x + ImGui::GetStyle().ItemSpacing.x : 0;
  float avail = ImGui::GetContentRegionAvail().x;
  bool clear_inline = has_search && avail - clear_w >= 8 * ImGui::GetFontSize();
  ImGui::SetNextItemWidth(clear_inline ? avail - clear_w : -FLT_MIN);
  float pad_y = std::max(ImGui::GetStyle().FramePadding.y, (c.target_height() - ImGui::GetFontSize()) / 2);
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(ImGui::GetStyle().FramePadding.x, pad_y));
  if (ImGui::InputTextWithHint("##search", search_name.c_str(), &search))
    c.events.push_back(core::SearchEdited{search});
  ImGui::PopStyleVar();
  c.record("search", "textbox", search_name, search, false, "search");
  c.actions.on_text("search", [](std::string t) -> Event { return core::SearchEdited{std::move(t)}; });
  c.actions.on("search", ActionKind::Cancel, core::SearchEdited{""});  // Escape clears it
  if (has_search) button(c, "clear-search", clear, clear, core::SearchEdited{""}, {}, "", true);

  // The sort: a radio group (its node before its radios, so the page nests them).
  size_t group_at = c.sem.size();
  c.sem.emplace_back();
  ImGui::BeginGroup();
  {  // "Sort:", centred on the radios' height (the group's name for the page), wrapped to the column
    std::string label = t("library.sort");
    float avail = std::max(1.0f, ImGui::GetContentRegionAvail().x);
    ImVec2 ts = ImGui::CalcTextSize(label.c_str(), nullptr, false, avail);
    ImGui::Dummy(ImVec2(std::min(ts.x, avail), std::max(ts.y, c.target_height())));
    ImVec2 a = ImGui::GetItemRectMin();
    ImGui::GetWindowDrawList()->AddText(nullptr, 0,
                                        ImVec2(a.x, a.y + (ImGui::GetItemRectSize().y - ts.y) / 2),
                                        ImGui::GetColorU32(c.muted_colour()), label.c_str(), nullptr, avail);
    c.record("sort-label", "label", label, "", false, "", "sort");
  }
  sort_choice(c, "sort-date", t("library.sort_newest"), t("library.sort_by_date"), core::SortOrder::Newest);
  sort_choice(c, "sort-name", t("library.sort_name"), t("library.sort_by_name"), core::SortOrder::Name);
  ImGui::EndGroup();
  core::SemanticNode& group = c.sem[group_at];
  group.id = "sort";
  group.role = "radiogroup";
  group.name = t("library.sort");
  if (!group.name.empty() && group.name.back() == ':') group.name.pop_back();
  ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  group.x = a.x;
  group.y = a.y;
  group.w = b.x - a.x;
  group.h = b.y - a.y;

  std::string count = core::library_count_text(c.s);
  if (!count.empty()) text(c, "count", count, c.muted_colour(), "status");
  status_line(c);
  ImGui::Spacing();
}

void library_screen(Ctx& c) {
  library_header(c);
  update_catalogue(c);
  Interaction& ui = c.ui;
  const State& s = c.s;
  const ImGuiStyle& st = ImGui::GetStyle();
  // Row heights as last drawn, per purchase, while the column width and text size stay; an
  // estimate for rows not drawn yet. Offsets are summed each frame (10,000 additions).
  float width = ImGui::GetContentRegionAvail().x, font = ImGui::GetFontSize();
  if (ui.row_h.size() != s.purchases.size() || ui.row_h_width != width || ui.row_h_font != font ||
      ui.row_h_touch != c.touch) {
    ui.row_h.assign(s.purchases.size(), 0.0f);
    ui.row_h_width = width;
    ui.row_h_font = font;
    ui.row_h_touch = c.touch;
  }
  // (Details, update line, the history line; the link's and the history's buttons.)
  float estimate = ImGui::GetTextLineHeightWithSpacing() * 4 +
                   static_cast<ImFont*>(c.fonts.heading)->FontSize + 2 * c.target_height() +
                   st.ItemSpacing.y * 5 + 1;
  auto height = [&](size_t i) { return ui.row_h[i] > 0 ? ui.row_h[i] : estimate; };
  float total = 0;
  for (size_t i : s.visible) total += height(i);

  float list_top = ImGui::GetCursorScreenPos().y;
  c.content_height = list_top + ImGui::GetScrollY() + std::max(total, estimate) + st.WindowPadding.y;
  // The list takes what the header leaves, but at least half the column: when the header is
  // taller than that (large text on a small phone, a search with its notice), the column scrolls
  // as a whole, the header away above the list, so nothing of it is cut off at the bottom.
  float view_h = ImGui::GetWindowHeight();
  float min_list = std::floor(std::max(2 * kTouchTarget, 0.5f * view_h));
  bool column_scrolls = ImGui::GetContentRegionAvail().y < min_list;
  // The focused widget in sight: a header widget, or the list for a row's control.
  if (column_scrolls && !ui.focused.empty() && ui.focused != ui.column_scrolled_for) {
    ui.column_scrolled_for = ui.focused;
    float y0 = list_top, y1 = list_top + min_list;
    for (const auto& n : c.sem)
      if (n.id == ui.focused) y0 = n.y, y1 = n.y + n.h;
    float top = ImGui::GetWindowPos().y, scroll_y = ImGui::GetScrollY();
    if (y0 < top)
      ImGui::SetScrollY(scroll_y - (top - y0));
    else if (y1 > top + view_h)
      ImGui::SetScrollY(scroll_y + std::min(y0 - top, y1 - top - view_h));
  }
  if (!column_scrolls) ui.column_scrolled_for.clear();
  ImGui::BeginChild("purchases", ImVec2(0, column_scrolls ? min_list : 0), false);
  core::SemanticNode list;
  list.id = "purchases";
  list.role = "list";
  list.name = (*s.text)("library.title");
  ImVec2 a = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
  list.x = a.x;
  list.y = a.y;
  list.w = size.x;
  list.h = size.y;
  c.sem.push_back(list);

  // A row whose control took the focus (Tab through the page's elements) is scrolled in.
  float scroll = ImGui::GetScrollY(), view = size.y;
  if (!ui.focused.empty() && ui.focused != ui.scrolled_for) {
    ui.scrolled_for = ui.focused;
    if (int64_t pid = purchase_of(ui.focused)) {
      float y = 0;
      for (size_t i : s.visible) {
        if (s.purchases[i].purchase_id == pid) {
          float h = height(i);
          if (y < scroll)
            scroll = y;
          else if (y + h > scroll + view)
            scroll = std::min(y, y + h - view);
          ImGui::SetScrollY(scroll);
          break;
        }
        y += height(i);
      }
    }
  }
  // Only the rows on screen are laid out: 10,000 rows cost their heights' sum and a handful.
  float y = 0;
  ImVec2 start = ImGui::GetCursorScreenPos(), origin = start;
  origin.y += ImGui::GetScrollY() - scroll;  // a scroll set in this frame applies from the next
  int position = 0;
  for (size_t i : s.visible) {
    ++position;
    float h = height(i);
    if (y + h >= scroll && y <= scroll + view) {
      ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + y));
      float before = ImGui::GetCursorScreenPos().y;
      purchase_row(c, s.purchases[i], position);
      float drawn = ImGui::GetCursorScreenPos().y - before;
      if (std::fabs(drawn - ui.row_h[i]) > 0.5f) {
        total += drawn - h;
        ui.row_h[i] = drawn;
      }
    }
    y += h;
  }
  // A row taller than the list (large text on a phone): the focused control is drawn, and the
  // list scrolls on to it, not only to its row's top, until it has been seen whole (its row may
  // still be settling its height); then the wheel may move it away again.
  if (!ui.focused.empty() && ui.focused != ui.widget_in_sight_for) {
    for (const auto& n : c.sem) {
      if (n.id != ui.focused || n.parent.rfind("row-", 0) != 0) continue;
      float top = a.y, bottom = a.y + view;  // rows are laid out at `scroll`
      if (n.y + n.h > bottom + 0.5f)
        ImGui::SetScrollY(scroll + std::min(n.y - top, n.y + n.h - bottom));
      else if (n.y < top - 0.5f)
        ImGui::SetScrollY(scroll - (top - n.y));
      if ((n.y >= top - 0.5f && n.y + n.h <= bottom + 0.5f) || n.h > view)
        ui.widget_in_sight_for = ui.focused;
    }
  }
  // An opened download history is scrolled into sight with its toggle and Close (on a phone it
  // opens below the fold), again whenever its height changes (loaded, paged), then left alone.
  if (c.s.history_open > 0) {
    std::string pid = std::to_string(c.s.history_open);
    const core::SemanticNode *toggle = nullptr, *close = nullptr;
    for (const auto& n : c.sem) {
      if (n.id == "history-" + pid) toggle = &n;
      if (n.id == "history-close-" + pid) close = &n;
    }
    std::string key =
        toggle && close ? pid + ":" + std::to_string(static_cast<int>(close->y + close->h - toggle->y)) : "";
    if (!key.empty() && key != ui.history_in_sight_for &&
        scroll_into_sight(toggle->y, close->y + close->h, a.y, view, scroll))
      ui.history_in_sight_for = key;  // its end seen (or it can't be whole)
  } else {
    ui.history_in_sight_for.clear();
  }
  // An opened file list once, the same way: its whole row (the product's name above, the Get
  // download link button below the files), or its top at the list's top when the row is taller,
  // after the click that opened it; then it is left where the wheel puts it.
  for (auto it = ui.files_in_sight.begin(); it != ui.files_in_sight.end();)
    it = core::files_open(c.s, *it) ? std::next(it) : ui.files_in_sight.erase(it);
  for (const auto& toggle : c.sem) {
    if (toggle.value != "expanded" || toggle.id.rfind("files-", 0) != 0) continue;
    std::string pid = toggle.id.substr(6);
    if (ui.files_in_sight.count(std::stoll(pid))) continue;
    for (const auto& row : c.sem)
      if (row.id == "row-" + pid && scroll_into_sight(row.y, row.y + row.h, a.y, view, scroll))
        ui.files_in_sight.insert(std::stoll(pid));
  }
  ImGui::SetCursorScreenPos(ImVec2(start.x, start.y + total));  // the whole list's height
  ImGui::Dummy(ImVec2(1, 0));
  ImGui::EndChild();
}

}  // namespace

// [SECTION] draw_portal
void draw_portal(const State& s, const Look& look, Interaction& ui, ViewFrame& out) {
  bool entered = s.screen != ui.last_screen;
  ui.last_screen = s.screen;
  out.events.clear();
  out.semantics.clear();
  out.actions.clear();

  Ctx c{s, *look.fonts, look.palette, ui, out.semantics, out.actions, out.events};
  c.touch = look.touch || ImGui::GetIO().MouseSource == ImGuiMouseSource_TouchScreen;
  const Branding& brand = look.brand;
  const core::Text& t = *s.text;
  ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  ImGui::Begin("Continuata portal", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus);
  // Every screen in one centred column: 35 em at most, the window's width less its padding.
  float avail = ImGui::GetContentRegionAvail().x;
  float width = std::floor(std::min(kColumnEm * ImGui::GetFontSize(), avail));
  float indent = std::floor((avail - width) / 2);
  if (indent > 0) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + indent);
  ImGui::BeginChild(
      "column", ImVec2(width, 0), false,
      ImGuiWindowFlags_NoBackground | (s.screen == Screen::Library ? ImGuiWindowFlags_NoScrollbar : 0));
  std::string name = core::brand_name(s, brand.name);
  // The page's language and title follow the UI's (the <html lang> and <title> of the page).
  {
    core::SemanticNode doc;
    doc.id = "document";
    doc.role = "document";
    const char* title = s.screen == Screen::Email  ? "email.title"
                        : s.screen == Screen::Code ? "code.title"
                                                   : "library.title";
    doc.name = t(title) + " · " + name;
    doc.value = t.lang();
    out.semantics.push_back(std::move(doc));
  }
  // The seller's logo and name when configured, else the portal's own name.
  if (brand.logo && brand.logo_w > 0 && brand.logo_h > 0) {
    float h = 32, w = std::min(h * brand.logo_w / brand.logo_h, std::min(200.0f, width));
    ImGui::Image(reinterpret_cast<ImTextureID>(brand.logo), ImVec2(w, h));
    c.record("logo", "img", name);
    flow(ImGui::CalcTextSize(name.c_str()).x);
    ImGui::AlignTextToFramePadding();
  }
  text(c, "brand", name, c.muted_colour());
  ImGui::Spacing();
  switch (s.screen) {
    case Screen::Email:
      email_screen(c, entered);
      break;
    case Screen::Code:
      code_screen(c, entered);
      break;
    case Screen::Library:
      library_screen(c);
      break;
  }
  if (s.screen != Screen::Library) {
    ImGui::Spacing();
    status_line(c);
    help_line(c);
    c.content_height = ImGui::GetCursorScreenPos().y + ImGui::GetStyle().WindowPadding.y;
  }
  ImGui::EndChild();
  ImGui::End();
  out.content_height = c.content_height;
  out.rows = &ui.rows;
  out.rows_generation = s.screen == Screen::Library ? ui.rows_generation : 0;
}

}  // namespace continuata::portal
