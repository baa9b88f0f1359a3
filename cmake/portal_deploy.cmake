# Makes the deployable portal folder (run by the web build: cmake -P, see src/platform):
#  - portal.wasm, portal.js, portal-a11y.js, portal-boot.js and the first screen's font under
#    content-hashed names (portal.3f9c01a2b4.wasm): a browser may keep them for a year without
#    asking, and a new build is new names. portal.js is told the wasm's name before it is hashed;
#  - index.html from shell.html (its comments out), pointing at those names, with web/portal.css
#    (comments out, the font's hashed name in) inline as its one <style>: the first screen paints from the first
#    response instead of after a second round trip for a stylesheet. continuata-embed.js and
#    portal.config.json keep their names (the page and the loader are what sellers link to);
#  - CSP (a file beside the folder, build/web/portal-csp.txt): the Content-Security-Policy a host
#    should send with it, allowing that <style> by its 'sha256-...' and nothing else inline, and
#    the API's origin from portal.config.json in connect-src;
#  - continuata-embed.js with the page options of assets/page_options.json put in;
#  - files of earlier builds removed;
#  - a brotli (-q 11) and a gzip (-9) copy of every file, for servers that send precompressed
#    files (continuata-server, nginx's brotli_static/gzip_static).
# Inputs: MODULE_DIR (emcc's portal.js/.wasm), SOURCE_DIR, GEN (generated files), OUT, CSP, STAMP.
cmake_minimum_required(VERSION 3.22)

find_program(BROTLI brotli REQUIRED)
find_program(GZIP gzip REQUIRED)

function(content_hash path out)
  file(SHA256 "${path}" h)
  string(SUBSTRING "${h}" 0 10 h)
  set(${out} "${h}" PARENT_SCOPE)
endfunction()

# Replaces every "from" (quoted, as it stands in an attribute or a string) with "to" in text,
# failing the build when it is not there: a renamed file must not leave a dangling reference.
function(replace_ref var from to what)
  string(FIND "${${var}}" "\"${from}\"" at)
  if(at LESS 0)
    message(FATAL_ERROR "portal deploy: ${what} does not refer to \"${from}\"")
  endif()
  string(REPLACE "\"${from}\"" "\"${to}\"" text "${${var}}")
  set(${var} "${text}" PARENT_SCOPE)
endfunction()

include("${SOURCE_DIR}/cmake/write_if_changed.cmake")

