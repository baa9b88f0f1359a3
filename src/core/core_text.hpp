// The portal's words in one language: a catalogue of key -> text with {name} placeholders,
// from assets/i18n/<lang>.json (compiled in), including how that language writes decimal numbers,
// dates and file sizes. English, German and French are complete; a test keeps them so.
#pragma once
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace continuata::core {

using TextArgs = std::initializer_list<std::pair<std::string_view, std::string>>;

// `pattern` with each {name} of `args` replaced by its value; other braces stay as they are.
std::string fill_placeholders(std::string_view pattern, TextArgs args);

class Text {
 public:
  // The catalogue for a BCP 47 tag ("de-AT" -> German); English for any other language.
  static const Text& for_language(std::string_view tag);
  static const Text& english() { return for_language("en"); }
  // The languages with a catalogue, and a catalogue's raw JSON (for the completeness test).
  static std::vector<std::string> languages();
  static std::string_view source(std::string_view lang);
  // Non-throwing: nullopt unless `json` is an object of strings.
  static std::optional<Text> parse(std::string_view lang, std::string_view json);

  // The text for `key` with {name} placeholders filled; a missing key shows as the key itself.
  std::string operator()(std::string_view key, TextArgs args = {}) const;
  bool has(std::string_view key) const { return entries_.count(std::string(key)) > 0; }
  const std::map<std::string, std::string>& entries() const { return entries_; }
  const std::string& lang() const { return lang_; }

 private:
  std::string lang_;
  std::map<std::string, std::string> entries_;
};

// The {name} placeholders of a text, in order ("{n} of {m}" -> n, m).
std::vector<std::string> placeholders(std::string_view text);

}  // namespace continuata::core
