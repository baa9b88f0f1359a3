// Group commit: every committed write waits for a flush of the WAL that began after it, and
// writers committing at the same time share flushes.
#include <doctest/doctest.h>

#include <filesystem>
#include <random>
#include <thread>
#include <vector>

#include "server/store_sqlite.hpp"

namespace srv = continuata::server;
namespace fs = std::filesystem;

TEST_CASE("group commit: each commit is flushed, concurrent commits share flushes") {
  auto dir = fs::temp_directory_path() / ("continuata-db-" + std::to_string(std::random_device{}()));
  fs::create_directories(dir);
  {
    srv::Database db((dir / "t.db").string());
    db.connection().exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
    uint64_t before = db.durability().flushes();
    {
      srv::Db& c = db.connection();
      srv::Transaction tx(c);
      c.prepare("INSERT INTO t (v) VALUES (?)").bind(1, "one").run();
      tx.commit();
    }
    CHECK(db.durability().flushes() == before + 1);  // one commit, one flush before commit() returned
    db.connection().prepare("INSERT INTO t (v) VALUES ('autocommit')").run();
    CHECK(db.durability().flushes() == before + 2);  // a write outside a transaction waits too
    db.connection().prepare("SELECT count(*) FROM t").run();
    CHECK(db.durability().flushes() == before + 2);  // reads never flush
    const int threads = 8, commits = 40;
    uint64_t start = db.durability().flushes();
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t)
      workers.emplace_back([&] {
        for (int i = 0; i < commits; ++i) {
          srv::Db& c = db.connection();
          srv::Transaction tx(c);
          c.prepare("INSERT INTO t (v) VALUES ('x')").run();
          tx.commit();
        }
      });
    for (auto& w : workers) w.join();
    auto rows = db.connection().prepare("SELECT count(*) FROM t");
    rows.step();
    CHECK(rows.integer(0) == 2 + threads * commits);
    uint64_t flushes = db.durability().flushes() - start;
    CHECK(flushes >= 1);
    CHECK(flushes < uint64_t(threads * commits));  // shared: fewer flushes than commits
    MESSAGE(threads * commits << " commits, " << flushes << " flushes");
  }
  fs::remove_all(dir);
}
