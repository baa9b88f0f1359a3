// Release notes: plain text a seller gives a version when creating it
// (POST /api/products/{id}/versions) or later (PUT /api/products/{id}/versions/{v}), shown to
// buyers whose purchase has that version as its update, and quoted in the update mail.
#pragma once
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "server/model_seller.hpp"
#include "server/server_context.hpp"

namespace continuata::server {

inline constexpr size_t kMaxNotesChars = 4000;  // characters (code points), not bytes

// The body's "notes": absent -> nullopt (nothing to change); null or "" -> a value that clears
// them; else text of at most kMaxNotesChars characters, valid UTF-8, no control characters but
// newline and tab (CRLF and CR become newlines). Throws ApiError 400 otherwise.
struct NotesChange {
  std::optional<std::string> notes;  // nullopt: clear
};
std::optional<NotesChange> read_notes(const nlohmann::json& body);

// PUT /api/products/{id}/versions/{v}: merges `notes` (the only field a version lets change;
// read-only or unknown fields are 400) and answers with the version. 404 for an unknown one.
Version update_version(ServerContext& ctx, const std::string& org, const std::string& product_id,
                       const std::string& version, const nlohmann::json& body);

}  // namespace continuata::server
