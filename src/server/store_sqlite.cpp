// SQLite: statements, the connection's pragmas and transactions, group commit.
#include "server/store_sqlite.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

namespace continuata::server {
namespace {

[[noreturn]] void fail(sqlite3* db, std::string_view what) {
  throw DbError(std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

class SqliteStatement final : public StatementImpl {
 public:
  SqliteStatement(sqlite3* db, std::string_view sql, DurabilityBarrier* durability)
      : db_(db), durability_(durability) {
    if (sqlite3_prepare_v3(db, sql.data(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) !=
        SQLITE_OK) {
      sqlite3_finalize(stmt_);
      fail(db, "prepare");
    }
  }
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }

  void bind_text(int i, std::string_view text) override {
    check(sqlite3_bind_text(stmt_, i, text.data(), int(text.size()), SQLITE_TRANSIENT));
  }
  void bind_integer(int i, int64_t v) override { check(sqlite3_bind_int64(stmt_, i, v)); }
  void bind_real(int i, double v) override { check(sqlite3_bind_double(stmt_, i, v)); }
  void bind_null(int i) override { check(sqlite3_bind_null(stmt_, i)); }

  bool step() override {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) {
      // BEGIN and COMMIT count as read-only here; a transaction waits for itself after COMMIT.
      if (durability_ && sqlite3_get_autocommit(db_) && !sqlite3_stmt_readonly(stmt_))
        durability_->wait_durable();
      return false;
    }
    fail(db_, "step");
  }
  void reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  bool is_null(int c) const override { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }
  std::string text(int c) const override {
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, c));
    return p ? std::string(p, size_t(sqlite3_column_bytes(stmt_, c))) : std::string();
  }
  int64_t integer(int c) const override { return sqlite3_column_int64(stmt_, c); }
  double real(int c) const override { return sqlite3_column_double(stmt_, c); }

 private:
  void check(int rc) {
    if (rc != SQLITE_OK) fail(db_, "bind");
  }
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  DurabilityBarrier* durability_;
};

}  // namespace

DurabilityBarrier::~DurabilityBarrier() {
  if (fd_ >= 0) ::close(fd_);
}

void DurabilityBarrier::wait_durable() {
  std::unique_lock<std::mutex> lock(mu_);
  uint64_t mine = ++requested_;  // every commit of this thread happened before this point
  while (flushed_upto_ < mine) {
    if (flushing_) {
      flushed_.wait(lock);
      continue;
    }
    flushing_ = true;
    uint64_t upto = requested_;  // this flush starts after all of these commits
    lock.unlock();
    if (fd_ < 0) fd_ = ::open(wal_path_.c_str(), O_RDONLY | O_CLOEXEC);
    bool ok = fd_ >= 0 && ::fdatasync(fd_) == 0;
    lock.lock();
    ++flushes_;
    flushing_ = false;
    if (ok) flushed_upto_ = std::max(flushed_upto_, upto);
    flushed_.notify_all();
    if (!ok) throw DbError("cannot flush " + wal_path_ + " to disk");
  }
}

uint64_t DurabilityBarrier::flushes() {
  std::lock_guard<std::mutex> lock(mu_);
  return flushes_;
}

SqliteDb::SqliteDb(const std::string& path, FifoMutex& write_mutex, DurabilityBarrier& durability)
    : write_mutex_(&write_mutex), durability_(&durability) {
  // SQLite's allocation statistics take one global mutex on every malloc, shared by all threads;
  // nothing reads them. Must precede SQLite's initialization, which the first open does.
  static const bool configured = [] { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK; }();
  (void)configured;
  sqlite3* d = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &d, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  db_.reset(d);
  if (rc != SQLITE_OK) fail(d, "open " + path);
  sqlite3_busy_timeout(d, 5000);
  // NORMAL: a commit is written to the WAL without a flush of its own; commit() then waits for
  // a shared flush (DurabilityBarrier), so what is acknowledged survives a power loss without
  // one fsync per commit under the write lock.
  // cache_size: each request thread has its own connection (up to a few hundred), so SQLite's
  // default 2 MB page cache each made memory grow under load; 1 MB each still holds the hot pages.
  exec(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA "
      "wal_autocheckpoint=0; "
      "PRAGMA cache_size=-1024;");
}

std::unique_ptr<StatementImpl> SqliteDb::compile(std::string_view sql) {
  return std::make_unique<SqliteStatement>(db_.get(), sql, durability_);
}

void SqliteDb::exec(std::string_view sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_.get(), std::string(sql).c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown";
    sqlite3_free(err);
    throw DbError("exec: " + msg);
  }
}

void SqliteDb::begin(TxLock, std::string_view) {
  std::unique_lock<FifoMutex> lock(*write_mutex_);
  prepare("BEGIN IMMEDIATE").run();
  tx_lock_ = std::move(lock);
}

void SqliteDb::commit() {
  prepare("COMMIT").run();
  tx_lock_.unlock();  // the next writer may commit while this one waits for the flush
  durability_->wait_durable();
}

void SqliteDb::rollback() {
  std::unique_lock<FifoMutex> lock = std::move(tx_lock_);  // released however ROLLBACK ends
  prepare("ROLLBACK").run();
}

}  // namespace continuata::server
