// SQLite RAII wrappers: statements, connections, transactions, per-thread connections.
#include "server/store_db.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <utility>

#include "server/store_migrations.hpp"

namespace continuata::server {
namespace {

[[noreturn]] void fail(sqlite3* db, std::string_view what) {
  throw DbError(std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db), stmt_(nullptr) {
  if (sqlite3_prepare_v2(db, sql.data(), int(sql.size()), &stmt_, nullptr) != SQLITE_OK) {
    sqlite3_finalize(stmt_);
    fail(db, "prepare");
  }
}

Statement::Statement(sqlite3* db, sqlite3_stmt* cached, bool* in_use)
    : db_(db), stmt_(cached), in_use_(in_use) {
  *in_use_ = true;
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      in_use_(std::exchange(other.in_use_, nullptr)),
      durability_(other.durability_) {}

Statement::~Statement() {
  if (!stmt_) return;
  if (in_use_) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    *in_use_ = false;
  } else {
    sqlite3_finalize(stmt_);
  }
}

Statement& Statement::bind(int i, std::string_view text) {
  if (sqlite3_bind_text(stmt_, i, text.data(), int(text.size()), SQLITE_TRANSIENT) != SQLITE_OK)
    fail(db_, "bind");
  return *this;
}
Statement& Statement::bind(int i, int64_t v) {
  if (sqlite3_bind_int64(stmt_, i, v) != SQLITE_OK) fail(db_, "bind");
  return *this;
}
Statement& Statement::bind(int i, double v) {
  if (sqlite3_bind_double(stmt_, i, v) != SQLITE_OK) fail(db_, "bind");
  return *this;
}
Statement& Statement::bind_null(int i) {
  if (sqlite3_bind_null(stmt_, i) != SQLITE_OK) fail(db_, "bind");
  return *this;
}
Statement& Statement::bind(int i, const std::optional<std::string>& text) {
  return text ? bind(i, std::string_view(*text)) : bind_null(i);
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) {
    // BEGIN and COMMIT count as read-only here; a Transaction waits for itself after COMMIT.
    if (durability_ && sqlite3_get_autocommit(db_) && !sqlite3_stmt_readonly(stmt_))
      durability_->wait_durable();
    return false;
  }
  fail(db_, "step");
}
void Statement::run() {
  while (step()) {
  }
}
void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int c) const {
  return sqlite3_column_type(stmt_, c) == SQLITE_NULL;
}
std::string Statement::text(int c) const {
  auto p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, c));
  return p ? std::string(p, size_t(sqlite3_column_bytes(stmt_, c))) : std::string();
}
std::optional<std::string> Statement::optional_text(int c) const {
  if (is_null(c)) return std::nullopt;
  return text(c);
}
int64_t Statement::integer(int c) const {
  return sqlite3_column_int64(stmt_, c);
}
double Statement::real(int c) const {
  return sqlite3_column_double(stmt_, c);
}

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

Db::Db(const std::string& path, FifoMutex& write_mutex, DurabilityBarrier& durability)
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
  // NORMAL: a commit is written to the WAL without a flush of its own; Transaction::commit()
  // then waits for a shared flush (DurabilityBarrier), so what is acknowledged survives a power
  // loss without one fsync per commit under the write lock.
  // cache_size: each request thread has its own connection (up to a few hundred), so SQLite's
  // default 2 MB page cache each made memory grow under load; 1 MB each still holds the hot pages.
  exec(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA "
      "wal_autocheckpoint=0; "
      "PRAGMA cache_size=-1024;");
}

Statement Db::prepare(std::string_view sql) {
  auto& slot = statements_[std::string(sql)];
  if (!slot) {
    auto fresh = std::make_unique<Cached>();
    if (sqlite3_prepare_v3(db_.get(), sql.data(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &fresh->stmt,
                           nullptr) != SQLITE_OK) {
      statements_.erase(std::string(sql));
      fail(db_.get(), "prepare");
    }
    slot = std::move(fresh);
  }
  Statement st = slot->in_use ? Statement(db_.get(), sql) : Statement(db_.get(), slot->stmt, &slot->in_use);
  st.set_durability(durability_);
  return st;
}

void Db::exec(std::string_view sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_.get(), std::string(sql).c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown";
    sqlite3_free(err);
    throw DbError("exec: " + msg);
  }
}

Transaction::Transaction(Db& db) : lock_(db.write_mutex()), db_(db) {
  db_.prepare("BEGIN IMMEDIATE").run();
}
Transaction::~Transaction() {
  if (!done_) {
    try {
      db_.prepare("ROLLBACK").run();
    } catch (...) {
    }
  }
}
void Transaction::commit() {
  db_.prepare("COMMIT").run();
  done_ = true;
  lock_.unlock();  // the next writer may commit while this one waits for the flush
  db_.durability().wait_durable();
}

Database::Database(std::string path) : path_(std::move(path)), durability_(path_ + "-wal") {
  apply_migrations(connection());
  checkpointer_ = std::thread([this] { checkpoint_loop(); });
}

Database::~Database() {
  {
    std::lock_guard<std::mutex> lock(stop_mutex_);
    stopping_ = true;
  }
  stop_signal_.notify_all();
  checkpointer_.join();
}

void Database::checkpoint_loop() {
  Db db(path_, write_mutex_, durability_);
  std::unique_lock<std::mutex> lock(stop_mutex_);
  while (!stop_signal_.wait_for(lock, std::chrono::milliseconds(500), [this] { return stopping_; })) {
    // PASSIVE: copies what no reader still needs, never waits for or blocks writers.
    sqlite3_wal_checkpoint_v2(db.raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  }
}

Db& Database::connection() {
  // Keyed by database path so tests running several servers in one process stay apart.
  thread_local std::map<std::string, std::unique_ptr<Db>> connections;
  auto& slot = connections[path_];
  if (!slot) slot = std::make_unique<Db>(path_, write_mutex_, durability_);
  return *slot;
}

}  // namespace continuata::server
