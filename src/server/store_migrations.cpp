// The schema, as a list of numbered migrations. Never edit a migration that has shipped; add one.
#include "server/store_migrations.hpp"

#include <ctime>
#include <regex>
#include <string>
#include <vector>

#include "server/store_db.hpp"

namespace continuata::server {
namespace {

// One step of the schema for both engines, written in SQL both accept but for one difference,
// which postgres_sql() makes: SQLite's INTEGER is 64 bits and PostgreSQL's 32 (times here are
// Unix milliseconds), and an INTEGER PRIMARY KEY is SQLite's row id.
struct Migration {
  int number;
  const char* sql;
};

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> list = {
      {1, R"sql(
        CREATE TABLE orgs (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          webhook_secret TEXT,              -- HMAC key for inbound purchase webhooks
          portal_url TEXT,                  -- where the magic link sends customers back to
          created_at INTEGER NOT NULL
        );
        CREATE TABLE org_origins (          -- where the org's portal widget may run (CORS)
          org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
          origin TEXT NOT NULL,
          PRIMARY KEY (org_id, origin)
        );
        CREATE TABLE api_keys (
          id INTEGER PRIMARY KEY,
          org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
          role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
          key_hash TEXT NOT NULL UNIQUE,    -- sha256 of the key; the key itself is shown once
          label TEXT NOT NULL DEFAULT '',
          created_at INTEGER NOT NULL,
          revoked_at INTEGER
        );
        CREATE TABLE products (
          org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
          id TEXT NOT NULL,                 -- = slug, unique per org
          name TEXT NOT NULL,
          slug TEXT NOT NULL,
          description TEXT,
          status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
          active_version_id TEXT,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (org_id, id)
        );
        CREATE TABLE versions (
          id TEXT PRIMARY KEY,              -- version_<hex>
          org_id TEXT NOT NULL,
          product_id TEXT NOT NULL,
          version TEXT NOT NULL,
          status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'ready')),
          created_at INTEGER NOT NULL,
          UNIQUE (org_id, product_id, version),
          FOREIGN KEY (org_id, product_id) REFERENCES products(org_id, id) ON DELETE CASCADE
        );
        CREATE TABLE files (
          version_id TEXT NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
          path TEXT NOT NULL,               -- the customer-facing name, validated
          storage_name TEXT NOT NULL,       -- name on disk under the version's folder
          size INTEGER NOT NULL,
          sha256 TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          PRIMARY KEY (version_id, path)
        );
        CREATE TABLE purchases (
          id INTEGER PRIMARY KEY,
          org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
          order_id TEXT NOT NULL,
          email TEXT NOT NULL,
          email_normalized TEXT NOT NULL,   -- trimmed, lowercased: the portal's lookup key
          product_id TEXT NOT NULL,
          version TEXT,                     -- the version bought; NULL = whatever was active
          created_at INTEGER NOT NULL,
          UNIQUE (org_id, order_id, product_id)
        );
        CREATE INDEX purchases_by_email ON purchases(email_normalized);
        CREATE TABLE download_tokens (
          id INTEGER PRIMARY KEY,
          token_hash TEXT NOT NULL UNIQUE,  -- sha256 of the token
          org_id TEXT NOT NULL,
          product_id TEXT NOT NULL,
          version_id TEXT NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
          purchase_id INTEGER REFERENCES purchases(id) ON DELETE SET NULL,
          source TEXT NOT NULL,             -- 'api' or 'portal'
          created_at INTEGER NOT NULL,
          expires_at INTEGER NOT NULL
        );
        CREATE TABLE download_sessions (
          id INTEGER PRIMARY KEY,
          token_id INTEGER NOT NULL REFERENCES download_tokens(id) ON DELETE CASCADE,
          org_id TEXT NOT NULL,
          file_path TEXT NOT NULL,
          range_start INTEGER NOT NULL,
          range_end INTEGER NOT NULL,       -- inclusive
          counted INTEGER NOT NULL,         -- 1 when the request started at byte 0
          ip TEXT NOT NULL,
          user_agent TEXT NOT NULL,
          created_at INTEGER NOT NULL
        );
        CREATE INDEX download_sessions_by_org_time ON download_sessions(org_id, created_at);
      )sql"},
      {100, R"sql(
        CREATE TABLE verification_codes (   -- one live code per email: a new request replaces it
          email_normalized TEXT PRIMARY KEY,
          org_id TEXT,                      -- the portal's org scope, if any
          code_hash TEXT NOT NULL,          -- HMAC-SHA256(server secret, email ":" code)
          tries_left INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          expires_at INTEGER NOT NULL
        );
        CREATE TABLE portal_sessions (
          id INTEGER PRIMARY KEY,
          token_hash TEXT NOT NULL UNIQUE,  -- sha256 of the bearer token
          email_normalized TEXT NOT NULL,
          org_id TEXT,
          created_at INTEGER NOT NULL,
          expires_at INTEGER NOT NULL,
          revoked_at INTEGER
        );
        CREATE TABLE outbox (               -- the dev outbox: every message the dev mailer sent
          id INTEGER PRIMARY KEY,
          to_email TEXT NOT NULL,
          subject TEXT NOT NULL,
          text_body TEXT NOT NULL,
          html_body TEXT NOT NULL,
          created_at INTEGER NOT NULL
        );
        CREATE INDEX outbox_by_recipient ON outbox(to_email, id);
      )sql"},
      {101, R"sql(
        CREATE TABLE code_failures (        -- wrong codes per email across all its codes
          email_normalized TEXT PRIMARY KEY,
          window_started_at INTEGER NOT NULL, -- the first wrong code of the current 24 h window
          failures INTEGER NOT NULL
        );
        CREATE TABLE mail_queue (           -- SMTP mail accepted but not yet delivered
          id INTEGER PRIMARY KEY,
          to_email TEXT NOT NULL,
          subject TEXT NOT NULL,
          text_body TEXT NOT NULL,
          html_body TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          attempts INTEGER NOT NULL DEFAULT 0,
          next_attempt_at INTEGER NOT NULL, -- also the lease of a worker sending it
          sent_at INTEGER,
          failed_at INTEGER                 -- gave up after the last attempt
        );
        CREATE INDEX mail_queue_due ON mail_queue(next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
      )sql"},
      {102, R"sql(
        -- The seller's help contact, shown in the portal beside orgs.name (its display name).
        ALTER TABLE orgs ADD COLUMN help_email TEXT;
        ALTER TABLE orgs ADD COLUMN help_url TEXT;
      )sql"},
      {103, R"sql(
        -- Rate limits shared by every instance: one row per action a key (an email, an IP) took.
        CREATE TABLE rate_events (
          rate_key TEXT NOT NULL,
          at INTEGER NOT NULL
        );
        CREATE INDEX rate_events_by_key ON rate_events(rate_key, at);
        CREATE INDEX rate_events_by_time ON rate_events(at);
      )sql"},
      {104, R"sql(
        -- ZIP downloads: each file's CRC-32 (computed at upload; a start-up step fills it for
        -- older rows), bundle tokens whose download is one ZIP of several versions, and which
        -- sessions sent a ZIP rather than one file.
        ALTER TABLE files ADD COLUMN crc32 INTEGER;
        ALTER TABLE download_tokens ADD COLUMN bundle INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE download_sessions ADD COLUMN archive INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE download_token_items ( -- the versions of a bundle token, in folder order
          token_id INTEGER NOT NULL REFERENCES download_tokens(id) ON DELETE CASCADE,
          position INTEGER NOT NULL,
          org_id TEXT NOT NULL,
          product_id TEXT NOT NULL,
          version_id TEXT NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
          purchase_id INTEGER REFERENCES purchases(id) ON DELETE SET NULL,
          PRIMARY KEY (token_id, position)
        );
      )sql"},
      {105, R"sql(
        -- A purchase's download history (the portal's): its tokens, then their sessions.
        CREATE INDEX download_tokens_by_purchase ON download_tokens(purchase_id);
        CREATE INDEX download_sessions_by_token ON download_sessions(token_id, created_at);
      )sql"},
      {106, R"sql(
        -- Refunds and chargebacks: a purchase whose access is revoked (NULL = active), and the log
        -- of every refund, revoke and reinstatement (who: the webhook or an API key's id).
        ALTER TABLE purchases ADD COLUMN refunded_at INTEGER;
        CREATE TABLE purchase_events (
          id INTEGER PRIMARY KEY,
          org_id TEXT NOT NULL,
          purchase_id INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
          action TEXT NOT NULL CHECK (action IN ('refund', 'revoke', 'reinstate')),
          source TEXT NOT NULL CHECK (source IN ('webhook', 'api')),
          api_key_id INTEGER,               -- the key that asked, for source 'api'
          reason TEXT,
          created_at INTEGER NOT NULL
        );
        CREATE INDEX purchase_events_by_purchase ON purchase_events(purchase_id, id);
      )sql"},
      {107, R"sql(
        -- Licence keys: the seller's pool per product; a key belongs to at most one purchase and a
        -- purchase to at most one key (purchase_id NULL = still free).
        CREATE TABLE license_keys (
          id INTEGER PRIMARY KEY,
          org_id TEXT NOT NULL,
          product_id TEXT NOT NULL,
          license_key TEXT NOT NULL,
          purchase_id INTEGER UNIQUE REFERENCES purchases(id) ON DELETE SET NULL,
          created_at INTEGER NOT NULL,
          assigned_at INTEGER,
          UNIQUE (org_id, product_id, license_key),
          FOREIGN KEY (org_id, product_id) REFERENCES products(org_id, id) ON DELETE CASCADE
        );
        CREATE INDEX license_keys_free ON license_keys(org_id, product_id, id) WHERE purchase_id IS NULL;
      )sql"},
      {108, R"sql(
        -- Release notes: plain text the seller gives a version, shown to buyers with an update.
        ALTER TABLE versions ADD COLUMN notes TEXT;
      )sql"},
      {109, R"sql(
        -- Update mail and the buyer's language. Mail carries extra header lines (List-Unsubscribe)
        -- as JSON [[name, value], ...]; a bulk message (an update notice) has the rate slot it was
        -- given, which the next bulk message is spaced after.
        ALTER TABLE mail_queue ADD COLUMN headers TEXT;
        ALTER TABLE mail_queue ADD COLUMN slot_at INTEGER;
        CREATE INDEX mail_queue_slots ON mail_queue(slot_at) WHERE slot_at IS NOT NULL;
        ALTER TABLE outbox ADD COLUMN headers TEXT;
        CREATE TABLE update_mail_sent (     -- one update notice per (version, email), ever
          version_id TEXT NOT NULL,
          email_normalized TEXT NOT NULL,
          queued_at INTEGER NOT NULL,
          PRIMARY KEY (version_id, email_normalized)
        );
        CREATE TABLE mail_opt_outs (        -- no more update mail from this org to this email
          org_id TEXT NOT NULL,
          email_normalized TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          PRIMARY KEY (org_id, email_normalized)
        );
        CREATE TABLE mail_languages (       -- the portal language an email last used, per org
          org_id TEXT NOT NULL,             -- '' = the portal without an org scope
          email_normalized TEXT NOT NULL,
          language TEXT NOT NULL,
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (org_id, email_normalized)
        );
      )sql"},
      {110, R"sql(
        -- A customer's addresses: each in at most one group, a group's addresses one customer's
        -- library (store_email_links.hpp). A group of one is no row.
        CREATE TABLE email_links (
          email_normalized TEXT PRIMARY KEY,
          group_id TEXT NOT NULL,           -- random; shared by the addresses linked together
          linked_at INTEGER NOT NULL
        );
        CREATE INDEX email_links_by_group ON email_links(group_id);
        CREATE TABLE email_link_codes (     -- codes proving an address to link; never sign in
          owner_email TEXT NOT NULL,        -- the signed-in address that asked
          email_normalized TEXT NOT NULL,   -- the address to prove
          code_hash TEXT NOT NULL,          -- HMAC-SHA256(server secret, "link:" owner ":" email ":" code)
          tries_left INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          expires_at INTEGER NOT NULL,
          PRIMARY KEY (owner_email, email_normalized)
        );
      )sql"},
  };
  return list;
}

