# Sanitizer and fuzzing builds of the native tree, off by default (scripts/test and scripts/fuzz
# turn them on in their own build folders):
#   -DCONTINUATA_SANITIZE=ON  everything (core, server, tests) with ASan + UBSan, any UB fatal;
#                             build/asan, the same ctest suite (gcc or clang)
#   -DCONTINUATA_FUZZ=ON      clang only: everything instrumented for libFuzzer + ASan + UBSan,
#                             plus the fuzz targets of tests/fuzz; build/fuzz
# Flags are set for the whole tree (add_compile_options) so that code inlined from headers and
# the static libraries the targets link are instrumented alike.
option(CONTINUATA_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(CONTINUATA_FUZZ "Build the libFuzzer targets (clang; implies ASan + UBSan)" OFF)

set(continuata_sanitizer_flags -fsanitize=address,undefined -fno-sanitize-recover=undefined
    -fno-omit-frame-pointer)

if(CONTINUATA_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "CONTINUATA_FUZZ needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++-14")
  endif()
  # fuzzer-no-link: coverage instrumentation everywhere; only the fuzz targets link libFuzzer's main.
  add_compile_options(${continuata_sanitizer_flags} -fsanitize=fuzzer-no-link)
  add_link_options(-fsanitize=address,undefined)
elseif(CONTINUATA_SANITIZE)
  add_compile_options(${continuata_sanitizer_flags})
  add_link_options(-fsanitize=address,undefined)
endif()
