// An upgrade keeps what an older server stored. A store at migration 103 (before ZIPs, refunds,
// licence keys, release notes, update mail and linked addresses) holding an org, a product whose
// active version has a stored file, and a purchase, is opened by today's server: every migration
// since applies, the rows read back as they were with the new columns neutral, the file gets its
// CRC-32 at start-up, and it downloads alone and as a ZIP. On SQLite, and on PostgreSQL in the
// suite's PostgreSQL run (a schema of its own).
#include <doctest/doctest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "server/crypto_util.hpp"
#include "server/server_fixture.hpp"
#include "server/service_auth.hpp"
#include "server/store_migrations.hpp"
#include "server/store_postgres.hpp"
#include "server/store_sqlite.hpp"

namespace srv = continuata::server;
namespace fs = std::filesystem;
using continuata::testing::TestServer;
using nlohmann::json;

namespace {

// What a server at migration 103 wrote: one org, product, ready version with one file, purchase.
void write_old_rows(srv::Db& db, const std::string& bytes) {
  srv::apply_migrations(db, 103);
  db.exec(
      "INSERT INTO orgs (id, name, created_at) VALUES ('old-org', 'Old Org', 1000);"
      "INSERT INTO products (org_id, id, name, slug, status, active_version_id, created_at, updated_at)"
      " VALUES ('old-org', 'kit', 'Old Kit', 'kit', 'published', 'version_old', 1000, 1000);"
      "INSERT INTO versions (id, org_id, product_id, version, status, created_at)"
      " VALUES ('version_old', 'old-org', 'kit', '1.0.0', 'ready', 1000);");
  db.prepare(
        "INSERT INTO files (version_id, path, storage_name, size, sha256, created_at)"
        " VALUES ('version_old', 'Kit/Read me.txt', 'stored-1', ?, ?, 1000)")
      .bind(1, int64_t(bytes.size()))
      .bind(2, srv::sha256_hex(bytes))
      .run();
  db.exec(
      "INSERT INTO purchases (org_id, order_id, email, email_normalized, product_id, version, created_at)"
      " VALUES ('old-org', 'order-1', 'Buyer@Example.com', 'buyer@example.com', 'kit', NULL, 2000);");
}

}  // namespace

TEST_CASE("migrations: a store from before 104 upgrades with its rows, files and downloads intact") {
  auto dir = fs::temp_directory_path() / ("continuata-upgrade-" + std::to_string(std::random_device{}()));
  fs::create_directories(dir / "files" / "version_old");
  const std::string bytes = "bytes stored before CRC-32s were kept";
  std::ofstream(dir / "files" / "version_old" / "stored-1", std::ios::binary) << bytes;

  srv::ServerConfig cfg;
  cfg.data_dir = dir.string();
  std::string schema;
  const char* pg = std::getenv("CONTINUATA_TEST_DATABASE");
  if (pg && *pg) {
    schema = "upgrade_" + std::to_string(std::random_device{}());
    TestServer::postgres(pg, "CREATE SCHEMA " + schema);
    cfg.database = TestServer::with_schema(pg, schema);
    srv::PgDb db(cfg.database);
    write_old_rows(db, bytes);
  } else {
    cfg.database = (dir / "continuata.db").string();
    srv::FifoMutex writers;
    srv::DurabilityBarrier durability(cfg.database + "-wal");
    srv::SqliteDb db(cfg.database, writers, durability);
    write_old_rows(db, bytes);
  }

  {
    TestServer server(cfg);  // applies 104 and on, then computes the missing CRC-32 before serving
    auto& ctx = server.app().context();
    httplib::Headers admin = {
        {"Authorization", "Bearer " + srv::create_api_key(ctx, "old-org", srv::Role::Admin)}};
    auto c = server.client();

    auto listed = c.Get("/api/purchases?email=buyer@example.com", admin);
    REQUIRE(listed);
    REQUIRE(listed->status == 200);
    json purchases = json::parse(listed->body);
    REQUIRE(purchases.size() == 1);
    CHECK(purchases[0]["orderId"] == "order-1");
    CHECK(purchases[0]["email"] == "Buyer@Example.com");
    CHECK(purchases[0]["productId"] == "kit");
    CHECK(purchases[0]["status"] == "active");  // migration 106: not refunded
    CHECK(purchases[0]["licenseKey"].is_null());

    auto minted =
        c.Post("/api/generate-download-url", admin, json{{"productId", "kit"}}.dump(), "application/json");
    REQUIRE(minted);
    REQUIRE_MESSAGE(minted->status == 200, minted->body);
    std::string url = json::parse(minted->body)["downloadUrl"];
    std::string path = url.substr(url.find("/download"));
    auto file = c.Get(path.c_str());
    REQUIRE(file);
    CHECK(file->status == 200);
    CHECK(file->body == bytes);

    auto zip = c.Get((path + "&format=zip").c_str());
    REQUIRE(zip);
    REQUIRE_MESSAGE(zip->status == 200, zip->body);
    CHECK(zip->get_header_value("Content-Type") == "application/zip");
    // The local header's CRC-32 (offset 14) is the one computed at start-up from the old file.
    REQUIRE(zip->body.size() > 30);
    CHECK(zip->body.compare(0, 4, "PK\x03\x04") == 0);
    uint32_t stored = 0;
    for (int i = 3; i >= 0; --i) stored = stored << 8 | uint8_t(zip->body[14 + i]);
    uLong expected = crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()), uInt(bytes.size()));
    CHECK(stored == uint32_t(expected));
    CHECK(zip->body.find(bytes) != std::string::npos);  // stored, not recompressed
  }
  if (!schema.empty()) TestServer::postgres(pg, "DROP SCHEMA " + schema + " CASCADE");
  fs::remove_all(dir);
}
