// Linking, listing and unlinking a customer's addresses (the model is in the header).
#include "server/service_email_links.hpp"

#include "server/api_error.hpp"
#include "server/api_fields.hpp"
#include "server/crypto_util.hpp"
#include "server/mail_email_link.hpp"
#include "server/service_mail_language.hpp"
#include "server/service_verification_codes.hpp"
#include "server/store_email_links.hpp"

namespace continuata::server {
namespace {

std::string link_code_hash(const ServerContext& ctx, const std::string& owner, const std::string& email,
                           const std::string& code) {
  return hmac_sha256_hex(ctx.server_secret, "link:" + owner + ":" + email + ":" + code);
}

// The session's group: its id ("" when the address is linked with none) and addresses.
struct Group {
  std::string id;
  std::vector<store::EmailLink> members;
  size_t size() const { return members.empty() ? 1 : members.size(); }
};

Group group_of(Db& db, const std::string& email) {
  auto link = store::find_email_link(db, email);
  if (!link) return {};
  return Group{link->group_id, store::email_group(db, link->group_id)};
}

ApiError full() {
  return ApiError(409, "You have " + std::to_string(core::kMaxLinkedEmails) +
                           " email addresses already. Remove one to add another.");
}

core::EmailList list_of(const std::string& current, const Group& g) {
  core::EmailList list;
  list.emails.push_back(core::LinkedEmail{current, true});
  for (const auto& m : g.members)
    if (m.email_normalized != current) list.emails.push_back(core::LinkedEmail{m.email_normalized, false});
  return list;
}

// Like redeem_code for sign-in codes, on the linking code of (owner, email): a right code is used
// up (uncommitted, the caller commits it with the link); a wrong or expired one's bookkeeping is
// committed before the throw.
void redeem_link_code(ServerContext& ctx, Transaction& tx, const std::string& owner, const std::string& email,
                      const std::string& code, int64_t now) {
  Db& db = ctx.db->connection();
  auto row = store::find_link_code(db, owner, email);
  if (!row)
    throw ApiError(401, "There is no code waiting for this address. Ask for a new code.").tries_left(0);
  auto failures = store::code_failures(db, email);
  int64_t window_end = failures.window_started_at + kWrongCodeWindowMs;
  if (failures.failures >= kWrongCodesPerDay && now < window_end)
    throw too_many_requests((window_end - now + 999) / 1000);
  if (row->expires_at <= now) {
    store::delete_link_code(db, *row);
    tx.commit();
    throw expired_code_error();
  }
  if (!constant_time_equal(row->code_hash, link_code_hash(ctx, owner, email, code))) {
    store::record_code_failure(db, email, now, now - kWrongCodeWindowMs);
    int64_t left = row->tries_left - 1;
    if (left <= 0)
      store::delete_link_code(db, *row);
    else
      store::set_link_code_tries_left(db, *row, left);
    tx.commit();
    throw wrong_code_error(left);
  }
  store::delete_link_code(db, *row);
}

}  // namespace

void request_email_link(ServerContext& ctx, const store::PortalSession& session, const nlohmann::json& body,
                        const std::string& ip) {
  std::string email = checked_email(body);
  const std::string& owner = session.email_normalized;
  Db& db = ctx.db->connection();
  // Only the session's own group is looked at, never anything about `email`.
  if (group_of(db, owner).size() >= size_t(core::kMaxLinkedEmails)) throw full();
  int64_t now = ctx.now_ms();
  // The sign-in codes' limits and keys: asking to link an address spends the same budget.
  if (int64_t wait = ctx.codes_per_ip.hit(*ctx.db, ip_rate_key(ip), now)) throw too_many_requests(wait);
  if (int64_t wait = ctx.codes_per_email.hit(*ctx.db, "email:" + email, now)) throw too_many_requests(wait);
  std::string code = random_digits(core::kCodeDigits);
  store::replace_link_code(db, store::LinkCode{owner, email, link_code_hash(ctx, owner, email, code),
                                               kCodeTries, now, now + kCodeLifetimeMs});
  // In the words of the portal asking: the request's language, else the one the owner signed in with.
  std::string lang =
      optional_string(body, "language").value_or(mail_language_for(ctx, session.org_id.value_or(""), owner));
  ctx.mailer->send(email_link_message(email, code, owner, lang));
}

core::EmailList verify_email_link(ServerContext& ctx, const store::PortalSession& session,
                                  const nlohmann::json& body, const std::string& ip) {
  core::SessionRequest request = read_session_request(body);
  const std::string& owner = session.email_normalized;
  const std::string& email = request.email;
  int64_t now = ctx.now_ms();
  if (int64_t wait = ctx.sessions_per_ip.hit(*ctx.db, ip_rate_key(ip), now)) throw too_many_requests(wait);

  Db& db = ctx.db->connection();
  // The sign-in redemption's key, so wrong codes for the address are counted exactly across both
  // kinds; then the links' lock (always in this order), so a group never grows past the bound.
  Transaction tx(db, TxLock::Keyed, "code:" + email);
  store::lock_email_links(db);
  redeem_link_code(ctx, tx, owner, email, request.code, now);
  Group group = group_of(db, owner);
  auto theirs = store::find_email_link(db, email);
  bool already = email == owner || (theirs && theirs->group_id == group.id);
  if (!already) {
    if (group.size() >= size_t(core::kMaxLinkedEmails)) throw full();  // rolls back: the code stays
    if (group.id.empty()) {
      group.id = random_hex(16);
      store::put_in_group(db, owner, group.id, now);
    }
    store::put_in_group(db, email, group.id, now);
    if (theirs) store::dissolve_if_single(db, theirs->group_id);  // the group it left
  }
  tx.commit();
  return list_of(owner, group_of(db, owner));
}

core::EmailList linked_emails(ServerContext& ctx, const store::PortalSession& session) {
  return list_of(session.email_normalized, group_of(ctx.db->connection(), session.email_normalized));
}

core::EmailList unlink_email(ServerContext& ctx, const store::PortalSession& session,
                             const std::string& raw) {
  std::string email = core::normalise_email(raw);
  const std::string& owner = session.email_normalized;
  if (email == owner)
    throw ApiError(
        409, "You are signed in with this address. Sign in with another of your addresses to remove it.");
  Db& db = ctx.db->connection();
  Transaction tx(db, TxLock::Keyed, store::kEmailLinksLockKey);
  Group group = group_of(db, owner);
  auto theirs = store::find_email_link(db, email);
  if (group.id.empty() || !theirs || theirs->group_id != group.id)
    throw ApiError(404, "This address is not linked with yours");
  store::remove_email_link(db, email);
  store::dissolve_if_single(db, group.id);
  tx.commit();
  return list_of(owner, group_of(db, owner));
}

}  // namespace continuata::server
