// Release notes' rules; storage through store_seller.
#include "server/service_release_notes.hpp"

#include "server/api_error.hpp"
#include "server/api_fields.hpp"
#include "server/service_products.hpp"
#include "server/store_seller.hpp"
#include "server/text_encoding.hpp"

namespace continuata::server {

std::optional<NotesChange> read_notes(const nlohmann::json& body) {
  auto it = body.find("notes");
  if (it == body.end()) return std::nullopt;
  if (it->is_null()) return NotesChange{};
  if (!it->is_string()) throw ApiError(400, "\"notes\" must be a string (plain text) or null");
  const std::string& raw = it->get_ref<const std::string&>();
  if (!is_valid_utf8(raw)) throw ApiError(400, "\"notes\" must be valid UTF-8");
  std::string text;
  size_t chars = 0;
  for (size_t i = 0; i < raw.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(raw[i]);
    if (c == '\r') {  // CRLF and a lone CR are newlines
      if (i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
      c = '\n';
    }
    bool c1 = c == 0xC2 && i + 1 < raw.size() && static_cast<unsigned char>(raw[i + 1]) >= 0x80 &&
              static_cast<unsigned char>(raw[i + 1]) <= 0x9F;  // U+0080..U+009F
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F || c1)
      throw ApiError(400, "\"notes\" is plain text: no control characters but newline and tab");
    if ((c & 0xC0) != 0x80) ++chars;
    text.push_back(char(c));
  }
  if (chars > kMaxNotesChars)
    throw ApiError(400, "\"notes\" must be at most " + std::to_string(kMaxNotesChars) + " characters");
  if (text.find_first_not_of(" \t\n") == std::string::npos) return NotesChange{};
  return NotesChange{text};
}

Version update_version(ServerContext& ctx, const std::string& org, const std::string& product_id,
                       const std::string& version, const nlohmann::json& body) {
  require_object(body);
  for (auto& [k, v] : body.items()) {
    if (k == "notes") continue;
    if (k == "id" || k == "productId" || k == "version" || k == "status" || k == "createdAt")
      throw ApiError(400, "\"" + k + "\" is read-only");
    throw ApiError(400, "Unknown field \"" + k + "\": a version's updatable field is notes");
  }
  auto change = read_notes(body);
  Db& db = ctx.db->connection();
  Transaction tx(db);
  Version v = require_version(ctx, org, product_id, version);
  if (change) {
    store::set_version_notes(db, v.id, change->notes);
    v.notes = change->notes;
  }
  tx.commit();
  return v;
}

}  // namespace continuata::server
