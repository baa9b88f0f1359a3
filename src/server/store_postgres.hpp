// The PostgreSQL engine of the store (libpq): a connection whose statements are prepared on the
// server once per session, with text parameters whose types the server infers from the SQL.
#pragma once
#include <libpq-fe.h>

#include <string>

#include "server/store_db.hpp"

namespace continuata::server {

class PgDb final : public Db {
 public:
  explicit PgDb(const std::string& url);
  ~PgDb() override;
  void exec(std::string_view sql) override;
  int changes() const override { return changes_; }
  Dialect dialect() const override { return Dialect::Postgres; }
  void begin(TxLock lock, std::string_view key) override;
  void commit() override;
  void rollback() override;

  // For statements: the session, and the row count of the last write.
  PGconn* raw() { return conn_; }
  void set_changes(int n) { changes_ = n; }
  bool closing() const { return closing_; }

 protected:
  std::unique_ptr<StatementImpl> compile(std::string_view sql) override;
  void check_connection() override;

 private:
  PGconn* conn_ = nullptr;
  int changes_ = 0;
  uint64_t statement_names_ = 0;
  bool in_transaction_ = false;
  bool closing_ = false;
};

// `?` placeholders as PostgreSQL's `$1, $2, ...` (none inside quoted text); sets `count`.
std::string postgres_placeholders(std::string_view sql, int& count);

}  // namespace continuata::server
