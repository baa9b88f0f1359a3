# Makes the deployable portal folder (run by the web build: cmake -P, see src/platform):
#  - portal.wasm, portal.js, portal-a11y.js, portal-boot.js, portal.css and the first screen's
#    font under content-hashed names (portal.3f9c01a2b4.wasm): a browser may keep them for a
#    year without asking, and a new build is new names. portal.js is told the wasm's name and
#    portal.css the font's before they are hashed themselves;
#  - index.html from shell.html, pointing at those names; continuata-embed.js and
#    portal.config.json keep their names (the page and the loader are what sellers link to);
#  - files of earlier builds removed;
#  - a brotli (-q 11) and a gzip (-9) copy of every file, for servers that send precompressed
#    files (continuata-server, nginx's brotli_static/gzip_static).
# Inputs: MODULE_DIR (emcc's portal.js/.wasm), SOURCE_DIR, GEN (generated files), OUT, STAMP.
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

# Writes only when the bytes differ, so an unchanged file keeps its time (and its ETag).
function(write_if_changed path content)
  if(EXISTS "${path}")
    file(READ "${path}" old)
    if(old STREQUAL content)
      return()
    endif()
  endif()
  file(WRITE "${path}" "${content}")
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

# portal.js names its wasm; portal.css names the font.
file(READ "${MODULE_DIR}/portal.js" js)
replace_ref(js portal.wasm ${wasm_name} portal.js)
write_if_changed("${GEN}/portal.deploy.js" "${js}")
deploy_hashed("${GEN}/portal.deploy.js" portal js js_name)

file(READ "${SOURCE_DIR}/web/portal.css" css)
replace_ref(css portal-first.woff2 ${font_name} portal.css)
write_if_changed("${GEN}/portal.deploy.css" "${css}")
deploy_hashed("${GEN}/portal.deploy.css" portal css css_name)

deploy_hashed("${SOURCE_DIR}/web/portal-a11y.js" portal-a11y js a11y_name)
deploy_hashed("${SOURCE_DIR}/web/portal-boot.js" portal-boot js boot_name)
list(APPEND keep ${js_name} ${css_name} ${a11y_name} ${boot_name})

file(READ "${SOURCE_DIR}/shell.html" html)
foreach(pair "portal.css=${css_name}" "portal-first.woff2=${font_name}" "portal.wasm=${wasm_name}"
             "portal-a11y.js=${a11y_name}" "portal.js=${js_name}" "portal-boot.js=${boot_name}")
  string(REPLACE "=" ";" pair "${pair}")
  list(GET pair 0 from)
  list(GET pair 1 to)
  replace_ref(html ${from} ${to} shell.html)
endforeach()
write_if_changed("${OUT}/index.html" "${html}")
file(READ "${SOURCE_DIR}/web/continuata-embed.js" embed)
write_if_changed("${OUT}/continuata-embed.js" "${embed}")

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
