// The screens, drawn each frame from the core State. Every widget is recorded in the semantics
// list right after it is drawn (ImGui knows its rectangle only then).
#include "portal/portal_views.hpp"

#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include <algorithm>

#include "core/core_format.hpp"
#include "core/core_theme.hpp"

namespace continuata::portal {
namespace {

using core::Event;
using core::Screen;
using core::State;
using core::Status;

constexpr float kColumnWidth = 560.0f;

// The palette of apply_portal_style (the seller's theme, contrast-checked in core_theme).
core::Palette g_palette = core::make_palette({}, false);

ImVec4 colour(core::Rgb c, float alpha = 1) { return ImVec4(c.r, c.g, c.b, alpha); }
ImVec4 muted_colour() { return colour(g_palette.muted); }

struct Ctx {
  const State& s;
  const Fonts& fonts;
  const Interaction& ui;
  core::Semantics& sem;
  std::vector<Event> events;
  float content_height = 0;  // CSS px the screen needs without scrolling (for embedding)

  void record(std::string id, std::string role, std::string name, std::string value = "", bool disabled = false,
              std::string kind = "", std::string parent = "", int level = 0) {
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
                                          ImGui::GetColorU32(colour(g_palette.accent_text)),
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

void muted(const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, muted_colour());
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopStyleColor();
}

bool button(Ctx& c, const char* id, const std::string& label, const std::string& name, bool enabled = true,
            bool primary = false, float width = 0) {
  ImGui::BeginDisabled(!enabled);
  if (primary) {
    ImGui::PushStyleColor(ImGuiCol_Button, colour(g_palette.accent));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, colour(g_palette.accent, 0.88f));
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, colour(g_palette.accent, 0.76f));
    ImGui::PushStyleColor(ImGuiCol_Text, colour(g_palette.on_accent));
  }
  bool pressed = ImGui::Button((label + "###" + id).c_str(), ImVec2(width, 0)) || c.ui.activated.count(id) > 0;
  if (primary) ImGui::PopStyleColor(4);
  ImGui::EndDisabled();
  c.record(id, "button", name, "", !enabled);
  return pressed && enabled;
}

void status_line(Ctx& c) {
  std::string text = core::status_line(c.s);
  if (text.empty()) return;
  bool error = c.s.notice_is_error || c.s.retry_until_ms > c.s.now_ms;
  ImGui::PushStyleColor(ImGuiCol_Text, error ? colour(g_palette.error) : muted_colour());
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopStyleColor();
  c.record("status", error ? "alert" : "status", text);
}

// A labelled text field; returns true when Enter was pressed in it.
bool field(Ctx& c, const char* id, const std::string& label, const char* kind, const std::string& value, bool focus_now,
           ImGuiInputTextFlags flags, Event (*make)(std::string)) {
  ImGui::TextUnformatted(label.c_str());
  std::string buf = value;
  ImGui::SetNextItemWidth(-FLT_MIN);
  bool enter = ImGui::InputText((std::string("##") + id).c_str(), &buf, flags | ImGuiInputTextFlags_EnterReturnsTrue);
  if (buf != value) c.events.push_back(make(buf));
  c.record(id, "textbox", label, buf, false, kind);
  // A new screen's field takes the browser's focus (the page's input over it, see portal-a11y.js).
  c.sem.back().focused = c.sem.back().focused || focus_now;
  return enter;
}

void email_screen(Ctx& c, bool entered) {
  const core::Text& t = *c.s.text;
  heading(c, "title", t("email.title"));
  muted(t("email.intro"));
  ImGui::Spacing();
  bool sending = c.s.send_status == Status::InFlight;
  bool enter = field(c, "email", t("email.field"), "email", c.s.email, entered, ImGuiInputTextFlags_CharsNoBlank,
                     [](std::string t) -> Event { return core::EmailEdited{std::move(t)}; });
  ImGui::Spacing();
  bool waiting = c.s.retry_until_ms > c.s.now_ms;
  if (button(c, "send", sending ? t("email.sending") : t("email.send"), t("email.send"), !sending && !waiting, true, -FLT_MIN) ||
      (enter && !sending && !waiting))
    c.events.push_back(core::SubmitEmail{});
}

void code_screen(Ctx& c, bool entered) {
  const core::Text& t = *c.s.text;
  heading(c, "title", t("code.title"));
  muted(t("code.intro", {{"email", c.s.email}}));
  ImGui::Spacing();
  bool verifying = c.s.verify_status == Status::InFlight;
  bool enter = field(c, "code", t("code.field"), "code", c.s.code, entered, ImGuiInputTextFlags_CharsDecimal,
                     [](std::string t) -> Event { return core::CodeEdited{std::move(t)}; });
  ImGui::Spacing();
  if (button(c, "verify", verifying ? t("code.checking") : t("code.verify"), t("code.verify"), !verifying, true, -FLT_MIN) ||
      (enter && !verifying))
    c.events.push_back(core::SubmitCode{});
  int64_t wait = core::resend_wait_seconds(c.s);
  std::string resend = wait > 0 ? t("code.resend_wait", {{"n", std::to_string(wait)}}) : t("code.resend");
  if (button(c, "resend", resend, t("code.resend"), wait == 0 && c.s.send_status != Status::InFlight))
    c.events.push_back(core::ResendCode{});
  ImGui::SameLine();
  if (button(c, "other-email", t("code.other_email"), t("code.other_email")))
    c.events.push_back(core::UseDifferentEmail{});
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
  ImGui::PushStyleColor(ImGuiCol_Text, muted_colour());
  ImGui::TextUnformatted(meta.c_str());
  ImGui::PopStyleColor();
  if (core::update_available(p.purchased_version, p.latest_version)) {
    ImGui::SameLine();
    ImGui::TextColored(colour(g_palette.badge), "%s", t("row.update").c_str());
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("%s", t("row.update_tip", {{"bought", p.purchased_version}, {"latest", p.latest_version}}).c_str());
    c.record("update-" + pid, "text", t("row.update_name", {{"bought", p.purchased_version}}));
  }
  // Up to two files inline; all of them, with full checksums, in a tooltip.
  int64_t total = 0;
  for (auto& f : p.files) total += f.size;
  for (size_t i = 0; i < p.files.size() && i < 2; ++i) {
    const auto& f = p.files[i];
    ImGui::PushStyleColor(ImGuiCol_Text, muted_colour());
    ImGui::Text("%s  ·  %s  ·  sha256 %.12s…", f.path.c_str(), core::human_size(f.size, t).c_str(), f.sha256.c_str());
    ImGui::PopStyleColor();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("sha256 %s", f.sha256.c_str());
  }
  if (p.files.size() > 2) {
    std::string more = t("row.more_files", {{"n", std::to_string(p.files.size() - 2)}, {"size", core::human_size(total, t)}});
    ImGui::TextColored(muted_colour(), "%s", more.c_str());
    if (ImGui::IsItemHovered()) {
      ImGui::BeginTooltip();
      for (auto& f : p.files) ImGui::Text("%s  %s  sha256 %s", f.path.c_str(), core::human_size(f.size, t).c_str(), f.sha256.c_str());
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
    ImGui::PushStyleColor(ImGuiCol_Text, colour(g_palette.accent_text));
    if (button(c, ("download-" + pid).c_str(), t("row.download"), t("row.download"))) c.events.push_back(core::OpenLink{p.purchase_id});
    ImGui::PopStyleColor();
    c.sem.back().role = "link";
    c.sem.back().value = link->link.url;
    ImGui::SameLine();
    if (button(c, ("copy-" + pid).c_str(), t("row.copy"), t("row.copy"))) c.events.push_back(core::CopyLink{p.purchase_id});
    ImGui::SameLine();
    std::string expiry = core::expiry_text(link->link.expires_at_ms, c.s.now_ms, t);
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(muted_colour(), "%s", expiry.c_str());
    c.record("expiry-" + pid, "text", expiry);
  } else {
    bool getting = link && link->status == Status::InFlight;
    if (button(c, ("get-" + pid).c_str(), getting ? t("row.getting") : t("row.get"), t("row.get"), !getting, true))
      c.events.push_back(core::GetLink{p.purchase_id});
  }
  ImGui::EndGroup();
  ImVec2 bottom(top.x + ImGui::GetContentRegionAvail().x, top.y + row_height - ImGui::GetStyle().ItemSpacing.y);
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
  if (button(c, "sign-out", sign_out, sign_out)) c.events.push_back(core::SignOut{});
  if (c.s.session) muted(t("library.signed_in_as", {{"email", c.s.session->email}}));
  ImGui::Spacing();
  std::string search = c.s.search;
  ImGui::SetNextItemWidth(-FLT_MIN);
  std::string search_name = t("library.search");
  if (ImGui::InputTextWithHint("##search", search_name.c_str(), &search)) c.events.push_back(core::SearchEdited{search});
  c.record("search", "textbox", search_name, search, false, "search");
  ImGui::AlignTextToFramePadding();
  ImGui::TextColored(muted_colour(), "%s", t("library.sort").c_str());
  ImGui::SameLine();
  if (ImGui::RadioButton(t("library.sort_newest").c_str(), c.s.sort == core::SortOrder::Newest) ||
      c.ui.activated.count("sort-date"))
    c.events.push_back(core::SortChosen{core::SortOrder::Newest});
  c.record("sort-date", "button", t("library.sort_by_date"));
  ImGui::SameLine();
  if (ImGui::RadioButton(t("library.sort_name").c_str(), c.s.sort == core::SortOrder::Name) || c.ui.activated.count("sort-name")) c.events.push_back(core::SortChosen{core::SortOrder::Name});
  c.record("sort-name", "button", t("library.sort_by_name"));
  status_line(c);
  ImGui::Spacing();

  float line = ImGui::GetTextLineHeightWithSpacing();
  float row_height = line * 5.2f + ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().ItemSpacing.y * 2;
  // Every row laid out at once would need this much: the embed loader sizes the iframe to it
  // (up to its maximum, past which the list scrolls inside).
  c.content_height = ImGui::GetCursorScreenPos().y + float(std::max<size_t>(c.s.visible.size(), 1)) * row_height +
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

void apply_portal_style(const core::Palette& p) {
  g_palette = p;
  ImGuiStyle& st = ImGui::GetStyle();
  if (p.dark) ImGui::StyleColorsDark(&st);
  else ImGui::StyleColorsLight(&st);
  st.WindowPadding = ImVec2(20, 20);
  st.FramePadding = ImVec2(12, 8);
  st.ItemSpacing = ImVec2(10, 10);
  st.FrameRounding = st.GrabRounding = st.ChildRounding = st.PopupRounding = p.radius;
  st.WindowBorderSize = 0;
  st.FrameBorderSize = 1;
  st.ScrollbarSize = 12;
  ImVec4* col = st.Colors;
  col[ImGuiCol_WindowBg] = colour(p.background);
  col[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
  col[ImGuiCol_PopupBg] = colour(p.surface);
  col[ImGuiCol_Text] = colour(p.text);
  col[ImGuiCol_TextDisabled] = colour(p.muted);
  col[ImGuiCol_FrameBg] = col[ImGuiCol_FrameBgActive] = colour(p.surface);
  col[ImGuiCol_FrameBgHovered] = colour(p.button);
  col[ImGuiCol_Border] = colour(p.border);  // 3:1 against the background for inputs
  col[ImGuiCol_Button] = colour(p.button);
  col[ImGuiCol_ButtonHovered] = colour(p.button_hovered);
  col[ImGuiCol_ButtonActive] = colour(p.button_active);
  col[ImGuiCol_CheckMark] = colour(p.accent_text);
  col[ImGuiCol_NavHighlight] = colour(p.accent_text);
  col[ImGuiCol_Separator] = colour(p.border, 0.5f);
  col[ImGuiCol_TextSelectedBg] = colour(p.accent_text, 0.3f);
}

std::vector<Event> draw_portal(const State& s, const Fonts& fonts, const Branding& brand, const Interaction& ui,
                               core::Semantics& sem, float& content_height) {
  static Screen last_screen = Screen::Library;  // so the first screen takes focus too
  bool entered = s.screen != last_screen;
  last_screen = s.screen;

  Ctx c{s, fonts, ui, sem, {}};
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
  ImGui::TextColored(muted_colour(), "%s", name.c_str());
  c.record("brand", "text", name);
  ImGui::Spacing();
  switch (s.screen) {
    case Screen::Email: email_screen(c, entered); break;
    case Screen::Code: code_screen(c, entered); break;
    case Screen::Library: break;
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
  content_height = c.content_height;
  return std::move(c.events);
}

}  // namespace continuata::portal
