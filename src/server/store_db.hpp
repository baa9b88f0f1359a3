// The store's connection to its database, behind one interface for both engines: SQLite (the
// embedded default, a file in the data folder) and PostgreSQL (`--database postgresql://...`,
// for several instances). SQL runs only as prepared statements with bound parameters, written
// once with `?` placeholders in SQL both engines accept; a Transaction rolls back unless
// committed. Services hold a Db& and open a Transaction around a unit of work, but write no
// SQL: statements are prepared only in the store (store_*.cpp), whose functions services call.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "server/fifo_mutex.hpp"

namespace continuata::server {

struct DbError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class Dialect { Sqlite, Postgres };

// One engine's compiled statement. A connection caches these by SQL text; Statement lends one out.
class StatementImpl {
 public:
  virtual ~StatementImpl() = default;
  virtual void bind_text(int index, std::string_view text) = 0;
  virtual void bind_integer(int index, int64_t value) = 0;
  virtual void bind_real(int index, double value) = 0;
  virtual void bind_null(int index) = 0;
  virtual bool step() = 0;
  virtual void reset() = 0;  // forgets bindings and rows, ready to run again
  virtual bool is_null(int col) const = 0;
  virtual std::string text(int col) const = 0;
  virtual int64_t integer(int col) const = 0;
  virtual double real(int col) const = 0;
  bool in_use = false;
};

class Statement {
 public:
  // A cached statement (handed back, reset, at the end) or one of its own (owned).
  Statement(StatementImpl* cached, std::unique_ptr<StatementImpl> owned);
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  // Binds by 1-based index. Each returns *this for chaining.
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, int value) { return bind(index, int64_t(value)); }
  Statement& bind(int index, double value);
  Statement& bind_null(int index);
  Statement& bind(int index, const std::optional<std::string>& text);
  Statement& bind(int index, std::optional<int64_t> value);

  // Advances; true while a row is available. A write outside any transaction (autocommit)
  // returns only once it is durable, like a Transaction's commit.
  bool step() { return impl_->step(); }
  // Runs a statement that returns no rows.
  void run();
  void reset() { impl_->reset(); }

  bool is_null(int col) const { return impl_->is_null(col); }
  std::string text(int col) const { return impl_->text(col); }
  std::optional<std::string> optional_text(int col) const;
  int64_t integer(int col) const { return impl_->integer(col); }
  double real(int col) const { return impl_->real(col); }

 private:
  StatementImpl* impl_;
  std::unique_ptr<StatementImpl> owned_;
};

// How a Transaction keeps concurrent writers apart. SQLite has one writer at a time whatever
// is asked. On PostgreSQL, where instances and threads write side by side:
//  - Exclusive: one such transaction at a time across every instance (a transaction-scoped
//    advisory lock), so read-then-write units behave as they do on SQLite;
//  - Keyed: one at a time per key (rate limits of one email or IP);
//  - Concurrent: no lock of ours, for units whose statements are each safe alone (an insert)
//    or that lock their own rows (FOR UPDATE SKIP LOCKED).
enum class TxLock { Exclusive, Keyed, Concurrent };

// One connection. Statements are compiled once per connection and reused: compiling them on
// every request was most of the CPU a request cost. The same SQL wanted twice at once (a
// nested loop) gets a fresh statement for the inner one.
class Db {
 public:
  virtual ~Db() = default;
  Statement prepare(std::string_view sql);
  virtual void exec(std::string_view sql) = 0;  // trusted, parameterless SQL only (schema)
  virtual int changes() const = 0;              // rows the last write statement changed
  virtual Dialect dialect() const = 0;
  virtual void begin(TxLock lock, std::string_view key) = 0;
  virtual void commit() = 0;  // returns once the commit is durable
  virtual void rollback() = 0;

 protected:
  virtual std::unique_ptr<StatementImpl> compile(std::string_view sql) = 0;
  // Called before each prepare: a connection that lost its server reconnects here (and forgets
  // its compiled statements, which died with the old session).
  virtual void check_connection() {}
  void forget_statements() { statements_.clear(); }

 private:
  std::unordered_map<std::string, std::unique_ptr<StatementImpl>> statements_;
};

// Begins in the constructor; rolls back in the destructor unless commit() ran.
class Transaction {
 public:
  explicit Transaction(Db& db, TxLock lock = TxLock::Exclusive, std::string_view key = {});
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Db& db_;
  bool done_ = false;
};

class DurabilityBarrier;

// Every pooled connection stayed lent out for the whole wait: the request answers 503.
struct DatabaseBusy : DbError {
  using DbError::DbError;
};

// The store: where the data is, and a bounded pool of connections to it. A thread borrows one
// on its first connection() and keeps it until release_connection(): the HTTP engine releases
// after each request (so 256 request threads need only as many connections as run queries at
// once; PostgreSQL's max_connections is 100 by default), background workers keep theirs.
// SQLite in WAL mode lets readers run side by side, PostgreSQL runs them all.
// Migrations run once at open. `location` is a SQLite file path, or a postgresql:// (or
// postgres://) URL, libpq's connection URI.
class Database {
 public:
  struct PoolLimits {
    size_t max_connections = 64;  // open at once, lent or idle
    int wait_ms = 5000;           // for a connection to come back, then DatabaseBusy
  };
  explicit Database(std::string location, PoolLimits limits);
  explicit Database(std::string location) : Database(std::move(location), PoolLimits{}) {}
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  // This thread's connection: borrowed on first use (an idle one, a new one while fewer than
  // max_connections are open, or the next one given back) and kept until release_connection().
  // Connections close when the Database is destroyed.
  Db& connection();
  // Gives this thread's connection back to the pool, if it has one. No Db& taken from
  // connection() before may be used after it (its Transactions have ended).
  void release_connection();
  // Connections open now (lent and idle), for tests and operators.
  size_t open_connections();
  Dialect dialect() const { return dialect_; }
  // SQLite only: the group-commit barrier (tests count its flushes).
  DurabilityBarrier& durability() { return *durability_; }

  static bool is_postgres_url(std::string_view location);

 private:
  std::unique_ptr<Db> open_connection();
  void checkpoint_loop();
  std::string location_;
  Dialect dialect_;
  uint64_t generation_;  // tells this Database's connections from a destroyed one's
  FifoMutex write_mutex_;
  std::unique_ptr<DurabilityBarrier> durability_;
  PoolLimits limits_;
  std::mutex connections_mutex_;
  std::condition_variable connection_returned_;
  std::vector<std::unique_ptr<Db>> connections_;  // every open connection, owned here
  std::vector<Db*> idle_;                         // those no thread has borrowed
  size_t opening_ = 0;                            // being opened, outside the lock
  std::mutex stop_mutex_;
  std::condition_variable stop_signal_;
  bool stopping_ = false;
  std::thread checkpointer_;
};

}  // namespace continuata::server
