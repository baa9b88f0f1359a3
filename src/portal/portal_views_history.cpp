// Download history and ZIP links in the library. The history list is a disclosure: the toggle
// keeps the focus while it opens and closes it; "Close" (or Escape on either) closes it and the
// focus goes back to the toggle.
#include "portal/portal_views_history.hpp"

#include <imgui.h>

#include "core/core_format.hpp"
#include "core/core_history.hpp"

namespace continuata::portal::parts {
namespace {

std::string toggle_name(const core::Text& t, const core::Purchase& p) {
  return t("history.open") + ", " + p.product_name;
}

// Drawn as a button, announced as a link with its URL (as the row's Download link is).
void link(Ctx& c, const std::string& id, const std::string& label, const std::string& name,
          const std::string& url, Event event, ButtonLook look, const std::string& parent, bool flowed) {
  button(c, id, label, name, std::move(event), look, parent, flowed);
  c.sem.back().role = "link";
  c.sem.back().value = url;
}

}  // namespace

void history_section(Ctx& c, const core::Purchase& p, const std::string& row_id) {
  const core::Text& t = *c.s.text;
  std::string pid = std::to_string(p.purchase_id);
  std::string toggle = "history-" + pid, close = "history-close-" + pid;
  bool open = core::history_shown(c.s, p.purchase_id);
  // "Close" went with the list: its focus goes back to the toggle.
  if (!open && c.ui.focused == close) c.ui.focused = toggle;
  text(c, "history-text-" + pid, core::history_text(c.s, p), c.muted_colour(), "text", row_id);
  core::Event toggled =
      open ? core::Event(core::CloseHistory{}) : core::Event(core::OpenHistory{p.purchase_id});
  // Beside its summary when the column has room: a row stays as short as it can (rows below the fold
  // are what a buyer scrolls for).
  button(c, toggle, t("history.open"), toggle_name(t, p), toggled, {true, false, false, true}, row_id, true);
  c.sem.back().value = open ? "expanded" : "collapsed";
  if (!open) return;
  c.actions.on(toggle, ActionKind::Cancel, core::CloseHistory{});
  // Escape on the canvas too (native keyboard), wherever ImGui's own focus is.
  if (ImGui::IsKeyPressed(ImGuiKey_Escape, false)) c.events.push_back(core::CloseHistory{});

  std::string list_id = "history-list-" + pid;
  ImGui::Indent();
  size_t list_at = c.sem.size();  // the list's node before its items (DOM order)
  c.sem.emplace_back();
  ImGui::BeginGroup();
  const core::HistoryState* h = core::history_of(c.s, p.purchase_id);
  bool listed =
      h && !h->list.downloads.empty() && (h->status == Status::Succeeded || h->status == Status::InFlight);
  auto lines = core::history_lines(c.s, p.purchase_id);
  for (size_t i = 0; i < lines.size(); ++i) {
    bool entry = listed && i < h->list.downloads.size();
    bool error = h && h->status == Status::Failed;
    std::string id = "history-" + pid + "-" + std::to_string(i);
    ImVec4 col = error ? colour(c.palette.error) : colour(c.palette.text);
    if (!entry) {
      text(c, id, lines[i], col, error ? "alert" : "status", row_id);
      continue;
    }
    // The list item holds its words as text (a child node): a bare <li> gets its name as
    // aria-label only, and its text content, what a screen reader's list and the page's own
    // find read, would be empty. The item comes first in the list, as the page makes parents first.
    size_t item_at = c.sem.size();
    c.sem.emplace_back();
    core::SemanticNode item = text(c, id + "-text", lines[i], col, "text", id);
    item.id = id;
    item.role = "listitem";
    item.parent = list_id;
    c.sem[item_at] = std::move(item);
  }
  ImGui::EndGroup();
  core::SemanticNode& list = c.sem[list_at];
  list.id = list_id;
  list.role = "list";
  list.name = toggle_name(t, p);
  list.parent = row_id;
  ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  list.x = a.x;
  list.y = a.y;
  list.w = b.x - a.x;
  list.h = b.y - a.y;
  button(c, close, t("history.close"), t("history.close_name") + ", " + p.product_name, core::CloseHistory{},
         {}, row_id);
  c.actions.on(close, ActionKind::Cancel, core::CloseHistory{});
  ImGui::Unindent();
}

void zip_link(Ctx& c, const core::Purchase& p, const std::string& row_id) {
  std::string url = core::zip_link_url(c.s, p);
  if (url.empty()) return;
  const core::Text& t = *c.s.text;
  link(c, "zip-" + std::to_string(p.purchase_id), t("row.download_all"),
       t("row.download_all") + ", " + p.product_name, url, core::OpenZip{p.purchase_id}, {}, row_id, true);
}

void library_zip(Ctx& c) {
  const State& s = c.s;
  if (s.purchases_status != Status::Succeeded || s.purchases.empty()) return;
  const core::Text& t = *s.text;
  std::string url = core::library_zip_url(s);
  if (url.empty()) {
    bool getting = s.library_link.status == Status::InFlight;
    button(c, "get-all", getting ? t("library.getting_all") : t("library.get_all"), t("library.get_all"),
           core::GetLibraryLink{}, {!getting}, "", true);  // beside "Email addresses" when it fits
    return;
  }
  // After "Download everything", the focus goes on to the link that replaced it.
  if (c.ui.focused == "get-all") c.ui.focused = "all-zip";
  std::string name = t("library.all_link");
  link(c, "all-zip", name, name, url, core::OpenLibraryZip{}, {true, true}, "", false);
  std::string expiry = core::expiry_text(s.library_link.link.expires_at_ms, s.now_ms, t);
  flow(ImGui::CalcTextSize(expiry.c_str()).x);
  ImGui::AlignTextToFramePadding();
  text(c, "all-expiry", expiry, c.muted_colour());
}

void zip_control(const core::State& s, const core::Purchase& p, std::vector<core::RowControl>& out) {
  std::string url = core::zip_link_url(s, p);
  if (url.empty()) return;
  const core::Text& t = *s.text;
  out.push_back({"zip-" + std::to_string(p.purchase_id), "link",
                 t("row.download_all") + ", " + p.product_name, url, ""});
}

void history_control(const core::State& s, const core::Purchase& p, std::vector<core::RowControl>& out) {
  bool open = core::history_shown(s, p.purchase_id);
  out.push_back({"history-" + std::to_string(p.purchase_id), "button", toggle_name(*s.text, p), "",
                 open ? "expanded" : "collapsed"});
}

}  // namespace continuata::portal::parts
