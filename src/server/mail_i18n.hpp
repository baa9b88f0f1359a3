// The words of every mail (and of the unsubscribe page) in the buyer's language: catalogues
// assets/i18n/mail_<lang>.json compiled into the server, with the portal's languages (en, de,
// fr; tests/core/test_core_text.cpp keeps them complete). Names (the seller's, a product's) are
// never in a catalogue: they are filled into its {placeholders}.
#pragma once
#include <string>
#include <string_view>

#include "core/core_text.hpp"

namespace continuata::server {

// The catalogue for a BCP 47 tag or language code ("de-AT" -> German); English for any other.
const core::Text& mail_text(std::string_view tag);
// The language code mail_text picks for `tag`: "en", "de" or "fr".
std::string mail_language(std::string_view tag);
// The language of a page that names nobody, from the request's Accept-Language (RFC 9110
// 12.5.4): the supported language of the highest q (the first listed among equals); q=0 refuses
// one, "*" is English; English when nothing supported is accepted or the header is absent.
std::string accepted_mail_language(std::string_view accept_language);
// The catalogue's raw JSON (for the completeness test's counterpart in the server).
std::string_view mail_catalogue_source(std::string_view lang);

// `key`'s text as HTML: the catalogue's words escaped, then {placeholders} filled with `args`,
// which are HTML already (escape names with html_escape; a link is an <a> element).
std::string mail_html(const core::Text& t, std::string_view key, core::TextArgs args = {});

}  // namespace continuata::server
