// The SQLite engine of the store: a connection in WAL mode with group commit.
#pragma once
#include <sqlite3.h>

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>

#include "server/fifo_mutex.hpp"
#include "server/store_db.hpp"

namespace continuata::server {

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

// Writers of one database share `write_mutex` and `durability`. A transaction holds the write
// mutex, then BEGIN IMMEDIATE (writers queue up instead of failing mid-way); its commit releases
// the mutex and returns once durable. Writers queue in arrival order on the FifoMutex rather
// than on SQLite's busy handler, which sleeps in steps of up to 100 ms and made the slowest
// requests very slow.
class SqliteDb final : public Db {
 public:
  SqliteDb(const std::string& path, FifoMutex& write_mutex, DurabilityBarrier& durability);
  void exec(std::string_view sql) override;
  int changes() const override { return sqlite3_changes(db_.get()); }
  Dialect dialect() const override { return Dialect::Sqlite; }
  void begin(TxLock lock, std::string_view key) override;
  void commit() override;
  void rollback() override;
  sqlite3* raw() { return db_.get(); }

 protected:
  std::unique_ptr<StatementImpl> compile(std::string_view sql) override;

 private:
  struct Close {
    void operator()(sqlite3* d) const { sqlite3_close_v2(d); }
  };
  std::unique_ptr<sqlite3, Close> db_;
  FifoMutex* write_mutex_;
  DurabilityBarrier* durability_;
  std::unique_lock<FifoMutex> tx_lock_;
};

}  // namespace continuata::server
