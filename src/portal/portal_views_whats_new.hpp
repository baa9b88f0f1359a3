// A row's "What's new in 1.1.0" (core_whats_new), drawn into purchase_row of portal_views.cpp:
// a disclosure button under the update line and, when open, the release notes as wrapped plain
// text (line breaks kept) under it. The row catalogue gets the same control from here.
#pragma once
#include <string>
#include <vector>

#include "core/core_semantics.hpp"
#include "core/core_state.hpp"
#include "portal/portal_view_parts.hpp"

namespace continuata::portal::parts {

// The toggle and, when open, the notes; nothing for a row without notes to show.
void whats_new_section(Ctx& c, const core::Purchase& p, const std::string& row_id);
// For the row catalogue: the toggle, in drawing order (after the update line, before the files).
void whats_new_control(const core::State& s, const core::Purchase& p, std::vector<core::RowControl>& out);

}  // namespace continuata::portal::parts
