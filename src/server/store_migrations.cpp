// The schema, as a list of numbered migrations. Never edit a migration that has shipped; add one.
#include "server/store_migrations.hpp"

#include <string>
#include <vector>

#include "server/store_db.hpp"

namespace continuata::server {
namespace {

struct Migration {
  int number;
  const char* sql;
};

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> list = {
      {1, R"sql(
        CREATE TABLE orgs (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          created_at INTEGER NOT NULL
        );
      )sql"},
  };
  return list;
}

}  // namespace

void apply_migrations(Db& db) {
  auto current = db.prepare("PRAGMA user_version");
  current.step();
  int version = int(current.integer(0));
  for (const auto& m : migrations()) {
    if (m.number <= version) continue;
    Transaction tx(db);
    db.exec(m.sql);
    db.exec("PRAGMA user_version = " + std::to_string(m.number));
    tx.commit();
  }
}

}  // namespace continuata::server
