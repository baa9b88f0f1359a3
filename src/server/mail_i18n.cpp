// Mail catalogues, compiled in from assets/i18n/mail_*.json by cmake/embed_file.cmake.
#include "server/mail_i18n.hpp"

#include <cctype>
#include <cstdlib>

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

std::string accepted_mail_language(std::string_view header) {
  std::string best = "en";
  double best_q = 0;
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    size_t semi = item.find(';');
    std::string_view range = item.substr(0, semi);
    double q = 1;
    if (semi != std::string_view::npos) {
      std::string_view params = item.substr(semi + 1);
      size_t at = params.find("q=");
      if (at == std::string_view::npos) continue;  // a parameter other than q: not a valid range
      q = std::strtod(std::string(params.substr(at + 2)).c_str(), nullptr);
      if (!(q > 0 && q <= 1)) continue;  // q=0 (refused) or nonsense
    }
    while (!range.empty() && (range.front() == ' ' || range.front() == '\t')) range.remove_prefix(1);
    while (!range.empty() && (range.back() == ' ' || range.back() == '\t')) range.remove_suffix(1);
    std::string primary(range.substr(0, range.find_first_of("-_")));
    for (char& c : primary) c = char(std::tolower(static_cast<unsigned char>(c)));
    std::string lang = range == "*" ? "en" : mail_language(range);
    bool named = range == "*" || lang == primary;  // mail_language says English for the unknown too
    if (named && q > best_q) {
      best = lang;
      best_q = q;
    }
  }
  return best;
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
