// What the history and ZIP views read from the State.
#include "core/core_history.hpp"
#include "core/core_state.hpp"

namespace continuata::core {

std::string history_text(const State& s, const Purchase& p) {
  return history_summary_text(p.downloads, s.now_ms, *s.text);
}

bool history_shown(const State& s, int64_t purchase_id) {
  return purchase_id != 0 && s.history_open == purchase_id;
}

const HistoryState* history_of(const State& s, int64_t purchase_id) {
  auto it = s.history.find(purchase_id);
  return it == s.history.end() ? nullptr : &it->second;
}

std::vector<std::string> history_lines(const State& s, int64_t purchase_id) {
  const Text& t = *s.text;
  const HistoryState* h = history_of(s, purchase_id);
  // A list fetched before stays on screen while it is fetched again.
  bool have = h && (h->status == Status::Succeeded || (h->status == Status::InFlight && h->list.purchase_id));
  if (!have) {
    if (h && h->status == Status::Failed) return {h->error};
    return {t("history.loading")};
  }
  if (h->list.downloads.empty()) return {t("history.empty")};
  std::vector<std::string> out;
  out.reserve(h->list.downloads.size() + 1);
  for (const auto& e : h->list.downloads) out.push_back(history_entry_text(e, t));
  if (h->list.total > int64_t(h->list.downloads.size()))
    out.push_back(t("history.more", {{"shown", std::to_string(h->list.downloads.size())},
                                     {"total", std::to_string(h->list.total)}}));
  return out;
}

namespace {
const LinkState* live(const State& s, const LinkState* l) {
  return l && l->status == Status::Succeeded && l->link.expires_at_ms > s.now_ms ? l : nullptr;
}
}  // namespace

std::string zip_link_url(const State& s, const Purchase& p) {
  if (p.files.size() < 2) return "";
  auto it = s.links.find(p.purchase_id);
  const LinkState* l = live(s, it == s.links.end() ? nullptr : &it->second);
  return l ? zip_url(l->link.url) : "";
}

std::string library_zip_url(const State& s) {
  const LinkState* l = live(s, &s.library_link);
  return l ? l->link.url : "";
}

}  // namespace continuata::core
