// SQLite behind RAII: a connection, prepared statements with bound parameters (the only way SQL
// runs in this project), and a transaction that rolls back unless committed. Only the store
// (store_*.cpp) includes this; routes and services call the store's functions.
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

  // Advances; true while a row is available.
  bool step();
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
};

class Db {
 public:
  // Opens (creating) the database file in WAL mode with foreign keys on. Writers of the same
  // database share `write_mutex`.
  Db(const std::string& path, FifoMutex& write_mutex);
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
  // Declared after db_, so destroyed (finalized) before the connection closes.
  std::unordered_map<std::string, std::unique_ptr<Cached>> statements_;
};

// Holds the database's write mutex, then BEGIN IMMEDIATE in the constructor (writers queue up
// instead of failing mid-way); rolls back in the destructor unless commit() ran. Writers queue
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
  const std::string& path() const { return path_; }

 private:
  void checkpoint_loop();
  std::string path_;
  FifoMutex write_mutex_;
  std::mutex stop_mutex_;
  std::condition_variable stop_signal_;
  bool stopping_ = false;
  std::thread checkpointer_;
};

}  // namespace continuata::server
