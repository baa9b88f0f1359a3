# continuata_write_if_changed(path content): writes only when the bytes differ, so an unchanged
# generated file keeps its time (nothing that includes it rebuilds, a deployed file keeps its ETag).
# Included by the build steps that generate files (theme, page options, deploy).
include_guard(GLOBAL)
function(continuata_write_if_changed path content)
  if(EXISTS "${path}")
    file(READ "${path}" old)
    if(old STREQUAL content)
      return()
    endif()
  endif()
  file(WRITE "${path}" "${content}")
endfunction()
