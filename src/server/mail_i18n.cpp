// Mail catalogues, compiled in from assets/i18n/mail_*.json by cmake/embed_file.cmake.
#include "server/mail_i18n.hpp"

#include "server/text_encoding.hpp"

extern const unsigned char kMailCatalogueEn[];
extern const unsigned int kMailCatalogueEnSize;
extern const unsigned char kMailCatalogueDe[];
extern const unsigned int kMailCatalogueDeSize;
extern const unsigned char kMailCatalogueFr[];
extern const unsigned int kMailCatalogueFrSize;

namespace continuata::server {
namespace {

std::string_view bytes(const unsigned char* data, unsigned int size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

}  // namespace

std::string mail_language(std::string_view tag) {
  // The portal's rule (core::Text::for_language): the primary subtag decides.
  return core::Text::for_language(tag).lang();
}

std::string_view mail_catalogue_source(std::string_view lang) {
  if (lang == "de") return bytes(kMailCatalogueDe, kMailCatalogueDeSize);
  if (lang == "fr") return bytes(kMailCatalogueFr, kMailCatalogueFrSize);
  return bytes(kMailCatalogueEn, kMailCatalogueEnSize);
}

const core::Text& mail_text(std::string_view tag) {
  // Parsed once each; a catalogue that does not parse is a build defect the catalogue test finds,
  // and then English (or an empty catalogue, whose keys show as themselves) stands in.
  static const core::Text en = core::Text::parse("en", mail_catalogue_source("en")).value_or(core::Text());
  static const core::Text de = core::Text::parse("de", mail_catalogue_source("de")).value_or(en);
  static const core::Text fr = core::Text::parse("fr", mail_catalogue_source("fr")).value_or(en);
  std::string lang = mail_language(tag);
  if (lang == "de") return de;
  if (lang == "fr") return fr;
  return en;
}

std::string mail_html(const core::Text& t, std::string_view key, core::TextArgs args) {
  auto it = t.entries().find(std::string(key));
  return core::fill_placeholders(html_escape(it == t.entries().end() ? std::string(key) : it->second), args);
}

}  // namespace continuata::server
