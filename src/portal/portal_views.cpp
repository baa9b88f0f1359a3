// The screens, drawn each frame from the core State. Every widget is recorded in the semantics
// list right after it is drawn (ImGui knows its rectangle only then), and what its
// accessibility element's actions mean goes into the action table as it is drawn.
#include "portal/portal_views.hpp"

#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include <algorithm>

#include "core/core_format.hpp"
#include "portal/portal_style.hpp"

namespace continuata::portal {
namespace {

using core::Event;
using core::Screen;
using core::State;
using core::Status;

constexpr float kColumnWidth = 560.0f;

struct Ctx {
  const State& s;
  const Fonts& fonts;
  const core::Palette& palette;  // the seller's theme, contrast-checked in core_theme
  const Interaction& ui;
  core::Semantics& sem;
  ActionTable& actions;
  std::vector<Event>& events;
  float content_height = 0;  // CSS px the screen needs without scrolling (for embedding)

  ImVec4 muted_colour() const { return colour(palette.muted); }

  void record(std::string id, std::string role, std::string name, std::string value = "",
              bool disabled = false, std::string kind = "", std::string parent = "", int level = 0) {
    ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    core::SemanticNode n;
    n.id = std::move(id);
    n.role = std::move(role);
    n.name = std::move(name);
    n.value = std::move(value);
    n.kind = std::move(kind);
    n.parent = std::move(parent);
    n.level = level;
    n.disabled = disabled;
    n.focused = ui.focused == n.id;
    // The focus ring, drawn where the browser's focus is (on the element over this widget).
    if (n.focused && n.role != "list" && n.role != "listitem")
      ImGui::GetWindowDrawList()->AddRect(ImVec2(a.x - 3, a.y - 3), ImVec2(b.x + 3, b.y + 3),
                                          ImGui::GetColorU32(colour(palette.accent_text)),
                                          ImGui::GetStyle().FrameRounding + 3, 0, 2.5f);
    n.x = a.x;
    n.y = a.y;
    n.w = b.x - a.x;
    n.h = b.y - a.y;
    sem.push_back(std::move(n));
  }
};

void heading(Ctx& c, const char* id, const std::string& text) {
  ImGui::PushFont(static_cast<ImFont*>(c.fonts.heading));
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopFont();
  c.record(id, "heading", text, "", false, "", "", 1);
}

void muted(const Ctx& c, const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, c.muted_colour());
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopStyleColor();
}

// A button standing for `event`: a click emits it, and so does activating its element (while
// enabled; a press already made in this frame is not made again from there). Returns whether it
// was clicked in this frame.
bool button(Ctx& c, const std::string& id, const std::string& label, const std::string& name, Event event,
            bool enabled = true, bool primary = false, float width = 0) {
  ImGui::BeginDisabled(!enabled);
  if (primary) {
    ImGui::PushStyleColor(ImGuiCol_Button, colour(c.palette.accent));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, colour(c.palette.accent, 0.88f));
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, colour(c.palette.accent, 0.76f));
    ImGui::PushStyleColor(ImGuiCol_Text, colour(c.palette.on_accent));
  }
  bool pressed = ImGui::Button((label + "###" + id).c_str(), ImVec2(width, 0));
  if (primary) ImGui::PopStyleColor(4);
  ImGui::EndDisabled();
  c.record(id, "button", name, "", !enabled);
  pressed = pressed && enabled;
  if (pressed)
    c.events.push_back(std::move(event));
  else if (enabled)
    c.actions.on(id, ActionKind::Activate, std::move(event));
  return pressed;
}

void status_line(Ctx& c) {
  std::string text = core::status_line(c.s);
  if (text.empty()) return;
  bool error = c.s.notice_is_error || c.s.retry_until_ms > c.s.now_ms;
  ImGui::PushStyleColor(ImGuiCol_Text, error ? colour(c.palette.error) : c.muted_colour());
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopStyleColor();
  c.record("status", error ? "alert" : "status", text);
}

