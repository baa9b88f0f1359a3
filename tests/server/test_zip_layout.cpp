// zip_layout and body_source without HTTP: the archive's structure field by field (APPNOTE
// 4.3), ZIP64 fields exactly where a value needs them and nowhere else, name rules, stable
// bytes, and reading any offset of an archive whose files are on disk; a small archive is also
// checked by Python's zipfile, which no one here wrote.
#include <doctest/doctest.h>
#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>

#include "server/body_source.hpp"
#include "server/zip_layout.hpp"

namespace srv = continuata::server;
namespace fs = std::filesystem;

namespace {

uint64_t le(const std::string& s, size_t at, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | uint8_t(s.at(at + size_t(i)));
  return v;
}

uint32_t crc_of(const std::string& s) {
  return uint32_t(crc32(0, reinterpret_cast<const Bytef*>(s.data()), uInt(s.size())));
}

// The whole archive, file pieces filled from `contents`.
std::string materialize(const srv::ZipLayout& layout, const std::vector<std::string>& contents) {
  std::string out;
  for (const auto& p : layout.pieces) out += p.literal.empty() ? contents.at(p.entry) : p.literal;
  return out;
}

constexpr uint64_t kGiB = 1ULL << 30;

}  // namespace

TEST_CASE("zip layout: a small archive is exact, classic only, and Python's zipfile reads it") {
  std::vector<std::string> contents = {"hello, world\n", "", std::string(70000, 'x')};
  std::vector<srv::ZipEntry> entries = {
      {"Ελληνικά/readme.txt", contents[0].size(), crc_of(contents[0]), 1790000000000},
      {"Кириллица/empty file", 0, crc_of(contents[1]), 1790000000000},
      {"with space/big.bin", contents[2].size(), crc_of(contents[2]), 1790000001000}};
  srv::ZipLayout layout = srv::zip_layout(entries);
  std::string bytes = materialize(layout, contents);
  CHECK(bytes.size() == layout.total);
  uint64_t at = 0;
  for (const auto& p : layout.pieces) {
    CHECK(p.start == at);  // contiguous, none empty
    CHECK(p.size() > 0);
    at += p.size();
  }
  CHECK(srv::zip_layout(entries).pieces.size() == layout.pieces.size());  // the same bytes again
  CHECK(materialize(srv::zip_layout(entries), contents) == bytes);
  // The first local header: signature, version 1.0, UTF-8 flag, stored, CRC and sizes, no extra.
  CHECK(le(bytes, 0, 4) == 0x04034b50);
  CHECK(le(bytes, 4, 2) == 10);
  CHECK(le(bytes, 6, 2) == 0x0800);
  CHECK(le(bytes, 8, 2) == 0);
  CHECK(le(bytes, 14, 4) == crc_of(contents[0]));
  CHECK(le(bytes, 18, 4) == contents[0].size());
  CHECK(le(bytes, 22, 4) == contents[0].size());
  CHECK(le(bytes, 28, 2) == 0);
  CHECK(bytes.find("PK\x06\x06") == std::string::npos);  // no ZIP64 end record
  CHECK(bytes.find("PK\x06\x07") == std::string::npos);
  // The end record names the central directory and three entries.
  size_t eocd = bytes.size() - 22;
  CHECK(le(bytes, eocd, 4) == 0x06054b50);
  CHECK(le(bytes, eocd + 10, 2) == 3);
  size_t cd = size_t(le(bytes, eocd + 16, 4));
  CHECK(le(bytes, cd, 4) == 0x02014b50);
  CHECK(le(bytes, eocd + 12, 4) == eocd - cd);
  // 2026-09-21 14:13:20 UTC as MS-DOS time and date.
  CHECK(le(bytes, 10, 2) == ((14 << 11) | (13 << 5) | 10));
  CHECK(le(bytes, 12, 2) == (((2026 - 1980) << 9) | (9 << 5) | 21));

  fs::path file =
      fs::temp_directory_path() / ("zip-layout-" + std::to_string(std::random_device{}()) + ".zip");
  std::ofstream(file, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
  std::string cmd =
      "/usr/bin/python3 -c \"import sys, zipfile, zlib\n"
      "z = zipfile.ZipFile(sys.argv[1])\n"
      "assert z.testzip() is None\n"
      "names = z.namelist()\n"
      "assert names == ['Ελληνικά/readme.txt', 'Кириллица/empty file', 'with space/big.bin'], names\n"
      "assert z.read(names[0]) == b'hello, world\\\\n'\n"
      "assert all(i.compress_type == 0 and i.flag_bits & 0x800 for i in z.infolist())\n"
      "\" " +
      file.string();
  CHECK(std::system(cmd.c_str()) == 0);
  fs::remove(file);
}

TEST_CASE("zip layout: ZIP64 only where a size, an offset or the count needs it") {
  // A 5 GiB entry, then a small one whose offset is past 4 GiB.
  std::vector<srv::ZipEntry> entries = {{"big.bin", 5 * kGiB, 0x12345678, 0},
                                        {"after.txt", 3, 0xabcdef01, 0}};
  srv::ZipLayout layout = srv::zip_layout(entries);
  const std::string& local0 = layout.pieces[0].literal;
  CHECK(le(local0, 4, 2) == 45);
  CHECK(le(local0, 18, 4) == 0xFFFFFFFF);
  CHECK(le(local0, 22, 4) == 0xFFFFFFFF);
  CHECK(le(local0, 28, 2) == 20);
  CHECK(le(local0, 30 + 7, 2) == 0x0001);
  CHECK(le(local0, 30 + 7 + 2, 2) == 16);
  CHECK(le(local0, 30 + 7 + 4, 8) == 5 * kGiB);
  CHECK(le(local0, 30 + 7 + 12, 8) == 5 * kGiB);
  CHECK(layout.pieces[1].length == 5 * kGiB);
  const std::string& local1 = layout.pieces[2].literal;  // its own sizes fit: no extra field
  CHECK(le(local1, 18, 4) == 3);
  CHECK(le(local1, 28, 2) == 0);
  const uint64_t offset1 = layout.pieces[2].start;
  CHECK(offset1 > 0xFFFFFFFFu);
  // The central directory, then the end records.
  REQUIRE(layout.pieces.size() == 6);
  const srv::ZipPiece& cd_piece = layout.pieces[4];
  const std::string tail = cd_piece.literal + layout.pieces[5].literal;
  CHECK(le(tail, 0, 4) == 0x02014b50);
  CHECK(le(tail, 30, 2) == 4 + 16);  // entry 0: both sizes, its offset 0 fits
  CHECK(le(tail, 42, 4) == 0);
  size_t c1 = 46 + 7 + 20;
  CHECK(le(tail, c1, 4) == 0x02014b50);
  CHECK(le(tail, c1 + 20, 4) == 3);           // sizes fit
  CHECK(le(tail, c1 + 30, 2) == 4 + 8);       // only the offset
  CHECK(le(tail, c1 + 42, 4) == 0xFFFFFFFF);  // in the extra field
  CHECK(le(tail, c1 + 46 + 9 + 4, 8) == offset1);
  // The central directory starts past 4 GiB: ZIP64 end record and locator, then the classic one.
  size_t z64 = c1 + 46 + 9 + 12;
  CHECK(le(tail, z64, 4) == 0x06064b50);
  CHECK(le(tail, z64 + 32, 8) == 2);
  CHECK(le(tail, z64 + 40, 8) == z64);             // the central directory's size
  CHECK(le(tail, z64 + 48, 8) == cd_piece.start);  // and offset
  CHECK(le(tail, z64 + 56, 4) == 0x07064b50);
  CHECK(le(tail, z64 + 64, 8) == cd_piece.start + z64);
  size_t eocd = z64 + 56 + 20;
  CHECK(le(tail, eocd, 4) == 0x06054b50);
  CHECK(le(tail, eocd + 10, 2) == 2);
  CHECK(le(tail, eocd + 16, 4) == 0xFFFFFFFF);
  CHECK(layout.total == cd_piece.start + tail.size());
  CHECK(layout.total == 5 * kGiB + 3 + 30 + 7 + 20 + 30 + 9 + tail.size());
  CHECK(tail.size() == eocd + 22);
}

TEST_CASE("zip layout: 65535 entries need the ZIP64 end record, 65534 do not") {
  for (size_t count : {size_t(65534), size_t(65535)}) {
    std::vector<srv::ZipEntry> entries;
    for (size_t i = 0; i < count; ++i) entries.push_back({"f" + std::to_string(i), 0, 0, 0});
    srv::ZipLayout layout = srv::zip_layout(entries);
    const std::string& tail = layout.pieces.back().literal;
    bool zip64 = tail.find("PK\x06\x06") != std::string::npos;
    CHECK(zip64 == (count == 65535));
    CHECK(le(tail, tail.size() - 22 + 10, 2) == std::min<size_t>(count, 0xFFFF));
  }
}

TEST_CASE("zip layout: names that could escape the folder or confuse an unzipper are refused") {
  for (const char* bad : {"", "/etc/passwd", "../up", "a/../b", "a//b", "a/", "./a", "C:evil", "a\\b",
                          "tab\there", "\xff\xfe"}) {
    CAPTURE(bad);
    CHECK(!srv::zip_name_error(bad).empty());
    CHECK_THROWS_AS(srv::zip_layout({{bad, 0, 0, 0}}), std::invalid_argument);
  }
  CHECK(srv::zip_name_error("Epic Drum Kit/Ελληνικά и кириллица.wav").empty());
  CHECK_THROWS_AS(srv::zip_layout({{"a", 0, 0, 0}, {"a", 0, 0, 0}}), std::invalid_argument);
}

TEST_CASE("zip source: every offset reads the archive's bytes, opening files as reads reach them") {
  fs::path dir = fs::temp_directory_path() / ("zip-source-" + std::to_string(std::random_device{}()));
  fs::create_directories(dir);
  std::vector<std::string> contents = {std::string(300000, 'a'), "bb", std::string(5000, 'c')};
  std::vector<srv::ZipEntry> entries;
  std::vector<fs::path> files;
  for (size_t i = 0; i < contents.size(); ++i) {
    files.push_back(dir / std::to_string(i));
    std::ofstream(files.back(), std::ios::binary)
        .write(contents[i].data(), std::streamsize(contents[i].size()));
    entries.push_back({"dir/" + std::to_string(i), contents[i].size(), crc_of(contents[i]), 0});
  }
  srv::ZipLayout layout = srv::zip_layout(entries);
  std::string want = materialize(layout, contents);
  srv::ZipSource source(layout, files);
  CHECK(source.size() == want.size());
  std::string got;
  char buf[7919];  // a prime: reads straddle every piece boundary somewhere
  while (got.size() < want.size()) {
    size_t n = source.read(got.size(), buf, sizeof buf);
    REQUIRE(n > 0);
    got.append(buf, n);
  }
  CHECK(got == want);
  CHECK(source.read(want.size(), buf, sizeof buf) == 0);
  // Backwards, as parallel ranges arrive.
  for (uint64_t at : {uint64_t(want.size() - 30), uint64_t(200000), uint64_t(3)}) {
    size_t n = source.read(at, buf, 10);
    REQUIRE(n > 0);
    CHECK(std::string(buf, n) == want.substr(at, n));
  }
  fs::remove(files[1]);  // a missing file ends the body instead of sending wrong bytes
  srv::ZipSource broken(layout, files);
  CHECK(broken.read(layout.pieces[3].start, buf, 1) == 0);
  fs::remove_all(dir);
}
