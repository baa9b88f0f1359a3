// SQLite RAII wrappers: statements, connections, transactions, per-thread connections.
#include "server/store_db.hpp"

#include <map>

#include "server/store_migrations.hpp"

namespace continuata::server {
namespace {

[[noreturn]] void fail(sqlite3* db, std::string_view what) {
  throw DbError(std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, sql.data(), int(sql.size()), &s, nullptr) != SQLITE_OK) fail(db, "prepare");
  stmt_.reset(s);
}

Statement& Statement::bind(int i, std::string_view text) {
  if (sqlite3_bind_text(stmt_.get(), i, text.data(), int(text.size()), SQLITE_TRANSIENT) != SQLITE_OK)
    fail(db_, "bind");
  return *this;
}
Statement& Statement::bind(int i, int64_t v) {
  if (sqlite3_bind_int64(stmt_.get(), i, v) != SQLITE_OK) fail(db_, "bind");
  return *this;
}
Statement& Statement::bind(int i, double v) {
  if (sqlite3_bind_double(stmt_.get(), i, v) != SQLITE_OK) fail(db_, "bind");
  return *this;
}
Statement& Statement::bind_null(int i) {
  if (sqlite3_bind_null(stmt_.get(), i) != SQLITE_OK) fail(db_, "bind");
  return *this;
}
Statement& Statement::bind(int i, const std::optional<std::string>& text) {
  return text ? bind(i, std::string_view(*text)) : bind_null(i);
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_, "step");
}
void Statement::run() {
  while (step()) {
  }
}
void Statement::reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
}

bool Statement::is_null(int c) const { return sqlite3_column_type(stmt_.get(), c) == SQLITE_NULL; }
std::string Statement::text(int c) const {
  auto p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_.get(), c));
  return p ? std::string(p, size_t(sqlite3_column_bytes(stmt_.get(), c))) : std::string();
}
std::optional<std::string> Statement::optional_text(int c) const {
  if (is_null(c)) return std::nullopt;
  return text(c);
}
int64_t Statement::integer(int c) const { return sqlite3_column_int64(stmt_.get(), c); }
double Statement::real(int c) const { return sqlite3_column_double(stmt_.get(), c); }

Db::Db(const std::string& path, std::mutex& write_mutex) : write_mutex_(&write_mutex) {
  sqlite3* d = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &d, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  db_.reset(d);
  if (rc != SQLITE_OK) fail(d, "open " + path);
  sqlite3_busy_timeout(d, 5000);
  exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
}

void Db::exec(std::string_view sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_.get(), std::string(sql).c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown";
    sqlite3_free(err);
    throw DbError("exec: " + msg);
  }
}

Transaction::Transaction(Db& db) : lock_(db.write_mutex()), db_(db) { db_.exec("BEGIN IMMEDIATE"); }
Transaction::~Transaction() {
  if (!done_) {
    try {
      db_.exec("ROLLBACK");
    } catch (...) {
    }
  }
}
void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

Database::Database(std::string path) : path_(std::move(path)) { apply_migrations(connection()); }

Db& Database::connection() {
  // Keyed by database path so tests running several servers in one process stay apart.
  thread_local std::map<std::string, std::unique_ptr<Db>> connections;
  auto& slot = connections[path_];
  if (!slot) slot = std::make_unique<Db>(path_, write_mutex_);
  return *slot;
}

}  // namespace continuata::server
