# The portal's page options (api, org, lang, theme, ...) come from one list,
# assets/page_options.json; this file is the one reader of it, for the configure step
# (src/portal writes the C++ header, src/platform portal.config.json) and for
# cmake/portal_deploy.cmake (the embed loader's list), which includes it in script mode.
set(CONTINUATA_PAGE_OPTIONS_FILE "${CMAKE_CURRENT_LIST_DIR}/../assets/page_options.json")
get_filename_component(CONTINUATA_PAGE_OPTIONS_FILE "${CONTINUATA_PAGE_OPTIONS_FILE}" ABSOLUTE)

# Sets <prefix>_KEYS to the keys in order, and <prefix>_<key>_DOC and <prefix>_<key>_CACHE.
function(continuata_read_page_options prefix)
  file(READ "${CONTINUATA_PAGE_OPTIONS_FILE}" text)
  string(JSON n ERROR_VARIABLE error LENGTH "${text}" options)
  if(error)
    message(FATAL_ERROR "${CONTINUATA_PAGE_OPTIONS_FILE}: ${error}")
  endif()
  set(keys "")
  math(EXPR last "${n} - 1")
  foreach(i RANGE ${last})
    string(JSON key GET "${text}" options ${i} key)
    if(NOT key MATCHES "^[a-z][a-z0-9_]*$")
      message(FATAL_ERROR "${CONTINUATA_PAGE_OPTIONS_FILE}: option key \"${key}\" must be lower-case letters, digits, _")
    endif()
    string(JSON doc ERROR_VARIABLE no_doc GET "${text}" options ${i} doc)
    string(JSON cache ERROR_VARIABLE no_cache GET "${text}" options ${i} cache)
    if(no_doc)
      set(doc "")
    endif()
    if(no_cache)
      set(cache "")
    endif()
    list(APPEND keys "${key}")
    set(${prefix}_${key}_DOC "${doc}" PARENT_SCOPE)
    set(${prefix}_${key}_CACHE "${cache}" PARENT_SCOPE)
  endforeach()
  set(${prefix}_KEYS "${keys}" PARENT_SCOPE)
endfunction()

include("${CMAKE_CURRENT_LIST_DIR}/write_if_changed.cmake")

# The C++ side: struct PageOptions with one std::string per option, and kPageOptions, the
# key -> member table the platform fills it through.
function(continuata_write_page_options_header path)
  continuata_read_page_options(opt)
  set(members "")
  set(table "")
  foreach(key ${opt_KEYS})
    string(APPEND members "  std::string ${key};  // ${opt_${key}_DOC}\n")
    string(APPEND table "    {\"${key}\", &PageOptions::${key}},\n")
  endforeach()
  list(LENGTH opt_KEYS n)
  continuata_write_if_changed("${path}"
"// Generated from assets/page_options.json by cmake/page_options.cmake; do not edit.
// The page's options, each as the page gave it (empty when not set).
#pragma once
#include <string>

namespace continuata::portal {

struct PageOptions {
${members}};

struct PageOptionField {
  const char* key;                 // as in portal.config.json, data-<key>, ?<key>=
  std::string PageOptions::*field;
};
inline constexpr PageOptionField kPageOptions[${n}] = {
${table}};

}  // namespace continuata::portal
")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${CONTINUATA_PAGE_OPTIONS_FILE}")
endfunction()

# portal.config.json: every option, empty unless its CMake cache variable sets it.
function(continuata_page_options_config_json out)
  continuata_read_page_options(opt)
  set(lines "")
  foreach(key ${opt_KEYS})
    set(value "")
    if(opt_${key}_CACHE)
      set(value "${${opt_${key}_CACHE}}")
    endif()
    string(REPLACE "\\" "\\\\" value "${value}")
    string(REPLACE "\"" "\\\"" value "${value}")
    list(APPEND lines "  \"${key}\": \"${value}\"")
  endforeach()
  list(JOIN lines ",\n" body)
  set(${out} "{\n${body}\n}\n" PARENT_SCOPE)
endfunction()

# The embed loader's list, as a JavaScript array literal: ['api', 'org', ...].
function(continuata_page_options_js_array out)
  continuata_read_page_options(opt)
  list(TRANSFORM opt_KEYS PREPEND "'")
  list(TRANSFORM opt_KEYS APPEND "'")
  list(JOIN opt_KEYS ", " joined)
  set(${out} "[${joined}]" PARENT_SCOPE)
endfunction()
