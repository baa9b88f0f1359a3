// SQLite behind RAII: a connection, prepared statements with bound parameters (the only way SQL
// runs in this project), and a transaction that rolls back unless committed. Services hold a
// Db& and open a Transaction around a unit of work, but write no SQL: statements are prepared
// only in the store (store_*.cpp), whose functions services call.
#pragma once
#include <sqlite3.h>

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

#include "server/fifo_mutex.hpp"

namespace continuata::server {

struct DbError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Group commit. Commits run with synchronous=NORMAL (written to the WAL, not yet flushed), then
// each writer waits here, after releasing the write lock, until one fdatasync of the WAL that
// began after its commit has finished: a commit is on disk before anyone is told it happened,
// and writers that commit close together share one flush instead of paying one each under the
// lock (synchronous=FULL cut minting from 5,000 to 1,000 links a second here).
class DurabilityBarrier {
 public:
  explicit DurabilityBarrier(std::string wal_path) : wal_path_(std::move(wal_path)) {}
  ~DurabilityBarrier();
  DurabilityBarrier(const DurabilityBarrier&) = delete;
  DurabilityBarrier& operator=(const DurabilityBarrier&) = delete;
  // Returns once every commit this thread made before the call is on disk; throws DbError when
  // the WAL cannot be flushed.
  void wait_durable();
  uint64_t flushes();  // fdatasync calls so far (for tests: fewer than commits under load)

 private:
  std::string wal_path_;
  std::mutex mu_;
  std::condition_variable flushed_;
  uint64_t requested_ = 0, flushed_upto_ = 0, flushes_ = 0;
  bool flushing_ = false;
  int fd_ = -1;  // the WAL file, opened on first use (it exists once the first commit did)
};

class Statement {
 public:
  // A statement of its own, finalized at the end.
  Statement(sqlite3* db, std::string_view sql);
  // One of a connection's cached statements, reset and handed back at the end.
  Statement(sqlite3* db, sqlite3_stmt* cached, bool* in_use);
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

  // Advances; true while a row is available. A write outside any transaction (autocommit)
  // returns only once it is durable, like a Transaction's commit.
  bool step();
  void set_durability(DurabilityBarrier* d) { durability_ = d; }
  // Runs a statement that returns no rows.
  void run();
  void reset();

  bool is_null(int col) const;
  std::string text(int col) const;
  std::optional<std::string> optional_text(int col) const;
  int64_t integer(int col) const;
  double real(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  bool* in_use_ = nullptr;  // set for a cached statement
  DurabilityBarrier* durability_ = nullptr;
};

class Db {
 public:
  // Opens (creating) the database file in WAL mode with foreign keys on. Writers of the same
  // database share `write_mutex` and `durability`.
  Db(const std::string& path, FifoMutex& write_mutex, DurabilityBarrier& durability);
  DurabilityBarrier& durability() { return *durability_; }
  FifoMutex& write_mutex() { return *write_mutex_; }
  // Statements are compiled once per connection and reused: compiling them on every request was
  // most of the CPU a request cost, and SQLite's allocations there contended across threads.
  // The same SQL wanted twice at once (a nested loop) gets a fresh statement for the inner one.
  Statement prepare(std::string_view sql);
  void exec(std::string_view sql);  // trusted, parameterless SQL only (schema, pragmas)
  int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_.get()); }
  int changes() const { return sqlite3_changes(db_.get()); }
  sqlite3* raw() { return db_.get(); }

 private:
  struct Close {
    void operator()(sqlite3* d) const { sqlite3_close_v2(d); }
  };
  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
    ~Cached() { sqlite3_finalize(stmt); }
  };
  std::unique_ptr<sqlite3, Close> db_;
  FifoMutex* write_mutex_;
  DurabilityBarrier* durability_;
  // Declared after db_, so destroyed (finalized) before the connection closes.
  std::unordered_map<std::string, std::unique_ptr<Cached>> statements_;
};

// Holds the database's write mutex, then BEGIN IMMEDIATE in the constructor (writers queue up
// instead of failing mid-way); rolls back in the destructor unless commit() ran. commit()
// releases the write mutex and returns only once the commit is durable (DurabilityBarrier). Writers queue
// in arrival order on the FifoMutex rather than on SQLite's busy handler, which sleeps in steps
// of up to 100 ms and made the slowest requests very slow.
class Transaction {
 public:
  explicit Transaction(Db& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  std::unique_lock<FifoMutex> lock_;
  Db& db_;
  bool done_ = false;
};

// One connection per thread (httplib serves on a thread pool; SQLite in WAL mode lets readers
// run side by side and queues writers on its busy timeout). Migrations run once at open.
//
// WAL checkpoints run on a thread of their own, twice a second: SQLite's automatic checkpoint
// runs inside whichever commit crosses 1000 pages, and its fsync made that request (and every
// writer queued behind it) wait; under 64 connections it was the whole p99 of minting links.
class Database {
 public:
  explicit Database(std::string path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  // This thread's connection, opened on first use.
  Db& connection();
  DurabilityBarrier& durability() { return durability_; }
  const std::string& path() const { return path_; }

 private:
  void checkpoint_loop();
  std::string path_;
  FifoMutex write_mutex_;
  DurabilityBarrier durability_;
  std::mutex stop_mutex_;
  std::condition_variable stop_signal_;
  bool stopping_ = false;
  std::thread checkpointer_;
};

}  // namespace continuata::server
