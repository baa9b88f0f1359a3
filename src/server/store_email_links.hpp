// All SQL of a customer's linked email addresses: the links themselves (each address in at most
// one group; the addresses of a group are one customer's, each proven with a code) and the
// codes that prove an address before it joins.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "server/store_db.hpp"

namespace continuata::server::store {

// The addresses linked with the `?` bound to it, that one included when it is in a group; for
// "email_normalized = ? OR email_normalized IN (kLinkedEmailsSql)" in the portal's purchase SQL.
inline constexpr const char* kLinkedEmailsSql =
    "SELECT m.email_normalized FROM email_links m JOIN email_links me ON me.group_id = m.group_id"
    " WHERE me.email_normalized = ?";

struct EmailLink {
  std::string email_normalized, group_id;
  int64_t linked_at = 0;
};
std::optional<EmailLink> find_email_link(Db& db, const std::string& email_normalized);
// The group's addresses, the first linked first.
std::vector<EmailLink> email_group(Db& db, const std::string& group_id);
// Puts the address in the group, taking it out of any other group.
void put_in_group(Db& db, const std::string& email_normalized, const std::string& group_id, int64_t now);
void remove_email_link(Db& db, const std::string& email_normalized);
// A group of one address links nothing: its row goes.
void dissolve_if_single(Db& db, const std::string& group_id);
// Keeps other writers of links out until the transaction ends (PostgreSQL: an advisory lock
// beside the transaction's own; SQLite has one writer at a time already).
void lock_email_links(Db& db);
inline constexpr const char* kEmailLinksLockKey = "email_links";

// One live code per (signed-in address, address to prove): a new request replaces it.
struct LinkCode {
  std::string owner_email, email_normalized, code_hash;
  int64_t tries_left = 0, created_at = 0, expires_at = 0;
};
void replace_link_code(Db& db, const LinkCode& c);
std::optional<LinkCode> find_link_code(Db& db, const std::string& owner_email,
                                       const std::string& email_normalized);
void set_link_code_tries_left(Db& db, const LinkCode& c, int64_t tries_left);
void delete_link_code(Db& db, const LinkCode& c);

}  // namespace continuata::server::store
