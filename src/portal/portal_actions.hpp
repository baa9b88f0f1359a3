// What an action on an accessibility element (web/portal-a11y.js) means, filled by the views
// while they draw: for each widget id, the event its activation, Enter (submit), Escape
// (cancel) or new text (setValue) stands for. PortalApp looks an action up here and dispatches
// the event at once, instead of waiting a frame for the view to learn of it.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/core_state.hpp"

namespace continuata::portal {

enum class ActionKind { Activate, Submit, Cancel, SetValue };

// Parses web/portal-a11y.js's kind ("activate", "submit", "cancel", "setValue"); focus and blur
// are not actions with events.
inline std::optional<ActionKind> action_kind(std::string_view kind) {
  if (kind == "activate") return ActionKind::Activate;
  if (kind == "submit") return ActionKind::Submit;
  if (kind == "cancel") return ActionKind::Cancel;
  if (kind == "setValue") return ActionKind::SetValue;
  return std::nullopt;
}

class ActionTable {
 public:
  using MakeEvent = core::Event (*)(std::string text);

  void clear() { entries_.clear(); }
  void on(std::string id, ActionKind kind, core::Event event) {
    entries_.push_back({std::move(id), kind, std::move(event), nullptr});
  }
  void on_text(std::string id, MakeEvent make) {
    entries_.push_back({std::move(id), ActionKind::SetValue, {}, make});
  }

  // Calls `use(event)` with the event for this action on this widget, if the widget as last
  // drawn has one; returns whether it had. (The event is lent, not copied: the wasm stays free of
  // core::Event's copy constructor.)
  template <class Use>
  bool with_event(std::string_view id, ActionKind kind, const std::string& value, Use&& use) const {
    for (const auto& e : entries_)
      if (e.kind == kind && e.id == id) {
        if (e.make)
          use(e.make(value));
        else
          use(e.event);
        return true;
      }
    return false;
  }
  // A few dozen widgets on a screen: a list searched in order is all it needs.
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string id;
    ActionKind kind;
    core::Event event;
    MakeEvent make;  // SetValue: the event from the new text
  };
  std::vector<Entry> entries_;
};

}  // namespace continuata::portal
