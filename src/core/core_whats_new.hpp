// "What's new in 1.1.0": a purchase with an update (has_update: a newer active version, not
// refunded) and release notes for that version shows them on demand, as the server sends them
// (Purchase::latest_notes). One owner for when the section exists, its words and its text.
#pragma once
#include <cstdint>
#include <string>

#include "core/core_api.hpp"
#include "core/core_text.hpp"

namespace continuata::core {

struct State;

// The row offers "What's new": an update (has_update) whose version has notes.
bool whats_new_available(const Purchase& p);
// The section is open (ToggleWhatsNew) and still available (a reload may have refunded it).
bool whats_new_open(const State& s, const Purchase& p);
// "What's new in 1.1.0" (the button; its accessible name adds ", <Product>").
std::string whats_new_label(const Purchase& p, const Text& text);
// The notes as shown: plain text, line breaks kept ("\r\n" and "\r" become "\n"), without the
// blank lines and spaces around them.
std::string whats_new_text(const Purchase& p);
// ToggleWhatsNew: opens or closes it; nothing for a purchase that has no notes to show.
void toggle_whats_new(State& s, int64_t purchase_id);

}  // namespace continuata::core
