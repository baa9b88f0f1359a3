// Catalogues of the portal's words, compiled in from assets/i18n by cmake/embed_file.cmake.
#include "core/core_text.hpp"

#include <cctype>
#include <nlohmann/json.hpp>

extern const unsigned char kCatalogueEn[];
extern const unsigned int kCatalogueEnSize;
extern const unsigned char kCatalogueDe[];
extern const unsigned int kCatalogueDeSize;
extern const unsigned char kCatalogueFr[];
extern const unsigned int kCatalogueFrSize;

namespace continuata::core {
namespace {

std::string_view bytes(const unsigned char* data, unsigned int size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

}  // namespace

std::vector<std::string> Text::languages() {
  return {"en", "de", "fr"};
}

std::string_view Text::source(std::string_view lang) {
  if (lang == "de") return bytes(kCatalogueDe, kCatalogueDeSize);
  if (lang == "fr") return bytes(kCatalogueFr, kCatalogueFrSize);
  return bytes(kCatalogueEn, kCatalogueEnSize);
}

std::optional<Text> Text::parse(std::string_view lang, std::string_view json) {
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  Text t;
  t.lang_ = std::string(lang);
  for (auto& [key, value] : j.items()) {
    if (!value.is_string()) return std::nullopt;
    t.entries_.emplace(key, value.get<std::string>());
  }
  return t;
}

const Text& Text::for_language(std::string_view tag) {
  std::string lang(tag.substr(0, tag.find_first_of("-_")));
  for (char& c : lang) c = char(std::tolower(static_cast<unsigned char>(c)));
  // Parsed once each; the catalogues are compiled in, so parsing cannot fail short of a bug
  // that the catalogue test catches.
  static const Text en = *parse("en", source("en"));
  static const Text de = *parse("de", source("de"));
  static const Text fr = *parse("fr", source("fr"));
  if (lang == "de") return de;
  if (lang == "fr") return fr;
  return en;
}

std::string fill_placeholders(std::string_view pattern, TextArgs args) {
  std::string out;
  out.reserve(pattern.size() + 16);
  for (size_t i = 0; i < pattern.size();) {
    size_t close = pattern[i] == '{' ? pattern.find('}', i) : std::string::npos;
    const std::string* value = nullptr;
    if (close != std::string::npos) {
      std::string_view name(pattern.data() + i + 1, close - i - 1);
      for (const auto& [arg, v] : args)
        if (arg == name) value = &v;
    }
    if (value) {
      out += *value;
      i = close + 1;
    } else {
      out += pattern[i++];
    }
  }
  return out;
}

std::string Text::operator()(std::string_view key, TextArgs args) const {
  auto it = entries_.find(std::string(key));
  if (it == entries_.end()) return std::string(key);
  return fill_placeholders(it->second, args);
}

std::vector<std::string> placeholders(std::string_view text) {
  std::vector<std::string> out;
  for (size_t i = text.find('{'); i != std::string_view::npos; i = text.find('{', i + 1)) {
    size_t close = text.find('}', i);
    if (close == std::string_view::npos) break;
    out.emplace_back(text.substr(i + 1, close - i - 1));
  }
  return out;
}

}  // namespace continuata::core