// A labelled text field; returns true when Enter was pressed in it.
bool field(Ctx& c, const char* id, const std::string& label, const char* kind, const std::string& value,
           bool focus_now, ImGuiInputTextFlags flags, Event (*make)(std::string)) {
  ImGui::TextUnformatted(label.c_str());
  std::string buf = value;
  ImGui::SetNextItemWidth(-FLT_MIN);
  bool enter =
      ImGui::InputText((std::string("##") + id).c_str(), &buf, flags | ImGuiInputTextFlags_EnterReturnsTrue);
  if (buf != value) c.events.push_back(make(buf));
  c.record(id, "textbox", label, buf, false, kind);
  c.actions.on_text(id, make);
  // A new screen's field takes the browser's focus (the page's input over it, see portal-a11y.js).
  c.sem.back().focused = c.sem.back().focused || focus_now;
  return enter;
}

void email_screen(Ctx& c, bool entered) {
  const core::Text& t = *c.s.text;
  heading(c, "title", t("email.title"));
  muted(c, t("email.intro"));
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
              can_send, true, -FLT_MIN) &&
      enter && can_send)
    c.events.push_back(core::SubmitEmail{});
}

void code_screen(Ctx& c, bool entered) {
  const core::Text& t = *c.s.text;
  heading(c, "title", t("code.title"));
  muted(c, t("code.intro", {{"email", c.s.email}}));
  ImGui::Spacing();
  bool verifying = c.s.verify_status == Status::InFlight;
  bool enter = field(c, "code", t("code.field"), "code", c.s.code, entered, ImGuiInputTextFlags_CharsDecimal,
                     [](std::string t) -> Event { return core::CodeEdited{std::move(t)}; });
  c.actions.on("code", ActionKind::Submit, core::SubmitCode{});         // Enter in the page's input
  c.actions.on("code", ActionKind::Cancel, core::UseDifferentEmail{});  // Escape leaves the screen
  ImGui::Spacing();
  if (!button(c, "verify", verifying ? t("code.checking") : t("code.verify"), t("code.verify"),
              core::SubmitCode{}, !verifying, true, -FLT_MIN) &&
      enter && !verifying)
    c.events.push_back(core::SubmitCode{});
  int64_t wait = core::resend_wait_seconds(c.s);
  std::string resend = wait > 0 ? t("code.resend_wait", {{"n", std::to_string(wait)}}) : t("code.resend");
  button(c, "resend", resend, t("code.resend"), core::ResendCode{},
         wait == 0 && c.s.send_status != Status::InFlight);
  ImGui::SameLine();
  button(c, "other-email", t("code.other_email"), t("code.other_email"), core::UseDifferentEmail{});
}

