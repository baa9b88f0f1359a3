// PostgreSQL through libpq: prepared statements, transactions with advisory locks, reconnects.
#include "server/store_postgres.hpp"

#include <cstdlib>
#include <vector>

#include "server/text_encoding.hpp"

namespace continuata::server {
namespace {

// The advisory lock of Exclusive transactions. Keyed locks hash their key into the same 64-bit
// space (hashtextextended); a collision would only make two units wait for each other.
constexpr int64_t kExclusiveLock = 0x436f6e7461;  // "Conta"

std::string error_text(PGconn* conn, const PGresult* r) {
  std::string message = r ? PQresultErrorMessage(r) : PQerrorMessage(conn);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  if (const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr)
    message += std::string(" (SQLSTATE ") + state + ")";
  return message;
}

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

void require(PGconn* conn, const Result& r, std::string_view what) {
  auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    throw DbError(std::string(what) + ": " + error_text(conn, r.get()));
}

class PgStatement final : public StatementImpl {
 public:
  PgStatement(PgDb& db, std::string name, std::string_view sql) : db_(db), name_(std::move(name)) {
    int count = 0;
    std::string text = postgres_placeholders(sql, count);
    params_.resize(size_t(count));
    Result r(PQprepare(db.raw(), name_.c_str(), text.c_str(), count, nullptr));
    require(db.raw(), r, "prepare");
  }
  ~PgStatement() override {
    // The server-side statement lives as long as the session: drop it, so the fresh copies
    // that nested uses compile do not pile up on a long-lived connection.
    if (!db_.closing() && PQstatus(db_.raw()) == CONNECTION_OK)
      Result(PQexec(db_.raw(), ("DEALLOCATE " + name_).c_str()));
  }

  // PostgreSQL holds only UTF-8 and refuses a parameter that is not. Every stored text was
  // checked on the way in, so a malformed one (a lookup by a mangled path or token) could only
  // match nothing: it is bound with U+FFFD for its bad bytes, and matches nothing, as on SQLite.
  void bind_text(int i, std::string_view text) override {
    param(i) = is_valid_utf8(text) ? std::string(text) : printable_utf8(text, text.size() * 3);
  }
  void bind_integer(int i, int64_t v) override { param(i) = std::to_string(v); }
  void bind_real(int i, double v) override { param(i) = std::to_string(v); }
  void bind_null(int i) override { param(i).reset(); }

  bool step() override {
    if (!result_) {
      std::vector<const char*> values(params_.size());
      for (size_t i = 0; i < params_.size(); ++i) values[i] = params_[i] ? params_[i]->c_str() : nullptr;
      result_.reset(
          PQexecPrepared(db_.raw(), name_.c_str(), int(values.size()), values.data(), nullptr, nullptr, 0));
      require(db_.raw(), result_, "step");
      db_.set_changes(std::atoi(PQcmdTuples(result_.get())));
      row_ = 0;
    } else {
      ++row_;
    }
    return row_ < PQntuples(result_.get());
  }
  void reset() override {
    result_.reset();
    for (auto& p : params_) p.reset();
  }

  bool is_null(int c) const override { return PQgetisnull(result_.get(), row_, c) != 0; }
  std::string text(int c) const override {
    return std::string(PQgetvalue(result_.get(), row_, c), size_t(PQgetlength(result_.get(), row_, c)));
  }
  int64_t integer(int c) const override {
    const char* v = PQgetvalue(result_.get(), row_, c);
    if (v[0] == 't' && v[1] == 0) return 1;  // a boolean column
    if (v[0] == 'f' && v[1] == 0) return 0;
    return std::strtoll(v, nullptr, 10);
  }
  double real(int c) const override { return std::strtod(PQgetvalue(result_.get(), row_, c), nullptr); }

 private:
  std::optional<std::string>& param(int i) {
    if (i < 1 || size_t(i) > params_.size()) throw DbError("bind: no parameter " + std::to_string(i));
    return params_[size_t(i) - 1];
  }
  PgDb& db_;
  std::string name_;
  std::vector<std::optional<std::string>> params_;
  Result result_;
  int row_ = 0;
};

}  // namespace

std::string postgres_placeholders(std::string_view sql, int& count) {
  std::string out;
  out.reserve(sql.size() + 16);
  count = 0;
  char quote = 0;
  for (char c : sql) {
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '?') {
      out += '$' + std::to_string(++count);
      continue;
    }
    out += c;
  }
  return out;
}

PgDb::PgDb(const std::string& url) {
  const char* keys[] = {"dbname", "application_name", nullptr};
  const char* values[] = {url.c_str(), "continuata-server", nullptr};
  conn_ = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string message = error_text(conn_, nullptr);
    PQfinish(conn_);
    conn_ = nullptr;
    throw DbError("cannot connect to PostgreSQL: " + message);
  }
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);  // "already exists, skipping"
}

PgDb::~PgDb() {
  closing_ = true;  // the session's statements end with it
  forget_statements();
  PQfinish(conn_);
}

void PgDb::check_connection() {
  if (PQstatus(conn_) == CONNECTION_OK) return;
  if (in_transaction_) throw DbError("the PostgreSQL connection was lost in a transaction");
  forget_statements();
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK)
    throw DbError("cannot reconnect to PostgreSQL: " + error_text(conn_, nullptr));
}

std::unique_ptr<StatementImpl> PgDb::compile(std::string_view sql) {
  return std::make_unique<PgStatement>(*this, "s" + std::to_string(++statement_names_), sql);
}

void PgDb::exec(std::string_view sql) {
  check_connection();
  Result r(PQexec(conn_, std::string(sql).c_str()));
  require(conn_, r, "exec");
}

void PgDb::begin(TxLock lock, std::string_view key) {
  exec("BEGIN");
  in_transaction_ = true;
  try {
    if (lock == TxLock::Exclusive) prepare("SELECT pg_advisory_xact_lock(?)").bind(1, kExclusiveLock).run();
    if (lock == TxLock::Keyed)
      prepare("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))").bind(1, key).run();
  } catch (...) {
    // No Transaction exists to roll back (its constructor is what failed): end it here, or this
    // connection would stay in an aborted transaction and refuse every later statement.
    try {
      rollback();
    } catch (...) {
    }
    throw;
  }
}

void PgDb::commit() {
  // synchronous_commit is on (the default): COMMIT returns once the WAL is flushed.
  in_transaction_ = false;
  exec("COMMIT");
}

void PgDb::rollback() {
  in_transaction_ = false;
  exec("ROLLBACK");
}

}  // namespace continuata::server