// The step's text for PostgreSQL: every INTEGER a BIGINT, a row id an identity.
std::string postgres_sql(const Migration& m) {
  static const std::regex row_id(R"(\bINTEGER PRIMARY KEY\b)"), integer(R"(\bINTEGER\b)");
  std::string text = std::regex_replace(m.sql, row_id, "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
  return std::regex_replace(text, integer, "BIGINT");
}

// SQLite counts the schema in PRAGMA user_version, one transaction per migration.
void apply_sqlite(Db& db, int up_to) {
  auto current = db.prepare("PRAGMA user_version");
  current.step();
  int version = int(current.integer(0));
  current.reset();
  for (const auto& m : migrations()) {
    if (m.number <= version || m.number > up_to) continue;
    Transaction tx(db);
    db.exec(m.sql);
    db.exec("PRAGMA user_version = " + std::to_string(m.number));
    tx.commit();
  }
}

// PostgreSQL records each applied migration in schema_migrations, all pending ones in one
// transaction under the exclusive lock: instances starting together apply them once.
void apply_postgres(Db& db, int up_to) {
  Transaction tx(db, TxLock::Exclusive);
  db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (number INTEGER PRIMARY KEY, applied_at BIGINT NOT "
      "NULL)");
  auto current = db.prepare("SELECT coalesce(max(number), 0) FROM schema_migrations");
  current.step();
  int version = int(current.integer(0));
  current.reset();
  for (const auto& m : migrations()) {
    if (m.number <= version || m.number > up_to) continue;
    db.exec(postgres_sql(m));
    db.prepare("INSERT INTO schema_migrations (number, applied_at) VALUES (?, ?)")
        .bind(1, int64_t(m.number))
        .bind(2, int64_t(std::time(nullptr)) * 1000)
        .run();
  }
  tx.commit();
}

}  // namespace

void apply_migrations(Db& db, int up_to) {
  if (db.dialect() == Dialect::Postgres)
    apply_postgres(db, up_to);
  else
    apply_sqlite(db, up_to);
}

}  // namespace continuata::server