// `position`: the row's place among all visible purchases (1-based), for screen readers.
void purchase_row(Ctx& c, const core::Purchase& p, float row_height, int position) {
  const core::Text& t = *c.s.text;
  ImGui::PushID(static_cast<int>(p.purchase_id));
  std::string pid = std::to_string(p.purchase_id);
  ImVec2 top = ImGui::GetCursorScreenPos();
  size_t row_at = c.sem.size();  // the row's node goes before its widgets (DOM order = Tab order)
  c.sem.emplace_back();
  ImGui::BeginGroup();
  ImGui::PushFont(static_cast<ImFont*>(c.fonts.heading));
  ImGui::TextUnformatted(p.product_name.c_str());
  ImGui::PopFont();
  std::string version = p.latest_version.empty() ? p.purchased_version : p.latest_version;
  std::string date = core::date_text(p.purchased_at_ms, t);
  std::string meta = t("row.meta", {{"version", version}, {"date", date}, {"order", p.order_id}});
  ImGui::PushStyleColor(ImGuiCol_Text, c.muted_colour());
  ImGui::TextUnformatted(meta.c_str());
  ImGui::PopStyleColor();
  if (core::update_available(p.purchased_version, p.latest_version)) {
    ImGui::SameLine();
    ImGui::TextColored(colour(c.palette.badge), "%s", t("row.update").c_str());
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip(
          "%s", t("row.update_tip", {{"bought", p.purchased_version}, {"latest", p.latest_version}}).c_str());
    c.record("update-" + pid, "text", t("row.update_name", {{"bought", p.purchased_version}}));
  }
  // Up to two files inline; all of them, with full checksums, in a tooltip.
  int64_t total = 0;
  for (auto& f : p.files) total += f.size;
  for (size_t i = 0; i < p.files.size() && i < 2; ++i) {
    const auto& f = p.files[i];
    ImGui::PushStyleColor(ImGuiCol_Text, c.muted_colour());
    ImGui::Text("%s  ·  %s  ·  sha256 %.12s…", f.path.c_str(), core::human_size(f.size, t).c_str(),
                f.sha256.c_str());
    ImGui::PopStyleColor();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("sha256 %s", f.sha256.c_str());
  }
  if (p.files.size() > 2) {
    std::string more = t("row.more_files",
                         {{"n", std::to_string(p.files.size() - 2)}, {"size", core::human_size(total, t)}});
    ImGui::TextColored(c.muted_colour(), "%s", more.c_str());
    if (ImGui::IsItemHovered()) {
      ImGui::BeginTooltip();
      for (auto& f : p.files)
        ImGui::Text("%s  %s  sha256 %s", f.path.c_str(), core::human_size(f.size, t).c_str(),
                    f.sha256.c_str());
      ImGui::EndTooltip();
    }
  } else if (p.files.size() < 2) {
    ImGui::Dummy(ImVec2(1, ImGui::GetTextLineHeight() * float(2 - p.files.size())));
  } else {
    ImGui::Dummy(ImVec2(1, ImGui::GetTextLineHeight()));
  }

  auto it = c.s.links.find(p.purchase_id);
  const core::LinkState* link = it == c.s.links.end() ? nullptr : &it->second;
  bool ready = link && link->status == Status::Succeeded && link->link.expires_at_ms > c.s.now_ms;
  if (ready) {
    ImGui::PushStyleColor(ImGuiCol_Text, colour(c.palette.accent_text));
    button(c, "download-" + pid, t("row.download"), t("row.download"), core::OpenLink{p.purchase_id});
    ImGui::PopStyleColor();
    c.sem.back().role = "link";
    c.sem.back().value = link->link.url;
    ImGui::SameLine();
    button(c, "copy-" + pid, t("row.copy"), t("row.copy"), core::CopyLink{p.purchase_id});
    ImGui::SameLine();
    std::string expiry = core::expiry_text(link->link.expires_at_ms, c.s.now_ms, t);
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(c.muted_colour(), "%s", expiry.c_str());
    c.record("expiry-" + pid, "text", expiry);
  } else {
    bool getting = link && link->status == Status::InFlight;
    button(c, "get-" + pid, getting ? t("row.getting") : t("row.get"), t("row.get"),
           core::GetLink{p.purchase_id}, !getting, true);
  }
  ImGui::EndGroup();
  ImVec2 bottom(top.x + ImGui::GetContentRegionAvail().x,
                top.y + row_height - ImGui::GetStyle().ItemSpacing.y);
  core::SemanticNode& row = c.sem[row_at];
  row.id = "row-" + pid;
  row.role = "listitem";
  row.name = t("row.name", {{"product", p.product_name}, {"version", version}, {"date", date}});
  row.parent = "purchases";
  // Only the rows on screen have elements; these say where in the whole list they are.
  row.position = position;
  row.set_size = int(c.s.visible.size());
  row.x = top.x;
  row.y = top.y;
  row.w = bottom.x - top.x;
  row.h = bottom.y - top.y;
  for (size_t i = row_at + 1; i < c.sem.size(); ++i) c.sem[i].parent = row.id;
  ImGui::SetCursorScreenPos(ImVec2(top.x, top.y + row_height));
  ImGui::Separator();
  ImGui::PopID();
}

