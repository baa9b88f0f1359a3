// The engine-neutral part of the store: statement handles, the per-connection statement cache,
// transactions, and the pool of connections a Database lends to threads.
#include "server/store_db.hpp"

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <utility>

#include "server/store_migrations.hpp"
#include "server/store_postgres.hpp"
#include "server/store_sqlite.hpp"

namespace continuata::server {

Statement::Statement(StatementImpl* cached, std::unique_ptr<StatementImpl> owned)
    : impl_(owned ? owned.get() : cached), owned_(std::move(owned)) {
  if (!owned_) impl_->in_use = true;
}

Statement::Statement(Statement&& other) noexcept
    : impl_(std::exchange(other.impl_, nullptr)), owned_(std::move(other.owned_)) {}

Statement::~Statement() {
  if (!impl_ || owned_) return;
  impl_->reset();
  impl_->in_use = false;
}

Statement& Statement::bind(int i, std::string_view text) {
  impl_->bind_text(i, text);
  return *this;
}
Statement& Statement::bind(int i, int64_t v) {
  impl_->bind_integer(i, v);
  return *this;
}
Statement& Statement::bind(int i, double v) {
  impl_->bind_real(i, v);
  return *this;
}
Statement& Statement::bind_null(int i) {
  impl_->bind_null(i);
  return *this;
}
Statement& Statement::bind(int i, const std::optional<std::string>& text) {
  return text ? bind(i, std::string_view(*text)) : bind_null(i);
}
Statement& Statement::bind(int i, std::optional<int64_t> v) {
  return v ? bind(i, *v) : bind_null(i);
}

void Statement::run() {
  while (step()) {
  }
}

std::optional<std::string> Statement::optional_text(int c) const {
  if (is_null(c)) return std::nullopt;
  return text(c);
}

Statement Db::prepare(std::string_view sql) {
  check_connection();
  auto& slot = statements_[std::string(sql)];
  if (!slot) {
    try {
      slot = compile(sql);
    } catch (...) {
      statements_.erase(std::string(sql));
      throw;
    }
  }
  if (slot->in_use) return Statement(nullptr, compile(sql));
  return Statement(slot.get(), nullptr);
}

Transaction::Transaction(Db& db, TxLock lock, std::string_view key) : db_(db) {
  db_.begin(lock, key);
}
Transaction::~Transaction() {
  if (!done_) {
    try {
      db_.rollback();
    } catch (...) {
    }
  }
}
void Transaction::commit() {
  done_ = true;  // a failed COMMIT has ended the transaction too
  db_.commit();
}

namespace {
std::atomic<uint64_t> next_generation{1};
// The connection each thread has borrowed, by Database generation: tests run several servers in
// one process, and a new Database never meets a destroyed one's connection.
thread_local std::unordered_map<uint64_t, Db*> t_borrowed;
}  // namespace

bool Database::is_postgres_url(std::string_view location) {
  return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

Database::Database(std::string location, PoolLimits limits)
    : location_(std::move(location)),
      dialect_(is_postgres_url(location_) ? Dialect::Postgres : Dialect::Sqlite),
      generation_(next_generation++),
      durability_(std::make_unique<DurabilityBarrier>(location_ + "-wal")),
      limits_(limits) {
  if (limits_.max_connections == 0) throw DbError("a database pool needs at least one connection");
  apply_migrations(connection());
  release_connection();
  if (dialect_ == Dialect::Sqlite) checkpointer_ = std::thread([this] { checkpoint_loop(); });
}

Database::~Database() {
  {
    std::lock_guard<std::mutex> lock(stop_mutex_);
    stopping_ = true;
  }
  stop_signal_.notify_all();
  if (checkpointer_.joinable()) checkpointer_.join();
}

std::unique_ptr<Db> Database::open_connection() {
  if (dialect_ == Dialect::Postgres) return std::make_unique<PgDb>(location_);
  return std::make_unique<SqliteDb>(location_, write_mutex_, *durability_);
}

// WAL checkpoints run on a thread of their own, twice a second: SQLite's automatic checkpoint
// runs inside whichever commit crosses 1000 pages, and its fsync made that request (and every
// writer queued behind it) wait; under 64 connections it was the whole p99 of minting links.
void Database::checkpoint_loop() {
  std::unique_ptr<SqliteDb> db;
  std::unique_lock<std::mutex> lock(stop_mutex_);
  while (!stop_signal_.wait_for(lock, std::chrono::milliseconds(500), [this] { return stopping_; })) {
    try {
      if (!db) db = std::make_unique<SqliteDb>(location_, write_mutex_, *durability_);
      // PASSIVE: copies what no reader still needs, never waits for or blocks writers.
      sqlite3_wal_checkpoint_v2(db->raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    } catch (const std::exception& e) {
      // Nothing leaves this thread: the file may be unreadable for a moment; try again later.
      nlohmann::json line = {{"level", "error"}, {"message", "checkpoint failed"}, {"error", e.what()}};
      std::fprintf(stderr, "%s\n",
                   line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    }
  }
}

Db& Database::connection() {
  Db*& slot = t_borrowed[generation_];
  if (slot) return *slot;
  std::unique_lock<std::mutex> lock(connections_mutex_);
  auto available = [&] { return !idle_.empty() || connections_.size() + opening_ < limits_.max_connections; };
  if (!connection_returned_.wait_for(lock, std::chrono::milliseconds(limits_.wait_ms), available))
    throw DatabaseBusy("every database connection stayed busy");
  if (!idle_.empty()) {
    slot = idle_.back();
    idle_.pop_back();
    return *slot;
  }
  // Opening takes a round trip to PostgreSQL: the others may borrow and return meanwhile.
  ++opening_;
  lock.unlock();
  std::unique_ptr<Db> fresh;
  try {
    fresh = open_connection();
  } catch (...) {
    lock.lock();
    --opening_;
    connection_returned_.notify_one();
    throw;
  }
  lock.lock();
  --opening_;
  slot = fresh.get();
  connections_.push_back(std::move(fresh));
  return *slot;
}

void Database::release_connection() {
  auto it = t_borrowed.find(generation_);
  if (it == t_borrowed.end()) return;
  Db* db = it->second;
  t_borrowed.erase(it);
  if (!db) return;
  {
    std::lock_guard<std::mutex> lock(connections_mutex_);
    idle_.push_back(db);
  }
  connection_returned_.notify_one();
}

size_t Database::open_connections() {
  std::lock_guard<std::mutex> lock(connections_mutex_);
  return connections_.size();
}

}  // namespace continuata::server
