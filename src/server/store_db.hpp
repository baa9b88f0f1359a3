// SQLite behind RAII: a connection, prepared statements with bound parameters (the only way SQL
// runs in this project), and a transaction that rolls back unless committed. Only the store
// (store_*.cpp) includes this; routes and services call the store's functions.
#pragma once
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace continuata::server {

struct DbError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  Statement(Statement&&) noexcept = default;

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
  struct Finalize {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
  };
  sqlite3* db_;
  std::unique_ptr<sqlite3_stmt, Finalize> stmt_;
};

class Db {
 public:
  // Opens (creating) the database file in WAL mode with foreign keys on. Writers of the same
  // database share `write_mutex`.
  Db(const std::string& path, std::mutex& write_mutex);
  std::mutex& write_mutex() { return *write_mutex_; }
  Statement prepare(std::string_view sql) { return Statement(db_.get(), sql); }
  void exec(std::string_view sql);  // trusted, parameterless SQL only (schema, pragmas)
  int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_.get()); }
  int changes() const { return sqlite3_changes(db_.get()); }
  sqlite3* raw() { return db_.get(); }

 private:
  struct Close {
    void operator()(sqlite3* d) const { sqlite3_close_v2(d); }
  };
  std::unique_ptr<sqlite3, Close> db_;
  std::mutex* write_mutex_;
};

// Holds the database's write mutex, then BEGIN IMMEDIATE in the constructor (writers queue up instead of failing mid-way); rolls back
// in the destructor unless commit() ran. Writers queue on the mutex rather than on SQLite's busy
// handler, which sleeps in steps of up to 100 ms and made the slowest requests very slow.
class Transaction {
 public:
  explicit Transaction(Db& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  std::unique_lock<std::mutex> lock_;
  Db& db_;
  bool done_ = false;
};

// One connection per thread (httplib serves on a thread pool; SQLite in WAL mode lets readers
// run side by side and queues writers on its busy timeout). Migrations run once at open.
class Database {
 public:
  explicit Database(std::string path);
  // This thread's connection, opened on first use.
  Db& connection();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::mutex write_mutex_;
};

}  // namespace continuata::server