void library_screen(Ctx& c) {
  const core::Text& t = *c.s.text;
  float right = ImGui::GetContentRegionAvail().x;
  heading(c, "title", t("library.title"));
  std::string sign_out = t("library.sign_out");
  ImGui::SameLine(right - ImGui::CalcTextSize(sign_out.c_str()).x - ImGui::GetStyle().FramePadding.x * 2);
  button(c, "sign-out", sign_out, sign_out, core::SignOut{});
  if (c.s.session) muted(c, t("library.signed_in_as", {{"email", c.s.session->email}}));
  ImGui::Spacing();
  std::string search = c.s.search;
  ImGui::SetNextItemWidth(-FLT_MIN);
  std::string search_name = t("library.search");
  if (ImGui::InputTextWithHint("##search", search_name.c_str(), &search))
    c.events.push_back(core::SearchEdited{search});
  c.record("search", "textbox", search_name, search, false, "search");
  c.actions.on_text("search", [](std::string t) -> Event { return core::SearchEdited{std::move(t)}; });
  c.actions.on("search", ActionKind::Cancel, core::SearchEdited{""});  // Escape clears it
  ImGui::AlignTextToFramePadding();
  ImGui::TextColored(c.muted_colour(), "%s", t("library.sort").c_str());
  ImGui::SameLine();
  auto sort_choice = [&c](const char* id, const std::string& label, const std::string& name,
                          core::SortOrder order) {
    if (ImGui::RadioButton(label.c_str(), c.s.sort == order)) c.events.push_back(core::SortChosen{order});
    c.record(id, "button", name);
    c.actions.on(id, ActionKind::Activate, core::SortChosen{order});
  };
  sort_choice("sort-date", t("library.sort_newest"), t("library.sort_by_date"), core::SortOrder::Newest);
  ImGui::SameLine();
  sort_choice("sort-name", t("library.sort_name"), t("library.sort_by_name"), core::SortOrder::Name);
  status_line(c);
  ImGui::Spacing();

  float line = ImGui::GetTextLineHeightWithSpacing();
  float row_height = line * 5.2f + ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().ItemSpacing.y * 2;
  // Every row laid out at once would need this much: the embed loader sizes the iframe to it
  // (up to its maximum, past which the list scrolls inside).
  c.content_height = ImGui::GetCursorScreenPos().y +
                     float(std::max<size_t>(c.s.visible.size(), 1)) * row_height +
                     ImGui::GetStyle().WindowPadding.y;
  ImGui::BeginChild("purchases", ImVec2(0, 0), false);
  core::SemanticNode list;
  list.id = "purchases";
  list.role = "list";
  list.name = t("library.title");
  ImVec2 a = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
  list.x = a.x;
  list.y = a.y;
  list.w = size.x;
  list.h = size.y;
  c.sem.push_back(list);
  ImGuiListClipper clipper;  // only the rows on screen are laid out: 10,000 rows cost a handful
  clipper.Begin(static_cast<int>(c.s.visible.size()), row_height);
  while (clipper.Step())
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i)
      purchase_row(c, c.s.purchases[c.s.visible[size_t(i)]], row_height, i + 1);
  ImGui::EndChild();
}

}  // namespace

void draw_portal(const State& s, const Look& look, Interaction& ui, ViewFrame& out) {
  bool entered = s.screen != ui.last_screen;
  ui.last_screen = s.screen;
  out.events.clear();
  out.semantics.clear();
  out.actions.clear();

  Ctx c{s, *look.fonts, look.palette, ui, out.semantics, out.actions, out.events};
  const Branding& brand = look.brand;
  ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  ImGui::Begin("Continuata portal", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus);
  float avail = ImGui::GetContentRegionAvail().x;
  float width = std::min(kColumnWidth, avail);
  float indent = (avail - width) / 2;
  if (indent > 0) ImGui::Indent(indent);
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
  ImGui::BeginGroup();
  ImGui::PushItemWidth(width);
  // The seller's logo and name when configured, else the portal's own name.
  if (brand.logo && brand.logo_w > 0 && brand.logo_h > 0) {
    float h = 32, w = std::min(h * brand.logo_w / brand.logo_h, 200.0f);
    ImGui::Image(reinterpret_cast<ImTextureID>(brand.logo), ImVec2(w, h));
    c.record("logo", "img", brand.name.empty() ? (*s.text)("brand") : brand.name);
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
  }
  std::string name = brand.name.empty() ? (*s.text)("brand") : brand.name;
  ImGui::TextColored(c.muted_colour(), "%s", name.c_str());
  c.record("brand", "text", name);
  ImGui::Spacing();
  switch (s.screen) {
    case Screen::Email:
      email_screen(c, entered);
      break;
    case Screen::Code:
      code_screen(c, entered);
      break;
    case Screen::Library:
      break;
  }
  if (s.screen != Screen::Library) {
    ImGui::Spacing();
    status_line(c);
    ImGui::PopItemWidth();
    ImGui::EndGroup();
    c.content_height = ImGui::GetCursorScreenPos().y + ImGui::GetStyle().WindowPadding.y;
  } else {
    ImGui::PopItemWidth();
    ImGui::EndGroup();
    ImGui::BeginGroup();
    ImGui::BeginChild("library", ImVec2(width, 0), false, ImGuiWindowFlags_NoBackground);
    library_screen(c);
    ImGui::EndChild();
    ImGui::EndGroup();
  }
  ImGui::PopTextWrapPos();
  ImGui::End();
  out.content_height = c.content_height;
}

}  // namespace continuata::portal
