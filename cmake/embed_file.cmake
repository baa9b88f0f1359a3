# cmake -DIN=file -DOUT=file.cpp -DNAME=kSymbol -P embed_file.cmake
# Writes a C++ source defining `extern const unsigned char NAME[]` and `NAME##Size` with IN's bytes.
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR size "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
file(WRITE "${OUT}" "// Generated from ${IN} by cmake/embed_file.cmake; do not edit.\n"
  "extern const unsigned char ${NAME}[] = {\n${bytes}};\n"
  "extern const unsigned int ${NAME}Size = ${size};\n")
