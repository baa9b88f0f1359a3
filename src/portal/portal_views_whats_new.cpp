// A row's "What's new in <latest>": a disclosure that keeps the focus while it opens and closes
// (Escape on it closes it too), with the notes under it in the text colour, wrapped to the row.
#include "portal/portal_views_whats_new.hpp"

#include <imgui.h>

#include "core/core_whats_new.hpp"

namespace continuata::portal::parts {
namespace {

std::string toggle_name(const core::Text& t, const core::Purchase& p) {
  return core::whats_new_label(p, t) + ", " + p.product_name;
}

}  // namespace

void whats_new_section(Ctx& c, const core::Purchase& p, const std::string& row_id) {
  if (!core::whats_new_available(p)) return;
  const core::Text& t = *c.s.text;
  std::string pid = std::to_string(p.purchase_id);
  std::string toggle = "whats-new-" + pid;
  bool open = core::whats_new_open(c.s, p);
  button(c, toggle, core::whats_new_label(p, t), toggle_name(t, p), core::ToggleWhatsNew{p.purchase_id},
         {true, false, false, true}, row_id);
  c.sem.back().value = open ? "expanded" : "collapsed";
  if (!open) return;
  c.actions.on(toggle, ActionKind::Cancel, core::ToggleWhatsNew{p.purchase_id});
  ImGui::Indent();
  text(c, "whats-new-notes-" + pid, core::whats_new_text(p), colour(c.palette.text), "text", row_id);
  ImGui::Unindent();
}

void whats_new_control(const core::State& s, const core::Purchase& p, std::vector<core::RowControl>& out) {
  if (!core::whats_new_available(p)) return;
  out.push_back({"whats-new-" + std::to_string(p.purchase_id), "button", toggle_name(*s.text, p), "",
                 core::whats_new_open(s, p) ? "expanded" : "collapsed"});
}

}  // namespace continuata::portal::parts
