// "What's new in <latest>": when a row offers it, its words, and opening and closing it.
#include "core/core_whats_new.hpp"

#include "core/core_state.hpp"

namespace continuata::core {

bool whats_new_available(const Purchase& p) {
  return has_update(p) && p.latest_notes.find_first_not_of(" \t\r\n") != std::string::npos;
}

bool whats_new_open(const State& s, const Purchase& p) {
  return s.notes_open.count(p.purchase_id) > 0 && whats_new_available(p);
}

std::string whats_new_label(const Purchase& p, const Text& t) {
  return t("row.whats_new", {{"version", p.latest_version}});
}

std::string whats_new_text(const Purchase& p) {
  std::string out;
  out.reserve(p.latest_notes.size());
  const std::string& n = p.latest_notes;
  for (size_t i = 0; i < n.size(); ++i) {
    if (n[i] != '\r') {
      out += n[i];
    } else if (i + 1 >= n.size() || n[i + 1] != '\n') {
      out += '\n';  // an old Mac line end; "\r\n" keeps its "\n"
    }
  }
  size_t first = out.find_first_not_of(" \t\n"), last = out.find_last_not_of(" \t\n");
  if (first == std::string::npos) return "";
  // Whole leading lines only: the first line's own indent is kept.
  size_t start = out.rfind('\n', first);
  start = start == std::string::npos ? 0 : start + 1;
  return out.substr(start, last + 1 - start);
}

void toggle_whats_new(State& s, int64_t purchase_id) {
  if (s.notes_open.erase(purchase_id)) return;
  for (const auto& p : s.purchases)
    if (p.purchase_id == purchase_id && whats_new_available(p)) s.notes_open.insert(purchase_id);
}

}  // namespace continuata::core