# Base64 (RFC 4648, padded) of a hex string, as CSP hash sources want the digest:
# 6 hex digits (24 bits) make 4 characters; a last 2 or 4 digits make 2 or 3 and padding.
function(hex_to_base64 hex out)
  set(alphabet "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
  string(LENGTH "${hex}" n)
  set(result "")
  set(i 0)
  while(i LESS n)
    math(EXPR left "${n} - ${i}")
    set(take 6)
    if(left LESS 6)
      set(take ${left})
    endif()
    string(SUBSTRING "${hex}" ${i} ${take} chunk)
    math(EXPR shift "(6 - ${take}) * 4")
    math(EXPR v "0x${chunk} << ${shift}")
    math(EXPR chars "${take} / 2 + 1")  # 3 bytes -> 4 characters, 2 -> 3, 1 -> 2
    foreach(k 0 1 2 3)
      if(k LESS chars)
        math(EXPR c "(${v} >> (18 - 6 * ${k})) & 63")
        string(SUBSTRING "${alphabet}" ${c} 1 ch)
        string(APPEND result "${ch}")
      else()
        string(APPEND result "=")
      endif()
    endforeach()
    math(EXPR i "${i} + ${take}")
  endwhile()
  set(${out} "${result}" PARENT_SCOPE)
endfunction()

file(MAKE_DIRECTORY "${OUT}")
set(keep index.html portal.config.json continuata-embed.js)

# Binary files are copied as they are; text files go through CMake strings (UTF-8 text only).
function(deploy_hashed src stem ext out_name)
  content_hash("${src}" h)
  set(name "${stem}.${h}.${ext}")
  if(NOT EXISTS "${OUT}/${name}")
    file(COPY_FILE "${src}" "${OUT}/${name}")
  endif()
  set(${out_name} "${name}" PARENT_SCOPE)
endfunction()

deploy_hashed("${MODULE_DIR}/portal.wasm" portal wasm wasm_name)
deploy_hashed("${GEN}/portal-first.woff2" portal-first woff2 font_name)
list(APPEND keep ${wasm_name} ${font_name})

# portal.js names its wasm.
file(READ "${MODULE_DIR}/portal.js" js)
replace_ref(js portal.wasm ${wasm_name} portal.js)
continuata_write_if_changed("${GEN}/portal.deploy.js" "${js}")
deploy_hashed("${GEN}/portal.deploy.js" portal js js_name)

deploy_hashed("${SOURCE_DIR}/web/portal-a11y.js" portal-a11y js a11y_name)
deploy_hashed("${SOURCE_DIR}/web/portal-boot.js" portal-boot js boot_name)
list(APPEND keep ${js_name} ${a11y_name} ${boot_name})

# The style sheet, to go inline: the font's hashed name in, comments, carriage returns, blank
# lines and indentation out (the browser hashes the <style>'s text exactly as it stands).
# assets/theme.json's colours go first, as the CSS variables the sheet uses.
include("${SOURCE_DIR}/cmake/theme.cmake")
theme_css("${SOURCE_DIR}/assets/theme.json" theme_vars)
file(READ "${SOURCE_DIR}/web/portal.css" css)
string(PREPEND css "${theme_vars}")
replace_ref(css portal-first.woff2 ${font_name} portal.css)
string(REPLACE "\r" "" css "${css}")
set(stripped "")
while(TRUE)
  string(FIND "${css}" "/*" open)
  if(open LESS 0)
    break()
  endif()
  string(SUBSTRING "${css}" 0 ${open} before)
  string(APPEND stripped "${before}")
  string(SUBSTRING "${css}" ${open} -1 css)
  string(FIND "${css}" "*/" close)
  if(close LESS 0)
    message(FATAL_ERROR "portal deploy: unterminated comment in portal.css")
  endif()
  math(EXPR close "${close} + 2")
  string(SUBSTRING "${css}" ${close} -1 css)
endwhile()
string(APPEND stripped "${css}")
string(REGEX REPLACE "\n[ \t]+" "\n" css "${stripped}")
string(REGEX REPLACE "\n\n+" "\n" css "${css}")
string(STRIP "${css}" css)
if(css MATCHES "</")
  message(FATAL_ERROR "portal deploy: portal.css must not contain \"</\" (it goes inside <style>)")
endif()
string(SHA256 css_sha "${css}")
hex_to_base64(${css_sha} css_hash)

file(READ "${SOURCE_DIR}/shell.html" html)
# shell.html's comments are for its readers, not for every visitor's first response.
while(TRUE)
  string(FIND "${html}" "<!--" open)
  if(open LESS 0)
    break()
  endif()
  string(SUBSTRING "${html}" ${open} -1 rest)
  string(FIND "${rest}" "-->" close)
  if(close LESS 0)
    message(FATAL_ERROR "portal deploy: unterminated comment in shell.html")
  endif()
  string(SUBSTRING "${html}" 0 ${open} before)
  math(EXPR close "${close} + 3")
  string(SUBSTRING "${rest}" ${close} -1 rest)
  string(REGEX REPLACE "^[ \t]*\n" "" rest "${rest}")
  string(REGEX REPLACE "[ \t]+$" "" before "${before}")
  set(html "${before}${rest}")
endwhile()
set(link "<link rel=\"stylesheet\" href=\"portal.css\">")
string(FIND "${html}" "${link}" at)
if(at LESS 0)
  message(FATAL_ERROR "portal deploy: shell.html has no ${link} to put the style sheet in place of")
endif()
string(REPLACE "${link}" "<style>${css}</style>" html "${html}")
foreach(pair "portal.wasm=${wasm_name}"
             "portal-a11y.js=${a11y_name}" "portal.js=${js_name}" "portal-boot.js=${boot_name}")
  string(REPLACE "=" ";" pair "${pair}")
  list(GET pair 0 from)
  list(GET pair 1 to)
  replace_ref(html ${from} ${to} shell.html)
endforeach()
continuata_write_if_changed("${OUT}/index.html" "${html}")

# The policy for hosts to send (README: "Deploy to a static host"). connect-src: the page's own
# origin and, when portal.config.json names an API elsewhere, that API's origin.
set(api "")
if(EXISTS "${OUT}/portal.config.json")
  file(READ "${OUT}/portal.config.json" config)
  string(JSON api ERROR_VARIABLE json_error GET "${config}" api)
  if(json_error)
    set(api "")
  endif()
endif()
set(connect "'self'")
if(api MATCHES "^([a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]+)")
  string(APPEND connect " ${CMAKE_MATCH_1}")
endif()
continuata_write_if_changed("${CSP}" "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'sha256-${css_hash}'; img-src 'self' data:; font-src 'self'; connect-src ${connect}; base-uri 'none'; form-action 'none'\n")
# The embed loader passes on each page option (assets/page_options.json) set on its element.
include("${SOURCE_DIR}/cmake/page_options.cmake")
continuata_page_options_js_array(page_options)
file(READ "${SOURCE_DIR}/web/continuata-embed.js" embed)
set(placeholder "[/* page options */]")
string(FIND "${embed}" "${placeholder}" at)
if(at LESS 0)
  message(FATAL_ERROR "portal deploy: continuata-embed.js has no ${placeholder} to put the page options in")
endif()
string(REPLACE "${placeholder}" "${page_options}" embed "${embed}")
continuata_write_if_changed("${OUT}/continuata-embed.js" "${embed}")

# Whatever else is in the folder is from an earlier build (old hashes, the unhashed names).
file(GLOB present RELATIVE "${OUT}" "${OUT}/*")
foreach(f ${present})
  string(REGEX REPLACE "\\.(br|gz)$" "" base "${f}")
  list(FIND keep "${base}" k)
  if(k LESS 0)
    file(REMOVE "${OUT}/${f}")
  endif()
endforeach()

# Precompressed copies. Hashed files never change, so an existing copy is kept; the others are
# made again whenever they are newer than their copy (portal.config.json edited by hand, say).
foreach(f ${keep})
  set(src "${OUT}/${f}")
  string(REGEX MATCH "\\.[0-9a-f]+\\.[a-z0-9]+$" hashed "${f}")
  foreach(kind br gz)
    set(copy "${src}.${kind}")
    # (IS_NEWER_THAN is also true for equal times; -n: the copy gets its own time, not the file's.)
    if(EXISTS "${copy}" AND (hashed OR NOT "${src}" IS_NEWER_THAN "${copy}"))
      continue()
    endif()
    if(kind STREQUAL "br")
      execute_process(COMMAND "${BROTLI}" -q 11 -n -f -o "${copy}" "${src}" RESULT_VARIABLE rc)
    else()
      execute_process(COMMAND "${GZIP}" -9 -n -c "${src}" OUTPUT_FILE "${copy}" RESULT_VARIABLE rc)
    endif()
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "portal deploy: ${kind} of ${f} failed")
    endif()
    file(CHMOD "${copy}" PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)  # brotli -n makes 0600
  endforeach()
endforeach()
file(TOUCH "${STAMP}")
