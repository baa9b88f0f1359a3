// All SQL of the customer portal and of mail: verification codes and wrong-code counts, rate
// limits, portal
// sessions, the dev outbox, the SMTP queue, and the purchase listing joined to products,
// active versions and their files.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "server/model_seller.hpp"
#include "server/store_db.hpp"
#include "server/store_refunds.hpp"

namespace continuata::server::store {

struct VerificationCode {
  std::string email_normalized;
  std::optional<std::string> org_id;
  std::string code_hash;
  int64_t tries_left = 0, created_at = 0, expires_at = 0;
};
void replace_code(Db& db, const VerificationCode& c);
std::optional<VerificationCode> find_code(Db& db, const std::string& email_normalized);
// Both act only on the code whose hash is given: one that a new request put in its place
// meanwhile (another instance, no lock shared) stays.
void set_tries_left(Db& db, const std::string& email_normalized, const std::string& code_hash,
                    int64_t tries_left);
void delete_code(Db& db, const std::string& email_normalized, const std::string& code_hash);

// Wrong codes entered for an email since window_started_at (the window is the caller's).
struct CodeFailures {
  int64_t window_started_at = 0, failures = 0;
};
CodeFailures code_failures(Db& db, const std::string& email_normalized);
// One more wrong code; starts a new window at `now` when the current one began before window_start.
void record_code_failure(Db& db, const std::string& email_normalized, int64_t now, int64_t window_start);

// Rate-limit events of one key (a limit's name and the key it limits), oldest first.
std::vector<int64_t> rate_event_times(Db& db, const std::string& key);
void insert_rate_event(Db& db, const std::string& key, int64_t at);
void delete_rate_events_before(Db& db, const std::string& key, int64_t before);
void delete_all_rate_events_before(Db& db, int64_t before);

struct PortalSession {
  int64_t id = 0;
  std::string email_normalized;
  std::optional<std::string> org_id;
  int64_t expires_at = 0;
};
void insert_session(Db& db, const std::string& token_hash, const std::string& email_normalized,
                    const std::optional<std::string>& org, int64_t now, int64_t expires_at);
// Live sessions only: not revoked, not expired at `now`.
std::optional<PortalSession> find_session(Db& db, const std::string& token_hash, int64_t now);
void revoke_session(Db& db, int64_t id, int64_t now);

struct OutboxMessage {
  std::string to, subject, text, html;
  int64_t created_at = 0;
  std::string headers;  // extra header lines as JSON [[name, value], ...]; "" = none
};
void insert_outbox(Db& db, const OutboxMessage& m);
std::vector<OutboxMessage> outbox_for(Db& db, const std::string& to, int limit);

// The SMTP queue: a message is accepted by a row, claimed by a worker with a lease (its
// next_attempt_at moves forward), and marked sent or retried later.
struct QueuedMail {
  int64_t id = 0, attempts = 0;
  OutboxMessage message;
};
void enqueue_mail(Db& db, const OutboxMessage& m, int64_t now);
// A bulk message (an update notice), due at its rate slot `slot_at`.
void enqueue_bulk_mail(Db& db, const OutboxMessage& m, int64_t now, int64_t slot_at);
// The latest slot any bulk message was given (sent or not), or nullopt.
std::optional<int64_t> last_bulk_slot(Db& db);
int64_t pending_mail_count(Db& db);
// Pending messages that are not bulk: what the queue's bound counts (an update to many buyers
// must not crowd out sign-in codes).
int64_t pending_direct_mail_count(Db& db);
// The oldest due message, leased until lease_until; nullopt when none is due.
std::optional<QueuedMail> claim_due_mail(Db& db, int64_t now, int64_t lease_until);
void mark_mail_sent(Db& db, int64_t id, int64_t now);
void mark_mail_retry(Db& db, int64_t id, int64_t attempts, int64_t next_attempt_at);
void mark_mail_failed(Db& db, int64_t id, int64_t attempts, int64_t now);

struct PortalPurchase {
  Purchase purchase;
  std::string product_name;
  std::optional<std::string> latest_version, latest_version_id, latest_notes;
  std::vector<FileEntry> files;  // of the latest active version
  std::string email_normalized;  // the address that bought it
  PurchaseState after_sale;      // its refund and licence key, read in the same query
};
// The purchases of the email and of every address linked with it (store_email_links).
std::vector<PortalPurchase> purchases_for_email(Db& db, const std::string& email_normalized,
                                                const std::optional<std::string>& org);
// The purchase, only if it belongs to this email or one linked with it (and org scope).
std::optional<Purchase> find_purchase_of(Db& db, int64_t id, const std::string& email_normalized,
                                         const std::optional<std::string>& org);

}  // namespace continuata::server::store
