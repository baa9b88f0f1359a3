# cmake -DSTAMP=file -P portal_layering.cmake file...
# Fails when one of the given files (src/portal's) includes a header of src/platform: the portal
# may use the core and ImGui only, whatever the include path would allow. Run by the build
# (src/portal/CMakeLists.txt) whenever one of them changes.
math(EXPR last "${CMAKE_ARGC} - 1")
set(found "")
foreach(i RANGE ${last})
  set(f "${CMAKE_ARGV${i}}")
  if(f MATCHES "\\.(hpp|cpp)$" AND EXISTS "${f}")
    file(STRINGS "${f}" bad REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<]platform/")
    if(bad)
      string(APPEND found "\n  ${f}: ${bad}")
    endif()
  endif()
endforeach()
if(found)
  message(FATAL_ERROR "src/portal must not include src/platform (portal -> core only):${found}")
endif()
file(TOUCH "${STAMP}")
