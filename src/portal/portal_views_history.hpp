// The library's download history and ZIP links, drawn into purchase_row and the library header
// of portal_views.cpp: each row's history in plain words with its "Download history" toggle and
// the full list under it (closed by "Close" or Escape), the row's "Download all" ZIP link, and
// the header's "Download everything". The row catalogue gets the same controls from here.
#pragma once
#include <string>
#include <vector>

#include "core/core_semantics.hpp"
#include "core/core_state.hpp"
#include "portal/portal_view_parts.hpp"

namespace continuata::portal::parts {

// The row's history: the summary line, the toggle, and when open the list and "Close".
void history_section(Ctx& c, const core::Purchase& p, const std::string& row_id);
// "Download all, <Product>" beside Download, for a multi-file purchase with a live link.
void zip_link(Ctx& c, const core::Purchase& p, const std::string& row_id);
// The header's "Download everything" button, then its link and expiry once minted.
void library_zip(Ctx& c);

// For the row catalogue, in drawing order: the ZIP link (after Download), the history toggle
// (last), and the summary the row's details end with.
void zip_control(const core::State& s, const core::Purchase& p, std::vector<core::RowControl>& out);
void history_control(const core::State& s, const core::Purchase& p, std::vector<core::RowControl>& out);

}  // namespace continuata::portal::parts
