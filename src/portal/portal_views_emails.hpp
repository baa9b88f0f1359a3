// The library's "Email addresses" section: the button that opens it, the linked addresses (each
// with "Remove, <address>"), "Another email address" with "Add email", then "Verification code"
// with "Verify address", and the section's status line. Drawn with the library's own widgets,
// which portal_views.cpp lends through EmailsPen, so they are recorded like every other.
#pragma once
#include <string>

#include "core/core_state.hpp"

namespace continuata::portal {

enum class Ink { Text, Muted, Error };

class EmailsPen {
 public:
  virtual ~EmailsPen() = default;
  virtual void heading(const std::string& id, const std::string& s) = 0;
  virtual void text(const std::string& id, const std::string& s, Ink ink, const char* role) = 0;
  // Returns whether it was pressed in this frame (its event is already emitted then).
  virtual bool button(const std::string& id, const std::string& label, const std::string& name, core::Event e,
                      bool enabled, bool primary, bool flowed) = 0;
  // Returns whether Enter was pressed in it.
  virtual bool field(const char* id, const std::string& label, const char* kind, const std::string& value,
                     core::Event (*make)(std::string)) = 0;
  virtual void submit_on_enter(const char* id, core::Event e) = 0;  // Enter in the page's input
  virtual void emit(core::Event e) = 0;
  virtual void spacing() = 0;
};

// The button under "Signed in as": "Email addresses" (or "Hide email addresses").
void emails_toggle(const core::State& s, EmailsPen& pen);
// The section itself, when open.
void emails_section(const core::State& s, EmailsPen& pen);

}  // namespace continuata::portal
